"""The engine's broker choices that no lesson folder decides: a redis-server the runner starts itself,
and RabbitMQ with rpc:// results (state polling and chords skipped with the reason)."""
import pytest

from .helpers import lesson, processes_matching, step

CHORD_STEPS = ("chord_callback", "seed_workflow", "chord_error")


@pytest.mark.broker
def test_redis_server_started_by_runner(tmp_path):
    """No Redis where the runner looks: it starts the machine's redis-server itself, then stops it."""
    proc, report = lesson(1, "--broker", "redis", tmp_path=tmp_path,
                          extra_env={"CLASSROOM_REDIS_DEFAULT": "redis://127.0.0.1:1/0"})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "started redis-server" in proc.stdout
    assert report["passed"] == report["total"]
    port = report["broker_url"].rsplit(":", 1)[1].split("/")[0]
    assert port != "6379" and not processes_matching(f"redis-server 127.0.0.1:{port}")
    assert not processes_matching(f"--port {port}")


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


@pytest.mark.broker
def test_rpc_backend_skips_chords_with_the_reason(tmp_path, amqp_url):
    """RabbitMQ with rpc:// results (what the runner uses when no Redis answers): the chord steps say why they
    cannot run. Only the skips are asserted: the other steps are flaky with rpc:// under the runner's threaded
    waits."""
    proc, report = lesson(4, "--broker-url", amqp_url, tmp_path=tmp_path,
                          extra_env={"CLASSROOM_RESULT_BACKEND": "rpc://"})
    assert report is not None, proc.stdout + proc.stderr
    skipped = {s["name"]: s.get("reason", "") for s in report["steps"] if s["skipped"]}
    assert set(skipped) == set(CHORD_STEPS)
    assert all("rpc://" in reason and "--broker redis" in reason for reason in skipped.values())
    assert not processes_matching(report["workers"][0])
