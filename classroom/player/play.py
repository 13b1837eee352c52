"""Plays a lesson's steps: shows the code, runs it under a deadline, shows what the worker did."""
from __future__ import annotations

import json
import time
import traceback
from pathlib import Path

from classroom import brokers, paths, ui
from classroom.errors import BrokerError, ClassroomError, WaitTimeout
from classroom.lessonkit.run import Run
from classroom.lessonkit.step import StepSkipped
from classroom.messages import t
from classroom.player.explain import explain
from classroom.runtime import waits
from classroom.runtime.session import Session


def play(lesson, mode: str = "auto", url: str | None = None, report: str | None = None) -> bool:
    """Run every step of `lesson`; True when each behaved as the lesson says.

    `report`: a path for a JSON record of what really happened (used by tests and `all`)."""
    began = time.monotonic()
    scenario = lesson.scenario()
    record: dict = {"lesson": lesson.number, "steps": [], "passed": 0, "skipped": 0}
    try:
        with Session(lesson, mode, url) as session:
            record.update(mode=session.broker.mode, workers=session.hostnames,
                          broker_url=brokers.redact(session.broker.url))
            _play_steps(lesson, scenario, session, record)
    finally:
        record.update(total=len(scenario.steps), seconds=time.monotonic() - began)
        if report:
            Path(report).write_text(json.dumps(record, indent=2, default=repr), encoding="utf-8")
    passed, skipped = record["passed"], record["skipped"]
    ui.summary(lesson, passed, len(scenario.steps), skipped, time.monotonic() - began)
    return passed == len(scenario.steps) - skipped


def _play_steps(lesson, scenario, session, record: dict) -> None:
    """Play each step; record["passed"] / ["skipped"] count as they go (also when a fatal error ends it)."""
    ui.lesson_header(lesson, session.broker, session.hostnames)
    total = len(scenario.steps)
    state: dict = {}                          # what the steps of this play share (never a module global)
    for index, step in enumerate(scenario.steps, 1):
        ui.step_start(index, total, step)
        if not step.runs_in(session.broker.mode):
            reason = step.skip_reason(session.broker.mode, lesson.number)
            ui.step_skipped(step, session.broker.mode, reason)
            record["skipped"] += 1
            record["steps"].append({"name": step.name, "skipped": True, "ok": None, "reason": reason})
            continue
        run = Run(session, lesson, step, state)
        ok, failure, fatal, start = False, None, None, time.monotonic()
        try:
            _run_step(step, run, index)
            ok = all(passed_ for passed_, _ in run.checks)
        except StepSkipped as exc:   # the step found it cannot run here and said why
            ui.step_skipped_inside(step, exc.reason)
            record["skipped"] += 1
            record["steps"].append({"name": step.name, "skipped": True, "ok": None, "reason": exc.reason,
                                    "data": run.data})
            continue
        except StepOverrun as exc:   # stopped at its deadline: the lesson ends here, naming the step
            failure, fatal = exc.message(), exc
        except Exception as exc:  # explained if we know it; else shown as it is, traceback logged
            known = explain(exc, brokers.redact(session.broker.url), session.app)
            failure = known.message() if known else t(
                "step.crashed", error=f"{type(exc).__name__}: {exc}", log=_log_traceback())
            fatal = known if isinstance(known, BrokerError) else None
        ui.step_outcome(step, run, ok, time.monotonic() - start, failure)
        record["steps"].append(_step_record(step, run, ok, failure, time.monotonic() - start, session.tracker))
        if fatal is not None:  # the broker is gone, or a step overran: the remaining steps cannot run
            raise fatal
        if ok:
            record["passed"] += 1
        else:
            for worker in session.workers:
                if not worker.alive():
                    ui.warn(t("worker.died", name=worker.hostname, tail=worker.log_tail()))


class StepOverrun(ClassroomError):
    """A step ran past its deadline: it was cancelled (its next wait raises) and the play ends."""


def _run_step(step, run: Run, index: int) -> None:
    """Run the step in a thread under its deadline; past it, cancel the step (each of its waits checks
    the token) and end the play with a message that names the step and the bound."""
    def body() -> None:
        waits.set_cancel_token(run.cancel)
        try:
            step.func(run)
        except waits.Cancelled:
            pass

    try:
        waits.call_with_deadline(body, step.deadline_s,
                                 on_timeout=lambda: StepOverrun("kit.step_overrun", index=index, name=step.name,
                                                                seconds=step.deadline_s))
    except StepOverrun:
        run.cancel.set()
        raise


def _step_record(step, run, ok: bool, failure: str | None, seconds: float, tracker) -> dict:
    ids = {obs.task_id for obs in run.observations} | {i for _, group in run.timelines for i in group}
    return {
        "name": step.name, "ok": ok, "skipped": False, "failure": failure, "seconds": seconds,
        "checks": [{"ok": ok_, "what": what} for ok_, what in run.checks],
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
