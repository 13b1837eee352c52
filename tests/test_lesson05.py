"""Lesson 5 on a real worker: attempt counts and spacing, final FAILURE, hooks, errback, time limits, idempotency."""
import pytest

from .helpers import lesson, processes_matching, step


def assert_lesson5_real(report: dict, prefork: bool) -> None:
    assert report["passed"] == report["total"] - report["skipped"] == (7 if prefork else 6), report
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
    limits = step(report, "time_limits")
    if prefork:
        data = limits["data"]
        assert data["crunch"].startswith("stopped after") and data["time_limits"]["crunch"] < 1.4
        assert "TimeLimitExceeded" in data["stuck"] and data["time_limits"]["stuck"] < 1.4
    else:
        assert limits["skipped"] is True


def test_memory_mode(tmp_path):
    proc, report = lesson(5, "--broker", "memory", tmp_path=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert report["mode"] == "memory"
    assert_lesson5_real(report, prefork=False)
    assert "python runner.py lesson 5 --broker redis" in proc.stdout      # the skipped step names the command


@pytest.mark.broker
def test_redis_mode(tmp_path, redis_url):
    proc, report = lesson(5, "--broker-url", redis_url, tmp_path=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert report["mode"] == "redis"
    assert_lesson5_real(report, prefork=True)
    assert not processes_matching(report["workers"][0])


@pytest.mark.broker
def test_rabbitmq_mode(tmp_path, amqp_url):
    proc, report = lesson(5, "--broker-url", amqp_url, tmp_path=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert report["mode"] == "rabbitmq"
    assert_lesson5_real(report, prefork=True)
    assert not processes_matching(report["workers"][0])
