"""The broker choice in-process: `classroom.brokers.resolve()` against real or absent servers, no lesson played.

    def test_x(monkeypatch):
        bare_machine(monkeypatch)             # no broker at the usual addresses, Docker off, English
        broker = brokers.resolve("redis")
        round_trip(broker.url)                # a real publish + get on what it chose

Each test that used to replay lesson 1 to see a broker choice now asks the chooser and checks what it
chose on the real server (tests/test_broker_modes.py, test_docker.py, test_docker_absent.py).
"""
from __future__ import annotations

import time
import uuid

from classroom import messages
from classroom.brokers import choose, containers, docker_engine, docker_services
from classroom.envvars import BACKEND_ENV, BROKER_ENV

# Nothing listens on port 1: the usual addresses, moved where no broker answers.
AWAY_REDIS = "redis://127.0.0.1:1/0"
AWAY_AMQP = "amqp://guest:guest@127.0.0.1:1//"


def bare_machine(monkeypatch) -> None:
    """No broker at the usual addresses, Docker off, no broker from the environment, English texts, and
    the Docker engine asked again; monkeypatch restores all of it after the test. A test turns Docker on
    with `monkeypatch.setenv("CLASSROOM_DOCKER", "on")` (and DOCKER_HOST)."""
    monkeypatch.setattr(choose, "DEFAULT_REDIS_URL", AWAY_REDIS)
    monkeypatch.setattr(choose, "DEFAULT_AMQP_URL", AWAY_AMQP)
    for name in (BROKER_ENV, BACKEND_ENV, "DOCKER_HOST"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(docker_services.ENABLED_ENV, "off")
    monkeypatch.setattr(messages, "_lang", "en")
    monkeypatch.setattr(docker_engine, "_client", None)    # the engine's answer is remembered per process
    monkeypatch.setattr(docker_engine, "_problem", None)


def use_project(monkeypatch, project: str) -> None:
    """The runner's containers under `project` (tests never touch a learner's celery-classroom-*)."""
    monkeypatch.setattr(docker_services, "PROJECT", project)
    monkeypatch.setattr(containers, "PROJECT", project)


def round_trip(url: str, seconds: float = 10.0) -> float:
    """Publish one message to a fresh queue on `url` and get it back (kombu, Celery's transport); the
    queue is deleted after. Returns the seconds it took; raises when the broker does not deliver it."""
    from kombu import Connection
    name = f"cc-test-{uuid.uuid4().hex[:8]}"
    body = {"sent": name}
    started = time.monotonic()
    with Connection(url, connect_timeout=3, transport_options={"max_retries": 1}) as conn:
        queue = conn.SimpleQueue(name, queue_opts={"durable": False})
        try:
            queue.put(body)
            message = queue.get(timeout=seconds)
            message.ack()
            assert message.payload == body, message.payload
        finally:
            queue.close()
            conn.default_channel.queue_delete(name)
            conn.default_channel.exchange_delete(name)          # SimpleQueue declared one of that name
    return time.monotonic() - started
