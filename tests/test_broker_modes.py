"""The engine's broker choices that no lesson folder decides, asked of the chooser in-process against real
or absent servers (tests/choosing.py): a redis-server the runner starts itself, and RabbitMQ with rpc://
results (state polling and chords skipped with the reason). Lesson 4 is played once on rpc:// for its chords."""
import importlib
import shutil
import time
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from celery import Celery

from classroom import ROOT, brokers, catalog
from classroom.lessonkit.run import Run
from classroom.lessonkit.step import StepSkipped
from classroom.runtime.session import Session
from classroom.runtime.workers import WorkerSpec

from .choosing import bare_machine, round_trip
from .helpers import lesson, processes_matching

CHORD_STEPS = ("chord_callback", "seed_workflow", "chord_error")
FAULTS = catalog.load(ROOT / "tests" / "fault_lesson")


@pytest.mark.broker
@pytest.mark.timeout(30)
def test_no_redis_anywhere_starts_a_redis_server_then_stops_it(monkeypatch):
    """--broker redis, nothing on the usual address, Docker off: the machine's redis-server on a free port,
    which carries messages, and which broker.stop() ends."""
    bare_machine(monkeypatch)
    if not shutil.which("redis-server"):
        pytest.skip("no redis-server program here")
    broker = brokers.resolve("redis")
    try:
        port = urlsplit(broker.url).port
        assert (broker.mode, broker.backend) == ("redis", broker.url) and port not in (1, 6379), broker
        assert "started redis-server" in broker.reason and "Docker use is turned off" in broker.reason
        [server] = broker.started
        assert server.alive() and processes_matching(f"redis-server 127.0.0.1:{port}")
        round_trip(broker.url)
    finally:
        broker.stop()
    assert broker.started == [] and not server.alive()
    assert not brokers.port_open("127.0.0.1", port, 0.3) and not processes_matching(f"redis-server 127.0.0.1:{port}")


@pytest.mark.broker
@pytest.mark.timeout(60)
def test_rabbitmq_without_redis_sends_results_as_messages(monkeypatch, amqp_url):
    """No Redis for results: rpc://, said in the reason; a real worker's result comes back through it
    (one worker of tests/fault_lesson, in-process session); a step that polls states is skipped with why."""
    bare_machine(monkeypatch)
    broker = brokers.resolve("auto", amqp_url)
    assert (broker.mode, broker.url, broker.backend) == ("rabbitmq", amqp_url, "rpc://")
    assert "rpc://" in broker.reason and broker.started == []
    round_trip(broker.url)
    with Session(FAULTS, "auto", amqp_url, worker_specs=[WorkerSpec(concurrency=1)]) as session:
        assert session.broker.backend == "rpc://" and type(session.app.backend).__name__ == "RPCBackend"
        tasks = importlib.import_module(FAULTS.app_module)
        assert tasks.add.delay(2, 3).get(timeout=10) == 5
    app = Celery(broker=broker.url, backend=broker.backend, set_as_current=False)   # not the process's current app
    started = time.monotonic()
    with pytest.raises(StepSkipped, match="rpc://"):
        Run(session=SimpleNamespace(app=app)).poll(app.AsyncResult("never-sent"), lambda state, info: True)
    assert time.monotonic() - started < 1                   # said at once, not after the poll's bound


@pytest.mark.broker
@pytest.mark.timeout(120)
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
