"""Plays a lesson's steps: shows the code, runs it under a deadline, shows what the worker did."""
from __future__ import annotations

import json
import time
import traceback
from pathlib import Path

from classroom import brokers, paths, ui
from classroom.errors import BrokerError, WaitTimeout
from classroom.messages import t
from classroom.player.explain import explain
from classroom.player.scenario import Run, StepSkipped
from classroom.runtime import waits
from classroom.runtime.session import Session
from classroom.runtime.tracking import tracker


def play(lesson, mode: str = "auto", url: str | None = None, report: str | None = None) -> bool:
    """Run every step of `lesson`; True when each behaved as the lesson says.

    `report`: a path for a JSON record of what really happened (used by tests and `all`)."""
    began = time.monotonic()
    scenario = lesson.scenario()
    passed = skipped = 0
    record: dict = {"lesson": lesson.number, "steps": []}
    try:
        with Session(lesson, mode, url) as session:
            record.update(mode=session.broker.mode, workers=session.hostnames,
                          broker_url=brokers.redact(session.broker.url))
            passed, skipped = _play_steps(lesson, scenario, session, record)
    finally:
        record.update(passed=passed, skipped=skipped, total=len(scenario.steps), seconds=time.monotonic() - began)
        if report:
            Path(report).write_text(json.dumps(record, indent=2, default=repr), encoding="utf-8")
    ui.summary(lesson, passed, len(scenario.steps), skipped, time.monotonic() - began)
    return passed == len(scenario.steps) - skipped


def _play_steps(lesson, scenario, session, record: dict) -> tuple[int, int]:
    passed = skipped = 0
    ui.lesson_header(lesson, session.broker, session.hostnames)
    total = len(scenario.steps)
    for index, step in enumerate(scenario.steps, 1):
        ui.step_start(index, total, step)
        if step.modes and session.broker.mode not in step.modes:
            ui.step_skipped(step, session.broker.mode)
            skipped += 1
            record["steps"].append({"name": step.func.__name__, "skipped": True, "ok": None})
            continue
        run = Run(session.app, session.broker.mode, session.hostnames, lesson)
        ok, failure, fatal, start = False, None, None, time.monotonic()
        try:
            waits.call_with_deadline(lambda: step.func(run), step.deadline_s,
                                     on_timeout=lambda: WaitTimeout("step.deadline", seconds=step.deadline_s))
            ok = all(passed_ for passed_, _ in run.checks)
        except StepSkipped as exc:   # the step found it cannot run here and said why
            ui.step_skipped_inside(step, exc.reason)
            skipped += 1
            record["steps"].append({"name": step.func.__name__, "skipped": True, "ok": None, "reason": exc.reason,
                                    "data": run.data})
            continue
        except Exception as exc:  # explained if we know it; else shown as it is, traceback logged
            known = explain(exc, brokers.redact(session.broker.url), session.app)
            failure = known.message() if known else t(
                "step.crashed", error=f"{type(exc).__name__}: {exc}", log=_log_traceback())
            fatal = known if isinstance(known, BrokerError) else None
        ui.step_outcome(step, run, ok, time.monotonic() - start, failure)
        record["steps"].append(_step_record(step, run, ok, failure, time.monotonic() - start))
        if fatal is not None:  # the broker is gone: the remaining steps cannot run either
            raise fatal
        if ok:
            passed += 1
        else:
            for worker in session.workers:
                if not worker.alive():
                    ui.warn(t("worker.died", name=worker.hostname, tail=worker.log_tail()))
    return passed, skipped


def _step_record(step, run, ok: bool, failure: str | None, seconds: float) -> dict:
    ids = {obs.task_id for obs in run.observations} | {i for _, group in run.timelines for i in group}
    return {
        "name": step.func.__name__, "ok": ok, "skipped": False, "failure": failure, "seconds": seconds,
        "checks": [{"ok": ok_, "what": what.replace("\\[", "[")} for ok_, what in run.checks],   # as printed
        "notes": run.notes,
        "observations": [vars(obs) for obs in run.observations],
        "tasks": {i: vars(tracker.tasks[i]) for i in ids if i in tracker.tasks},
        "data": run.data,
    }


def _log_traceback() -> str:
    path = paths.log_dir() / "runner-traceback.log"
    try:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(traceback.format_exc() + "\n")
    except OSError:
        return "-"
    return str(path)
