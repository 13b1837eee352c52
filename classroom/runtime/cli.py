"""The real `celery` command line, run by a step for the learner to compare with the Python API.

`celery -A <app> inspect active` in a child process with the run's environment (same broker, same
settings, same key prefix), bounded by bounds.CLI_S, its output read from its log file. What the
learner types for their own broker is `shown()`: the same command without the run's environment.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time

from classroom import ROOT, paths
from classroom.runtime import bounds
from classroom.runtime.process import ManagedProcess


def run_celery(session, args: list[str], seconds: float = bounds.CLI_S) -> tuple[int | None, str]:
    """(exit code or None when the bound ran out, output) of `celery -A <app> ARGS`."""
    return run_side_by_side(session, [args], seconds)[0]


def run_side_by_side(session, commands: list[list[str]], seconds: float = bounds.CLI_S) -> list[tuple[int | None, str]]:
    """Several celery commands at once (each one's imports take about a second): their (code, output)."""
    procs = []
    for i, args in enumerate(commands):
        name = f"celery-{i}-" + "-".join(args[:2])
        procs.append(ManagedProcess(name, [sys.executable, "-m", "celery", "-A", session.lesson.app_module, *args],
                                    paths.log_dir() / f"cli-{session.run_id}-{name}.log",
                                    env={**os.environ, **session.child_env()}, cwd=str(ROOT), stop_steps=()).spawn())
    deadline = time.monotonic() + seconds
    out = []
    for proc in procs:
        try:
            code = proc.popen.wait(max(deadline - time.monotonic(), 0.01))
        except subprocess.TimeoutExpired:
            code = None
        out.append((code, proc.log_tail(200)))
        proc.stop()
    return out


def shown(session, args: list[str]) -> str:
    """The command as the learner would type it against this broker (password hidden)."""
    from classroom import brokers
    url = brokers.redact(session.broker.url) if session.broker else ""
    return " ".join(["celery", "-A", session.lesson.app_module, "-b", url, *args])
