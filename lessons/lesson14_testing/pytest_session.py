"""Run a small pytest session to its end, bounded, and read what happened to each test.

The session is a managed process (classroom/runtime/process.py): its own process group and log,
stopped after COMMAND_RUN_S at the latest. Its JUnit XML report gives the outcome per test.
"""
from __future__ import annotations

import os
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

from classroom import paths
from classroom.runtime import bounds
from classroom.runtime.process import ManagedProcess

SAMPLES = Path(__file__).resolve().parent / "sample_tests"
TRAPS = ("CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "CELERY_TASK_ALWAYS_EAGER")   # Celery reads the first two


def broker_env(session) -> dict[str, str]:
    """Where the sample tests send their tasks: the lesson's broker, in a queue (and on Redis a key
    prefix) of this run, so that nothing else consumes them and the run's clean-up removes them."""
    env = {"TEST_BROKER_URL": session.broker.url, "TEST_RESULT_BACKEND": session.broker.backend,
           "TEST_QUEUE": f"{session.run_id}.tests"}
    if session.broker.url.startswith(("redis://", "rediss://")):
        env["TEST_KEYPREFIX"] = f"{session.run_id}:"
    return env


def run_pytest(session, label: str, args: list[str], extra_env: dict[str, str] | None = None,
               cwd: Path = SAMPLES, seconds: float = bounds.COMMAND_RUN_S) -> dict:
    """`python -m pytest ARGS` in `cwd`; returns exit code, seconds and {test: (outcome, message, s)}."""
    import importlib.util
    if importlib.util.find_spec("pytest") is None:     # pytest is in requirements.txt; an older venv may lack it
        from classroom.errors import ClassroomError
        raise ClassroomError("pytest.not_installed")
    logs = paths.log_dir()
    xml = logs / f"pytest-{session.run_id}-{label}.xml"
    xml.unlink(missing_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in TRAPS}
    env.update(session.child_env(), PYTHONDONTWRITEBYTECODE="1", **(extra_env or {}))
    # classroom.runtime.pytest_wake: the in-process test worker stops when told, not after a 2 s poll.
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "classroom.runtime.pytest_wake",
           f"--junitxml={xml}", *args]
    proc = ManagedProcess(f"pytest-{label}", cmd, logs / f"pytest-{session.run_id}-{label}.log", env=env, cwd=str(cwd))
    began = time.monotonic()
    code = proc.run_to_end(seconds)
    took = round(time.monotonic() - began, 2)
    tests = read_junit(xml) if xml.exists() else {}     # "detail": the whole failure text
    xml.unlink(missing_ok=True)
    return {"exit": code, "seconds": took, "tests": tests, "log": proc.log_tail(400)}


def read_junit(xml: Path) -> dict[str, dict]:
    tests = {}
    for case in ET.parse(xml).getroot().iter("testcase"):
        outcome, message, detail = "passed", "", ""
        for child in case:
            if child.tag in ("failure", "error", "skipped"):
                outcome = {"failure": "failed", "error": "error", "skipped": "skipped"}[child.tag]
                detail = f"{child.get('message') or ''}\n{child.text or ''}"
                lines = [line.strip() for line in detail.splitlines() if line.strip()]
                said = [line[1:].strip() for line in lines if line.startswith("E ")]   # pytest's "E   ..." lines
                first = (child.get("message") or "").strip().splitlines()
                message = first[0] if first and ": " in first[0] and "failed on setup" not in first[0] \
                    else (said or lines or [""])[0]
        tests[case.get("name")] = {"outcome": outcome, "message": short(message), "detail": detail,
                                   "seconds": round(float(case.get("time") or 0), 2)}
    return tests


def short(text: str, width: int = 90) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def forget_queue(app, name: str) -> None:
    """RabbitMQ keeps a declared queue (and its exchange) after the run: delete the run's own."""
    if not app.conf.broker_url.startswith(("amqp://", "pyamqp://", "amqps://")):
        return
    with app.connection_for_write() as conn:
        channel = conn.default_channel
        channel.queue_delete(name)
        channel.exchange_delete(name)
