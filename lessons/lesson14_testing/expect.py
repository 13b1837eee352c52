"""What lesson 14's report must show: real pytest sessions, per test, eager against a real worker.

tests/test_lessons.py plays the lesson in every mode and calls check(report, mode); the step count,
exit code, skips and "nothing left behind" are checked there for every lesson alike.
"""
from classroom.lessonkit import report_step as step

LIES = ("test_unique_tags_returns_a_set", "test_total_with_a_chord", "test_flaky_payment_is_retried",
        "test_receipt_after_placing_an_order")


def check(report: dict, mode: str) -> None:
    data = step(report, "fixtures")["data"]
    assert not any("celery.contrib" in p for p in data["pytest11"])                  # no entry point in Celery 5
    assert data["without_plugin"]["tests"]["test_add_on_a_real_worker"]["outcome"] == "error"
    assert data["with_plugin"]["exit"] == 0
    assert data["with_plugin"]["tests"]["test_add_on_a_real_worker"]["outcome"] == "passed"
    lies = step(report, "eager_lies")["data"]
    assert lies["eager"]["exit"] == 0 and len(lies["eager"]["tests"]) == 5
    assert all(t["outcome"] == "passed" for t in lies["eager"]["tests"].values())
    real = lies["real"]["tests"]
    assert [name for name in LIES if real[name]["outcome"] == "failed"] == list(LIES)
    assert "EncodeError" in real["test_unique_tags_returns_a_set"]["message"]
    assert "TimeoutError" in real["test_flaky_payment_is_retried"]["message"]
    assert "order 1 not found" in real["test_receipt_after_placing_an_order"]["message"]
    assert real["test_a_set_argument_is_refused"]["outcome"] == "passed"              # eager serializes args
    views = step(report, "mock_delay")["data"]["views"]
    assert views["exit"] == 0 and all(t["outcome"] == "passed" for t in views["tests"].values())
    found = step(report, "pytest_celery")["data"]
    assert found["celery_setup_fixture"] == found["installed"]
