"""What lesson 13's report must show on a real worker (namespace, enqueue + poll over HTTP, on_commit vs
delay, TaskResult rows, the DatabaseScheduler, ids not instances).

tests/test_lessons.py plays the lesson in every mode and calls check(report, mode); the step count,
exit code, skips and "nothing left behind" are checked there for every lesson alike;
tests/test_lesson13_django.py adds the browser and the demo on its own.
"""
from classroom.lessonkit import report_step as step

# The web server is a separate process: it cannot reach the runner's memory:// broker.
SKIPPED = {"memory": {"enqueue_from_request", "poll_status"}}


def check(report: dict, mode: str) -> None:
    ns = step(report, "namespace_celery")["data"]
    assert ns["with_namespace"]["result_backend"] == "django-db"
    assert ns["without_namespace"]["broker_url"] == "None" and ns["default_broker"].startswith("amqp://guest")
    assert ns["without_namespace"]["task_track_started"] == "False"
    assert ns["without_namespace"]["result_backend"] == "django-db"          # an old Celery 3 name: still read
    if mode != "memory":
        sent = step(report, "enqueue_from_request")["data"]
        assert sent["status"] == 202 and sent["response_s"] < sent["task_s"] and sent["task_s"] >= 1.0
        assert sent["state_at_reply"] != "SUCCESS" and sent["result"]["pages"] == 6
        polled = step(report, "poll_status")["data"]
        assert polled["states"][-1] == "SUCCESS" and "PROGRESS" in polled["states"]
        assert polled["progress"] == sorted(polled["progress"]) and len(set(polled["progress"])) >= 3
        assert polled["page_status"] == 200 and polled["page_polls"]
    commit = step(report, "on_commit_vs_delay")["data"]
    assert commit["delay_state"] == "FAILURE" and commit["delay_error"].startswith("DoesNotExist")
    assert commit["ran"] == 2                                  # delay() + the committed on_commit(); not the rolled back one
    assert commit["committed_state"] == "SUCCESS" and commit["committed_result"]["title"] == "committed"
    rows = step(report, "results_in_database")["data"]
    assert rows["rows"] >= (2 if mode == "memory" else 4) and {"SUCCESS", "FAILURE"} <= set(rows["statuses"])
    assert not rows["mismatched"]
    beat = step(report, "periodic_in_database")["data"]
    assert beat["scheduler"].endswith("DatabaseScheduler") and beat["schedule_changed"]
    assert beat["runs"] >= 2 and all(0.6 <= gap <= 1.5 for gap in beat["gaps_s"]) and beat["statuses"] == ["SUCCESS"]
    ids = step(report, "ids_not_instances")["data"]
    assert ids["refused"].startswith("EncodeError") and "not JSON serializable" in ids["refused"]
    assert (ids["by_id"], ids["by_copy"]) == ("Final", "Draft")
