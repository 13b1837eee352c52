"""Each way a broker or result backend can fail gets its own message, with its own URL and fix, within
seconds and before the first step: nothing listening, a silent server, a refused login, a wrong vhost
or database, and a result backend down while the broker is up. Every case is real: a closed port, a
TCP server that never answers, RabbitMQ with a wrong password, ..."""
import socket
import time

import pytest

from classroom import brokers
from classroom.envvars import BACKEND_ENV
from classroom.errors import BrokerError

from .choosing import bare_machine


@pytest.fixture
def diagnose(monkeypatch):
    """What the runner says before the first step, asked in-process as a session asks it (brokers.resolve,
    then check_backend): the error and the seconds it took. tests/test_cli.py shows it once as a learner
    sees it (exit 3, a panel, no traceback, nothing started)."""
    bare_machine(monkeypatch)

    def run(url: str, backend: str | None = None) -> tuple[BrokerError, float]:
        if backend:
            monkeypatch.setenv(BACKEND_ENV, backend)
        started = time.monotonic()
        with pytest.raises(BrokerError) as raised:
            brokers.check_backend(brokers.resolve("auto", url))
        return raised.value, time.monotonic() - started
    return run


def assert_diagnosed(error: BrokerError, took: float, *words: str) -> None:
    assert error.exit_code == 3
    text = " ".join(error.message().split())
    for word in words:
        assert word in text, (word, text)
    assert took < 15, took


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.timeout(30)
def test_nothing_listening(diagnose):
    port = closed_port()
    url = f"redis://127.0.0.1:{port}/0"
    assert_diagnosed(*diagnose(url), url, "nothing listens there", "Fix:")


@pytest.mark.timeout(30)
@pytest.mark.parametrize("scheme", ["redis", "amqp"])
def test_a_server_that_never_answers(diagnose, silent_server, scheme):
    url = {"redis": f"redis://127.0.0.1:{silent_server}/0",
           "amqp": f"amqp://guest:guest@127.0.0.1:{silent_server}//"}[scheme]
    assert_diagnosed(*diagnose(url), f"127.0.0.1:{silent_server}", "accepts connections", "never answers")


@pytest.mark.broker
@pytest.mark.timeout(30)
def test_rabbitmq_refuses_a_wrong_password(diagnose, amqp_url):
    error, took = diagnose("amqp://guest:wrong-password@127.0.0.1:5672//")
    assert_diagnosed(error, took, "refused the login", "wrong user or password", "rabbitmqctl list_users")
    assert "wrong-password" not in error.message() + error.message("zh")   # the password is never printed


@pytest.mark.broker
@pytest.mark.timeout(30)
def test_rabbitmq_wrong_vhost(diagnose, amqp_url):
    assert_diagnosed(*diagnose("amqp://guest:guest@127.0.0.1:5672/no-such-vhost"),
                     "no vhost 'no-such-vhost'", "rabbitmqctl add_vhost no-such-vhost")


@pytest.mark.broker
@pytest.mark.timeout(30)
def test_redis_wrong_database(diagnose, redis_url):
    assert_diagnosed(*diagnose("redis://127.0.0.1:6379/99"), "no database 99", "0 to 15")


@pytest.mark.broker
@pytest.mark.timeout(30)
def test_result_backend_down_while_the_broker_is_up(diagnose, amqp_url):
    port = closed_port()
    backend = f"redis://127.0.0.1:{port}/0"
    assert_diagnosed(*diagnose(amqp_url, backend=backend),
                     "The broker answers, but the result backend", backend, "CLASSROOM_RESULT_BACKEND")


@pytest.mark.broker
@pytest.mark.timeout(30)
def test_result_backend_silent(diagnose, amqp_url, silent_server):
    assert_diagnosed(*diagnose(amqp_url, backend=f"redis://127.0.0.1:{silent_server}/0"),
                     "result backend", "never answers")


@pytest.mark.timeout(30)
def test_each_diagnosis_in_chinese(diagnose):
    error, _ = diagnose(f"redis://127.0.0.1:{closed_port()}/0")
    assert "没有任何程序在监听" in error.message("zh")
