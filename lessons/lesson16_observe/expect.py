"""What lesson 16's report must show beyond its own checks: facts from two sources that must agree.

tests/test_lessons.py plays the lesson in every mode and calls check(report, mode); the step count,
exit code, skips and "nothing left behind" are checked there for every lesson alike. Every claim of the
lesson is a run.expect in scenario.py (a false one fails the step and the run).
"""
from classroom.lessonkit import report_step as step

# The metrics servers, Prometheus, Flower and the exporter are other processes: memory:// cannot reach them.
SKIPPED = {"memory": {"signal_metrics", "prometheus_scrapes", "backlog_alert"}}


def check(report: dict, mode: str) -> None:
    # charge(7): the backend's state and the events' worker, one of the run's workers
    seen = step(report, "follow_a_task")["observations"][0]
    assert seen["state"] == "SUCCESS" and seen["worker"] in report["workers"], seen
    # One trace: the spans' own kinds and names, and the process of the second run's span is the worker the task
    # events name (memory mode: the workers are threads of the runner, whose spans say "runner")
    data = step(report, "trace_a_request")["data"]
    trace = data["trace"]
    assert trace["kinds"] == ["SERVER", "PRODUCER", "CONSUMER", "PRODUCER", "CONSUMER"], trace
    assert trace["names"] == ["POST /checkout"] + ["apply_async/checkout", "run/checkout"] * 2, trace
    assert len(trace["trace_ids"]) == 1 and trace["parents_ok"], trace
    assert trace["workers"][:2] == ["runner", "runner"] and trace["workers"][2] == trace["workers"][3], trace
    assert trace["workers"][4] == ("runner" if mode == "memory" else data["events_worker"]), data
    assert data["cost_us"]["on"] > 0 and data["cost_us"]["off"] > 0, data
    if mode == "memory":
        return
    # Step 2's 8 charge tasks per worker: the workers' own counters (task_postrun) and the task events agree
    data = step(report, "signal_metrics")["data"]
    by_metrics = {w: n for w, n in data["charged_by_metrics"].items() if n}
    assert by_metrics == data["charged_by_events"] and sum(by_metrics.values()) == 8, data
    # The backlog: the exporter (passive declare / LLEN) and the broker agree; on RabbitMQ, RabbitMQ's own
    # rabbitmq_detailed_queue_messages_ready too (.ci/run enables rabbitmq_prometheus), for the run's vhost only
    backlog = step(report, "backlog_alert")["data"]
    assert backlog["exporter"] == backlog["broker"] == backlog["backlog"] > 0, backlog
    if mode == "rabbitmq":
        scraped = step(report, "prometheus_scrapes")["data"]
        assert "rabbitmq_vhost" in scraped, "not scraped: rabbitmq-plugins enable rabbitmq_prometheus (port 15692)"
        assert scraped["rabbitmq_vhosts"] == [scraped["rabbitmq_vhost"]], scraped
        assert report["broker_url"].endswith("/" + scraped["rabbitmq_vhost"]) and scraped["rabbitmq_celery"] == 0
        assert backlog["rabbitmq"] == backlog["broker"] and backlog["caught_up"] < 8, backlog
    else:
        assert backlog["rabbitmq"] is None, backlog          # Redis: no such metrics, the exporter alone
