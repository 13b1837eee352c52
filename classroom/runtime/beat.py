"""Celery beat, the `beat` service kind (``[[services]] name = "beat"`` in lesson.toml).

Memory mode: beat runs in a thread of this process (``celery.beat.EmbeddedService``), because only
this process can reach ``memory://``. Otherwise: ``python -m celery -A <module> beat`` in its own
process group, like the workers. Both have the worker interface: ``start()`` returns once beat is
ticking, ``stop()`` is bounded and idempotent, ``log_tail()`` shows what beat said.

The schedule file (beat's record of when each entry last ran) goes to the runner's state folder,
one per run, and is deleted on stop: a lesson always starts from a fresh schedule.
"""
from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from kombu.utils.imports import symbol_by_name

from classroom import ROOT, paths
from classroom.errors import ClassroomError
from classroom.runtime import bounds
from classroom.runtime.process import WARM, ManagedProcess, NotReady, tail
from classroom.runtime.waits import wait_until

STARTED = "beat: Starting..."   # what beat logs when its loop begins


def schedule_path(run_id: str, name: str) -> Path:
    folder = paths.state_dir() / "beat"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"celerybeat-schedule-{run_id}-{name}"


def beat_command(module: str, schedule: Path | str | None = None, loglevel: str = "info",
                 scheduler: str | None = None) -> list[str]:
    """The plain `celery beat` command line (what the notes print, minus the python -m)."""
    cmd = ["celery", "-A", module, "beat", "-l", loglevel]
    if scheduler:
        cmd += ["-S", scheduler]
    if schedule:
        cmd += ["-s", str(schedule)]
    return cmd


def _remove_schedule(schedule: Path) -> None:
    # shelve may add a suffix (.db, .dat/.dir/.bak) depending on the dbm module it picks.
    for path in schedule.parent.glob(schedule.name + "*"):
        try:
            path.unlink()
        except OSError:
            pass


class BeatProcess:
    """`python -m celery -A <module> beat -s <state>/beat/...`: a managed process, ready once beat logs
    that its loop began."""

    def __init__(self, module: str, name: str, run_id: str, env: dict[str, str], scheduler: str | None = None) -> None:
        self.module, self.name = module, name
        self.schedule = schedule_path(run_id, name)
        env = {**os.environ, **env}       # env: the session's child_env() (broker, settings, PYTHONPATH)
        # --max-interval 1: beat wakes at least every second, so a lesson's 1 s schedules stay on time.
        cmd = [sys.executable, "-m"] + beat_command(module, self.schedule, scheduler=scheduler) + ["--max-interval", "1"]
        self.process = ManagedProcess(f"beat {name}", cmd, paths.log_dir() / f"beat-{run_id}-{name}.log", env=env,
                                      cwd=str(ROOT), ready=lambda p: STARTED in p.log_tail(50),
                                      start_s=bounds.BEAT_START_S, stop_steps=((WARM, bounds.BEAT_STOP_S),))
        self.log = self.process.log
        self.info = {"kind": "beat", "schedule": str(self.schedule), "scheduler": scheduler or "default"}

    def start(self) -> None:
        try:
            self.process.start()
        except NotReady as failed:
            raise ClassroomError("beat.not_started", name=self.name, code=failed.code, seconds=bounds.BEAT_START_S,
                                 log=str(self.log), tail=self.log_tail()) from None

    def request_stop(self) -> None:
        self.process.request_stop()

    def stop(self) -> None:
        self.process.stop()       # SIGTERM: beat saves its schedule and exits
        _remove_schedule(self.schedule)

    def alive(self) -> bool:
        return self.process.alive()

    def log_tail(self, lines: int = 15) -> str:
        return self.process.log_tail(lines)


class EmbeddedBeat:
    """Beat in a daemon thread of this process (memory mode)."""

    def __init__(self, app, name: str, run_id: str, scheduler: str | None = None) -> None:
        self.app, self.name, self.scheduler = app, name, scheduler
        self.schedule = schedule_path(run_id, name)
        self.log = paths.log_dir() / f"beat-{run_id}-{name}.log"
        self.info = {"kind": "beat", "schedule": str(self.schedule), "in_process": True,
                     "scheduler": scheduler or "default"}
        self.thread = None
        self._handler: logging.Handler | None = None

    def start(self) -> None:
        from celery.beat import EmbeddedService

        self.log.write_text("")
        self._handler = logging.FileHandler(self.log, encoding="utf-8")
        self._handler.setFormatter(logging.Formatter("[%(asctime)s: %(levelname)s/%(threadName)s] %(message)s"))
        # thread=True: the scheduler wakes at least once a second, so stop() is quick.
        scheduler_cls = symbol_by_name(self.scheduler) if self.scheduler else None
        # A scheduler from another package logs under its own module's name (what `celery beat` shows).
        for logger in self._loggers(scheduler_cls):
            logger.addHandler(self._handler)
            logger.setLevel(logging.INFO)
        self.thread = EmbeddedService(self.app, thread=True, schedule_filename=str(self.schedule),
                                      scheduler_cls=scheduler_cls)
        self.thread.start()
        if not wait_until(lambda: self.thread.service._last_tick is not None, bounds.BEAT_START_S, 0.02):
            self.stop()
            raise ClassroomError("beat.not_started", name=self.name, code=None, seconds=bounds.BEAT_START_S,
                                 log=str(self.log), tail=self.log_tail())

    @staticmethod
    def _loggers(scheduler_cls) -> list[logging.Logger]:
        names = ["celery.beat"] + ([scheduler_cls.__module__] if scheduler_cls is not None else [])
        return [logging.getLogger(name) for name in dict.fromkeys(names)]

    def request_stop(self) -> None:
        if self.thread is not None:
            self.thread.service.stop()              # a flag: the loop sees it within max_interval

    def stop(self) -> None:
        if self.thread is not None:
            self.thread.service.stop()              # the loop sees the flag within max_interval (1 s)
            self.thread.join(bounds.BEAT_STOP_S)
            if not self.thread.is_alive():
                _remove_schedule(self.schedule)
        if self._handler is not None:
            for logger in self._loggers(symbol_by_name(self.scheduler) if self.scheduler else None):
                logger.removeHandler(self._handler)
            self._handler.close()
            self._handler = None

    def alive(self) -> bool:
        return self.thread is not None and self.thread.is_alive()

    def log_tail(self, lines: int = 15) -> str:
        return tail(self.log, lines)


def make(session, spec):
    """The `beat` service kind (classroom/runtime/services.py): in this process in memory mode, else a process.
    Option `scheduler = "package.module:Class"`: beat's -S (e.g. django_celery_beat's DatabaseScheduler)."""
    scheduler = spec.options.get("scheduler")
    if session.broker.in_process:
        return EmbeddedBeat(session.app, spec.name, session.run_id, scheduler)
    return BeatProcess(session.lesson.app_module, spec.name, session.run_id, session.child_env(), scheduler)
