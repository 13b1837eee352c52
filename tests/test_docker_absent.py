"""When Docker cannot be used, for real (no mock): no engine at the address, no docker program, a socket
nobody answers on, a socket without permission. Each gives its own message with the fix within a few
seconds; auto mode falls back to memory with one line saying why; redis/rabbitmq modes say why they fail.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time

import pytest

from .helpers import PY, ROOT, env, lesson, runner

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


def test_no_engine_auto_falls_back_to_memory_with_one_line(missing, tmp_path):
    proc, report = lesson(1, tmp_path=tmp_path, extra_env={"CLASSROOM_DOCKER": "on", **AWAY, "DOCKER_HOST": missing})
    assert proc.returncode == 0 and report["mode"] == "memory", proc.stdout + proc.stderr
    line = next(x for x in proc.stdout.splitlines() if x.startswith("▶ Memory mode"))
    assert "the Docker engine is not running" in " ".join(proc.stdout.split()) and line


def test_no_engine_up_says_so_with_the_fix_quickly(missing):
    proc = run("up", "redis", docker_host=missing)
    assert proc.returncode == 3 and proc.seconds < 5, proc.text
    assert "its engine is not running" in proc.text and "systemctl start docker" in proc.text
    zh = run("--lang", "zh", "up", "redis", docker_host=missing)
    assert "引擎没有运行" in zh.text and "systemctl start docker" in zh.text


def test_no_engine_rabbitmq_mode_fails_with_the_docker_reason(missing):
    proc = run("lesson", "1", "--broker", "rabbitmq", docker_host=missing)
    assert proc.returncode == 3 and proc.seconds < 10, proc.text
    assert "could not be started in Docker" in proc.text and "its engine is not running" in proc.text


def test_no_engine_redis_mode_uses_a_local_redis_server_and_says_why(missing, tmp_path):
    if not shutil.which("redis-server"):
        pytest.skip("no redis-server program here")
    proc, report = lesson(1, "--broker", "redis", tmp_path=tmp_path,
                          extra_env={"CLASSROOM_DOCKER": "on", **AWAY, "DOCKER_HOST": missing})
    assert report["mode"] == "redis" and "started redis-server" in proc.stdout, proc.stdout + proc.stderr
    assert "Docker could not start one (the Docker engine is not running)" in " ".join(proc.stdout.split())


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
    script = f"{PY} runner.py up redis; echo rc=$?; {PY} runner.py lesson 1"
    try:
        proc = subprocess.run([capsh, "--drop=cap_dac_override,cap_dac_read_search", "--", "-c", script],
                              cwd=ROOT, capture_output=True, text=True, timeout=60,
                              env=env(CLASSROOM_DOCKER="on", DOCKER_HOST=f"unix://{path}", **AWAY))
    finally:
        sock.close()
    text = " ".join((proc.stdout + proc.stderr).split())
    assert "Permission denied on the Docker socket" in text and "usermod -aG docker" in text, text
    assert "rc=3" in text and "Memory mode" in text and f"permission denied on {path}" in text
