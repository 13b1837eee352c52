"""When Docker cannot be used, for real (no mock): no engine at the address, no docker program, a socket
nobody answers on, a socket without permission. Each gives its own message with the fix within a few
seconds; auto mode falls back to memory with one line saying why; redis/rabbitmq modes say why they fail.
The `up` command is run as a learner runs it; what a lesson would choose is asked of brokers.resolve()
in-process (tests/choosing.py), no lesson is played.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time

import pytest

from classroom import brokers
from classroom.errors import BrokerError

from .choosing import bare_machine
from .helpers import PY, ROOT, env, runner

pytestmark = pytest.mark.docker
AWAY = {"CLASSROOM_REDIS_DEFAULT": "redis://127.0.0.1:1/0", "CLASSROOM_AMQP_DEFAULT": "amqp://guest:guest@127.0.0.1:1//"}


def run(*args: str, docker_host: str, **extra: str):
    env = {"CLASSROOM_DOCKER": "on", "CLASSROOM_DOCKER_PROJECT": f"cc-test-{os.getpid()}", **AWAY,
           "DOCKER_HOST": docker_host, **extra}
    started = time.monotonic()
    proc = runner(*args, extra_env=env, timeout=60)
    proc.seconds = time.monotonic() - started
    proc.text = " ".join((proc.stdout + proc.stderr).split())
    return proc


@pytest.fixture
def missing(tmp_path) -> str:
    return f"unix://{tmp_path}/no-docker.sock"


@pytest.fixture
def no_engine(monkeypatch, missing) -> None:
    """Docker on, but no engine at DOCKER_HOST; no broker at the usual addresses."""
    bare_machine(monkeypatch)
    monkeypatch.setenv("CLASSROOM_DOCKER", "on")
    monkeypatch.setenv("DOCKER_HOST", missing)


@pytest.mark.timeout(15)
def test_no_engine_auto_falls_back_to_memory_saying_why(no_engine):
    started = time.monotonic()
    broker = brokers.resolve("auto")
    assert (broker.mode, broker.url, broker.started) == ("memory", "memory://", [])
    assert broker.reason.startswith("Memory mode") and "the Docker engine is not running" in broker.reason
    assert time.monotonic() - started < 5


def test_no_engine_up_says_so_with_the_fix_quickly(missing):
    proc = run("up", "redis", docker_host=missing)
    assert proc.returncode == 3 and proc.seconds < 5, proc.text
    assert "its engine is not running" in proc.text and "systemctl start docker" in proc.text
    zh = run("--lang", "zh", "up", "redis", docker_host=missing)
    assert "引擎没有运行" in zh.text and "systemctl start docker" in zh.text


@pytest.mark.timeout(15)
def test_no_engine_rabbitmq_mode_fails_with_the_docker_reason(no_engine):
    started = time.monotonic()
    with pytest.raises(BrokerError) as raised:
        brokers.resolve("rabbitmq")
    text = " ".join(raised.value.message().split())
    assert raised.value.exit_code == 3 and time.monotonic() - started < 10
    assert "could not be started in Docker" in text and "its engine is not running" in text, text


@pytest.mark.broker
@pytest.mark.timeout(30)
def test_no_engine_redis_mode_uses_a_local_redis_server_and_says_why(no_engine):
    """The fallback itself (a redis-server that carries messages and stops) is tests/test_broker_modes.py's;
    here: Docker's own reason reaches the learner."""
    if not shutil.which("redis-server"):
        pytest.skip("no redis-server program here")
    broker = brokers.resolve("redis")
    try:
        assert broker.mode == "redis" and len(broker.started) == 1, broker
        assert "Docker could not start one (the Docker engine is not running)" in broker.reason
    finally:
        broker.stop()


def test_docker_not_installed(missing):
    bare = os.path.dirname(sys.executable)  # python only: no docker, no dockerd on this PATH
    proc = run("up", "redis", docker_host=missing, PATH=bare)
    assert proc.returncode == 3 and "Docker is not installed here" in proc.text, proc.text
    assert "apt install docker.io" in proc.text and proc.seconds < 5


def test_socket_nobody_answers_on(tmp_path):
    path = tmp_path / "stale.sock"
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(path))
    sock.close()                            # the file stays: a daemon that died without cleaning up
    proc = run("up", "redis", docker_host=f"unix://{path}")
    assert proc.returncode == 3 and proc.seconds < 5, proc.text
    assert f"The Docker engine at {path} did not answer" in proc.text and "Connection refused" in proc.text


def test_permission_denied_on_the_socket(tmp_path):
    """A listening socket with mode 000, and a runner without the capability that lets root ignore it."""
    capsh = shutil.which("capsh")
    if not capsh or os.geteuid() != 0:
        pytest.skip("needs root and capsh (libcap2-bin) to drop CAP_DAC_OVERRIDE")
    path = tmp_path / "docker.sock"
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(path))
    sock.listen()
    os.chmod(path, 0)
    os.chmod(tmp_path, 0o755)
    choose = "from classroom import brokers; print(brokers.resolve('auto').reason)"   # what `lesson 1` would use
    script = f"{PY} runner.py up redis; echo rc=$?; {PY} -c \"{choose}\""
    try:
        proc = subprocess.run([capsh, "--drop=cap_dac_override,cap_dac_read_search", "--", "-c", script],
                              cwd=ROOT, capture_output=True, text=True, timeout=60,
                              env=env(CLASSROOM_DOCKER="on", DOCKER_HOST=f"unix://{path}", **AWAY))
    finally:
        sock.close()
    text = " ".join((proc.stdout + proc.stderr).split())
    assert "Permission denied on the Docker socket" in text and "usermod -aG docker" in text, text
    assert "rc=3" in text and "Memory mode" in text and f"permission denied on {path}" in text
