"""What lesson 5's report must show on a real worker (attempt counts and spacing, final FAILURE, hooks, errback, time limits, idempotency).

tests/test_lessons.py plays the lesson in every mode and calls check(report, mode); the step count,
exit code, skips and "nothing left behind" are checked there for every lesson alike.
"""


from classroom.lessonkit import report_step as step

SKIPPED = {"memory": {"time_limits"}}     # time limits need the prefork pool


def check(report: dict, mode: str) -> None:
    fetch = step(report, "retry_with_countdown")["data"]["fetch"]
    assert fetch["states"] == ["RETRY", "RETRY", "SUCCESS"]            # one id, three real attempts
    assert len(fetch["spacing_s"]) == 2 and all(0.3 <= gap < 1.0 for gap in fetch["spacing_s"])   # countdown=0.3
    sync = step(report, "autoretry_backoff")["data"]["sync_account"]
    assert sync["states"] == ["RETRY", "RETRY", "SUCCESS"]
    first, second = sync["spacing_s"]
    assert 1.0 <= first < 1.6 and 2.0 <= second < 2.6 and second > 1.5 * first   # backoff doubles
    final = step(report, "final_failure")
    assert final["data"]["charge"]["states"] == ["RETRY", "RETRY", "FAILURE"]
    obs = final["observations"][0]
    assert obs["state"] == "FAILURE" and obs["result"].startswith("ConnectionError")
    assert sorted(step(report, "task_hooks")["data"]["hooks"]) == ["on_failure", "on_retry", "on_retry", "on_success"]
    assert step(report, "link_error")["data"]["errback_lines"] == 1    # once, after the last attempt only
    assert step(report, "idempotency")["data"]["ledger"] == ["A-2001", "A-2001", "A-2002"]
    if mode != "memory":
        data = step(report, "time_limits")["data"]
        assert data["crunch"].startswith("stopped after") and data["time_limits"]["crunch"] < 1.4
        assert "TimeLimitExceeded" in data["stuck"] and data["time_limits"]["stuck"] < 1.4
