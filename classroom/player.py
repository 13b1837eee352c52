"""Plays a lesson's steps: shows the code, runs it under a deadline, shows what the worker did."""
from __future__ import annotations

import time
import traceback

from . import paths, ui, waits
from .errors import ClassroomError, WaitTimeout
from .messages import t
from .scenario import Run
from .session import Session


def play(lesson, mode: str = "auto", url: str | None = None) -> bool:
    """Run every step of `lesson`; True when each behaved as the lesson says."""
    began = time.monotonic()
    scenario = lesson.scenario()
    passed = skipped = 0
    with Session(lesson, mode, url) as session:
        ui.lesson_header(lesson, session.broker, session.hostnames)
        total = len(scenario.steps)
        for index, step in enumerate(scenario.steps, 1):
            ui.step_start(index, total, step)
            if step.modes and session.broker.mode not in step.modes:
                ui.step_skipped(step, session.broker.mode)
                skipped += 1
                continue
            run = Run(session.app, session.broker.mode, session.hostnames, lesson)
            ok, failure, start = False, None, time.monotonic()
            try:
                waits.call_with_deadline(lambda: step.func(run), step.deadline_s,
                                         on_timeout=lambda: WaitTimeout("step.deadline", seconds=step.deadline_s))
                ok = all(passed_ for passed_, _ in run.checks)
            except ClassroomError as exc:
                failure = exc.message()
            except Exception as exc:  # a lesson bug or an unexpected Celery error: show it, log the traceback
                failure = t("step.crashed", error=f"{type(exc).__name__}: {exc}", log=_log_traceback())
            ui.step_outcome(step, run, ok, time.monotonic() - start, failure)
            if ok:
                passed += 1
            else:
                for worker in session.workers:
                    if not worker.alive():
                        ui.warn(t("worker.died", name=worker.hostname, tail=worker.log_tail()))
        ui.summary(lesson, passed, total, skipped, time.monotonic() - began)
    return passed == total - skipped


def _log_traceback() -> str:
    path = paths.log_dir() / "runner-traceback.log"
    try:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(traceback.format_exc() + "\n")
    except OSError:
        return "-"
    return str(path)
