"""Celery and kombu are configured so that publishing to a dead or silent broker fails within seconds."""
from __future__ import annotations

import subprocess
import sys
import time

import pytest

from .helpers import ROOT, env

# Each case runs in a fresh interpreter: celeryconfig reads the broker URL from the environment at import.
PUBLISH = """
import time
from lessons.lesson01_basics.tasks import add
started = time.monotonic()
try:
    add.delay(1, 1)
    print("SENT")
except Exception as exc:
    print("ERROR", type(exc).__name__, round(time.monotonic() - started, 2))
"""


def publish_with(url: str, backend: str | None = None, timeout: float = 30) -> tuple[str, float]:
    extra = {"CLASSROOM_BROKER_URL": url}
    if backend:
        extra["CLASSROOM_RESULT_BACKEND"] = backend
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", PUBLISH], cwd=ROOT, env=env(**extra), capture_output=True,
                          text=True, timeout=timeout)
    return proc.stdout.strip() + proc.stderr[-300:], time.monotonic() - started


@pytest.mark.parametrize("url", ["redis://127.0.0.1:1/0", "amqp://guest:guest@127.0.0.1:1//"])
def test_publish_to_closed_port_fails_within_seconds(url):
    out, took = publish_with(url, backend="redis://127.0.0.1:1/1" if url.startswith("redis") else "rpc://")
    # With Redis as both broker and backend, the backend subscribes first and gives up first
    # (RuntimeError "Retry limit exceeded ... result store"); either way: an error, quickly.
    assert out.startswith(("ERROR OperationalError", "ERROR RuntimeError")), out
    assert took < 10, took


def test_publish_to_a_silent_redis_fails_within_seconds(silent_server):
    url = f"redis://127.0.0.1:{silent_server}/0"
    out, took = publish_with(url, backend=url)
    assert out.startswith("ERROR"), out
    assert took < 20, took
