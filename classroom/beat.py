"""Celery beat for lessons that need it (``beat = true`` in lesson.toml).

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

from . import ROOT, bounds, paths, procs
from .errors import ClassroomError
from .waits import wait_until

STARTED = "beat: Starting..."   # what beat logs when its loop begins


def schedule_path(run_id: str, name: str) -> Path:
    folder = paths.state_dir() / "beat"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"celerybeat-schedule-{run_id}-{name}"


def beat_command(module: str, schedule: Path | str | None = None, loglevel: str = "info") -> list[str]:
    """The plain `celery beat` command line (what the notes print, minus the python -m)."""
    cmd = ["celery", "-A", module, "beat", "-l", loglevel]
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
    """`python -m celery -A <module> beat -s <state>/beat/...` in its own process group."""

    def __init__(self, module: str, name: str, run_id: str, env: dict[str, str]) -> None:
        self.module, self.name = module, name
        self.env = {**os.environ, **env, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
        self.schedule = schedule_path(run_id, name)
        self.log = paths.log_dir() / f"beat-{run_id}-{name}.log"
        self.proc = None

    def start(self) -> None:
        self.log.write_text("")
        # --max-interval 1: beat wakes at least every second, so a lesson's 1 s schedules stay on time.
        cmd = [sys.executable, "-m"] + beat_command(self.module, self.schedule) + ["--max-interval", "1"]
        self.proc = procs.spawn(cmd, self.log, env=self.env, cwd=str(ROOT))
        wait_until(lambda: self.proc.poll() is not None or STARTED in self.log_tail(50), bounds.BEAT_START_S, 0.05)
        if self.proc.poll() is not None or STARTED not in self.log_tail(50):
            code = self.proc.poll()
            self.stop()
            raise ClassroomError("beat.not_started", name=self.name, code=code, seconds=bounds.BEAT_START_S,
                                 log=str(self.log), tail=self.log_tail())

    def stop(self) -> None:
        if self.proc is not None:
            procs.stop(self.proc, bounds.BEAT_STOP_S)   # SIGTERM: beat saves its schedule and exits
            _remove_schedule(self.schedule)

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def log_tail(self, lines: int = 15) -> str:
        return procs.tail(self.log, lines)


class EmbeddedBeat:
    """Beat in a daemon thread of this process (memory mode)."""

    def __init__(self, app, name: str, run_id: str) -> None:
        self.app, self.name = app, name
        self.schedule = schedule_path(run_id, name)
        self.log = paths.log_dir() / f"beat-{run_id}-{name}.log"
        self.thread = None
        self._handler: logging.Handler | None = None

    def start(self) -> None:
        from celery.beat import EmbeddedService

        self.log.write_text("")
        self._handler = logging.FileHandler(self.log, encoding="utf-8")
        self._handler.setFormatter(logging.Formatter("[%(asctime)s: %(levelname)s/%(threadName)s] %(message)s"))
        logging.getLogger("celery.beat").addHandler(self._handler)
        logging.getLogger("celery.beat").setLevel(logging.INFO)
        # thread=True: the scheduler wakes at least once a second, so stop() is quick.
        self.thread = EmbeddedService(self.app, thread=True, schedule_filename=str(self.schedule))
        self.thread.start()
        if not wait_until(lambda: self.thread.service._last_tick is not None, bounds.BEAT_START_S, 0.02):
            self.stop()
            raise ClassroomError("beat.not_started", name=self.name, code=None, seconds=bounds.BEAT_START_S,
                                 log=str(self.log), tail=self.log_tail())

    def stop(self) -> None:
        if self.thread is not None:
            self.thread.service.stop()              # the loop sees the flag within max_interval (1 s)
            self.thread.join(bounds.BEAT_STOP_S)
            if not self.thread.is_alive():
                _remove_schedule(self.schedule)
        if self._handler is not None:
            logging.getLogger("celery.beat").removeHandler(self._handler)
            self._handler.close()
            self._handler = None

    def alive(self) -> bool:
        return self.thread is not None and self.thread.is_alive()

    def log_tail(self, lines: int = 15) -> str:
        return procs.tail(self.log, lines)


def make_beat(app, module: str, name: str, run_id: str, in_process: bool, env: dict[str, str]):
    return EmbeddedBeat(app, name, run_id) if in_process else BeatProcess(module, name, run_id, env)
