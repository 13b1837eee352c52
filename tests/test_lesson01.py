"""Lesson 1 on a real worker in every mode: results, states and worker names from the JSON report."""
import pytest

from .helpers import lesson, processes_matching, step


def assert_lesson1_real(report: dict) -> None:
    assert report["passed"] == report["total"] == 6, report
    workers = report["workers"]
    first = step(report, "delay_and_get")["observations"][0]
    assert (first["name"], first["state"], first["result"]) == ("add", "SUCCESS", 5)
    assert first["worker"] in workers                      # a real worker ran it, and we know which
    countdown = step(report, "countdown")
    task = next(iter(countdown["tasks"].values()))
    assert task["started"] - task["sent"] >= 0.25           # held for the countdown (0.3 s) by the worker
    failure = step(report, "failure")["observations"][0]
    assert failure["state"] == "FAILURE" and "ZeroDivisionError" in failure["result"]


def test_memory_mode(tmp_path):
    proc, report = lesson(1, "--broker", "memory", tmp_path=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert report["mode"] == "memory"
    assert_lesson1_real(report)


@pytest.mark.broker
def test_redis_mode(tmp_path, redis_url):
    proc, report = lesson(1, "--broker-url", redis_url, tmp_path=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert report["mode"] == "redis"
    assert_lesson1_real(report)
    # Prefork: the task ran in a child process, not in the runner.
    assert all(t["pid"] for s in report["steps"] for t in s["tasks"].values())
    assert not processes_matching(report["workers"][0])
    # The run's namespaced keys (queues, bindings) are gone from the shared Redis.
    import redis
    run_id = report["workers"][0].split("@", 1)[1]
    assert not list(redis.Redis.from_url(redis_url).scan_iter(match=f"{run_id}:*"))


@pytest.mark.broker
def test_rabbitmq_mode(tmp_path, amqp_url):
    proc, report = lesson(1, "--broker-url", amqp_url, tmp_path=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert report["mode"] == "rabbitmq"
    assert_lesson1_real(report)
    assert not processes_matching(report["workers"][0])


@pytest.mark.broker
def test_redis_server_started_by_runner(tmp_path):
    """No Redis where the runner looks: it starts the machine's redis-server itself, then stops it."""
    proc, report = lesson(1, "--broker", "redis", tmp_path=tmp_path,
                          extra_env={"CLASSROOM_REDIS_DEFAULT": "redis://127.0.0.1:1/0"})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "started redis-server" in proc.stdout
    assert_lesson1_real(report)
    port = report["broker_url"].rsplit(":", 1)[1].split("/")[0]
    assert port != "6379" and not processes_matching(f"redis-server 127.0.0.1:{port}")


@pytest.mark.broker
def test_rabbitmq_with_rpc_results(tmp_path, amqp_url):
    """No Redis for results: rpc:// works for get(); state polling is skipped with the reason, not failed."""
    proc, report = lesson(1, "--broker-url", amqp_url, tmp_path=tmp_path,
                          extra_env={"CLASSROOM_RESULT_BACKEND": "rpc://"})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "rpc://" in proc.stdout
    states = step(report, "states")
    assert states["skipped"] and "rpc://" in states["reason"]
    first = step(report, "delay_and_get")["observations"][0]
    assert (first["state"], first["result"]) == ("SUCCESS", 5) and first["worker"] in report["workers"]
