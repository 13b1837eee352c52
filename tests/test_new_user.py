"""Issue 21, the engine part: what a new user meets (copyable commands, Flower's port and password,
wrapping, the class CSV, one Ctrl+C). Each test failed before its fix."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import time

import pytest

from .helpers import PY, ROOT, env, processes_matching


def _start_worker_command(*args: str, extra_env: dict | None = None) -> tuple[subprocess.Popen, str]:
    """`runner.py worker ARGS` in its own process group, as a terminal starts it; returns once celery is ready."""
    proc = subprocess.Popen([PY, "runner.py", "worker", *args], cwd=ROOT, env=env(**(extra_env or {})),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    seen = ""
    deadline = time.monotonic() + 40
    while " ready." not in seen and time.monotonic() < deadline and proc.poll() is None:
        seen += proc.stdout.readline()
    if " ready." not in seen:
        proc.kill()
        raise AssertionError(f"the worker did not start:\n{seen}")
    return proc, seen


@pytest.mark.broker
@pytest.mark.timeout(60)
def test_ctrl_c_in_the_terminal_gives_one_warm_shutdown(redis_url):
    """Bug 11: the terminal sends SIGINT to the whole foreground group; celery must hear it once."""
    proc, seen = _start_worker_command("1", "--broker-url", redis_url)
    name = re.search(r"(worker1@\S+) ready", seen).group(1)
    sent = time.monotonic()
    os.killpg(proc.pid, signal.SIGINT)              # what Ctrl+C in a terminal does
    out, _ = proc.communicate(timeout=20)
    took = time.monotonic() - sent
    assert proc.returncode == 130, out
    assert out.count("Warm shutdown") == 1, out
    assert "Second Ctrl+C" not in out, out
    assert took < 6, took
    assert not processes_matching(name)
