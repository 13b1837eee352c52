"""Each way a broker or result backend can fail gets its own message, with its own URL and fix, within
seconds and before the first step: nothing listening, a silent server, a refused login, a wrong vhost
or database, and a result backend down while the broker is up. Every case is real: a closed port, a
TCP server that never answers, RabbitMQ with a wrong password, ..."""
import socket
import time

import pytest

from .helpers import runner


def play(*args, extra_env=None):
    started = time.monotonic()
    proc = runner("lesson", "1", *args, timeout=60, extra_env=extra_env)
    return proc, time.monotonic() - started


def assert_diagnosed(proc, took, *words):
    assert proc.returncode == 3, proc.stdout + proc.stderr
    text = " ".join(proc.stderr.replace("│", " ").split())     # the panel's borders are not words
    for word in words:
        assert word in text, (word, proc.stderr)
    assert "Traceback" not in proc.stderr and "Workers ready" not in proc.stdout   # before anything started
    assert took < 15, took


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_nothing_listening():
    port = closed_port()
    proc, took = play("--broker-url", f"redis://127.0.0.1:{port}/0")
    assert_diagnosed(proc, took, f"redis://127.0.0.1:{port}/0", "nothing listens there", "Fix:")


@pytest.mark.parametrize("scheme", ["redis", "amqp"])
def test_a_server_that_never_answers(silent_server, scheme):
    url = f"{scheme}://127.0.0.1:{silent_server}/0" if scheme == "redis" else f"amqp://guest:guest@127.0.0.1:{silent_server}//"
    proc, took = play("--broker-url", url)
    assert_diagnosed(proc, took, f"127.0.0.1:{silent_server}", "accepts connections", "never answers")


@pytest.mark.broker
def test_rabbitmq_refuses_a_wrong_password(amqp_url):
    proc, took = play("--broker-url", "amqp://guest:wrong-password@127.0.0.1:5672//")
    assert_diagnosed(proc, took, "refused the login", "wrong user or password", "rabbitmqctl list_users")
    assert "wrong-password" not in proc.stderr                     # the password is never printed


@pytest.mark.broker
def test_rabbitmq_wrong_vhost(amqp_url):
    proc, took = play("--broker-url", "amqp://guest:guest@127.0.0.1:5672/no-such-vhost")
    assert_diagnosed(proc, took, "no vhost 'no-such-vhost'", "rabbitmqctl add_vhost no-such-vhost")


@pytest.mark.broker
def test_redis_wrong_database(redis_url):
    proc, took = play("--broker-url", "redis://127.0.0.1:6379/99")
    assert_diagnosed(proc, took, "no database 99", "0 to 15")


@pytest.mark.broker
def test_result_backend_down_while_the_broker_is_up(amqp_url):
    port = closed_port()
    proc, took = play("--broker-url", amqp_url, extra_env={"CLASSROOM_RESULT_BACKEND": f"redis://127.0.0.1:{port}/0"})
    assert_diagnosed(proc, took, "The broker answers, but the result backend", f"redis://127.0.0.1:{port}/0",
                     "CLASSROOM_RESULT_BACKEND")


@pytest.mark.broker
def test_result_backend_silent(amqp_url, silent_server):
    proc, took = play("--broker-url", amqp_url,
                      extra_env={"CLASSROOM_RESULT_BACKEND": f"redis://127.0.0.1:{silent_server}/0"})
    assert_diagnosed(proc, took, "result backend", "never answers")


def test_each_diagnosis_in_chinese():
    port = closed_port()
    proc = runner("--lang", "zh", "lesson", "1", "--broker-url", f"redis://127.0.0.1:{port}/0")
    assert proc.returncode == 3 and "没有任何程序在监听" in proc.stderr
