"""Fixtures: a TCP server that never answers, and real brokers for the tests marked `broker` (CI starts them; locally they are skipped when absent)."""
import os
import socket
import threading

import pytest

from classroom import brokers

from .helpers import AMQP_URL, REDIS_URL

IN_CI = bool(os.environ.get("CI"))


def _need(ok: bool, what: str, fix: str = "") -> None:
    """Skip (fail in CI) when `what` is missing: "<what> is not available; <fix>"."""
    if not ok:
        said = f"{what} is not available" + (f"; {fix}" if fix else "")
        if IN_CI:
            pytest.fail(f"{said} (.ci/run should have provided it)")
        pytest.skip(said)


@pytest.fixture
def redis_url() -> str:
    _need(brokers.redis_answers(REDIS_URL, 1.0), f"Redis at {REDIS_URL}", "start it (see .ci/run)")
    return REDIS_URL


@pytest.fixture
def amqp_url() -> str:
    _need(brokers.amqp_answers(AMQP_URL, 1.0), f"RabbitMQ at {AMQP_URL}", "start it (see .ci/run)")
    return AMQP_URL


@pytest.fixture
def silent_server():
    """A TCP server that accepts connections and never answers (a paused or half-open broker)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                pass

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join(1)
    for conn in held:
        conn.close()
    server.close()
