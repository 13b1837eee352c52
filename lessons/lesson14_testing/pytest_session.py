"""Run a small pytest session to its end, bounded, and read what happened to each test.

The session is a command of the run (run.run_command): its own process group and log, stopped after
COMMAND_RUN_S at the latest. Its JUnit XML report gives the outcome per test.
"""
from __future__ import annotations

import os
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from classroom.lessonkit import ClassroomError, bounds

SAMPLES = Path(__file__).resolve().parent / "sample_tests"
TRAPS = ("CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "CELERY_TASK_ALWAYS_EAGER")   # Celery reads the first two


def broker_env(run) -> dict[str, str]:
    """Where the sample tests send their tasks: the lesson's broker, in a queue (and on Redis a key
    prefix) of this run, so that nothing else consumes them and the run's clean-up removes them."""
    env = {"TEST_BROKER_URL": run.broker_url, "TEST_RESULT_BACKEND": run.backend_url,
           "TEST_QUEUE": f"{run.run_id}.tests"}
    if run.broker_url.startswith(("redis://", "rediss://")):
        env["TEST_KEYPREFIX"] = f"{run.run_id}:"
    return env


def run_pytest(run, label: str, args: list[str], extra_env: dict[str, str] | None = None,
               cwd: Path = SAMPLES, seconds: float = bounds.COMMAND_RUN_S) -> dict:
    """`python -m pytest ARGS` in `cwd`; returns exit code, seconds and {test: (outcome, message, s)}."""
    import importlib.util
    if importlib.util.find_spec("pytest") is None:     # pytest is in requirements.txt; an older venv may lack it
        raise ClassroomError("pytest.not_installed")
    xml = Path(run.file(f"pytest-{label}.xml"))
    env = {k: v for k, v in os.environ.items() if k not in TRAPS}
    env.update(run.child_env(), PYTHONDONTWRITEBYTECODE="1", **(extra_env or {}))
    # classroom.runtime.pytest_wake: the in-process test worker stops when told, not after a 2 s poll.
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "classroom.runtime.pytest_wake",
           f"--junitxml={xml}", *args]
    done = run.run_command(f"pytest-{label}", cmd, env=env, cwd=str(cwd), timeout=seconds)
    tests = read_junit(xml) if xml.exists() else {}     # "detail": the whole failure text
    xml.unlink(missing_ok=True)
    return {"exit": done.exit, "seconds": done.seconds, "tests": tests, "log": done.log}


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
