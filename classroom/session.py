"""A lesson session: broker + real workers + event tracking, set up and always torn down.

    with Session(lesson, mode, url) as session:
        ...  # session.app, session.workers, session.broker

Whatever happens inside (a failed step, an exception, Ctrl+C), leaving the block stops every
worker and every broker process the session started.
"""
from __future__ import annotations

import importlib
import os
import secrets
import socket
import sys

from . import brokers, ui
from .envvars import NAMESPACE_ENV
from .messages import t
from .beat import make_beat
from .tracking import tracker
from .workers import EmbeddedWorker, ProcessWorker


def _load_app(module_name: str):
    """Import the lesson's tasks module with the broker chosen (celeryconfig reads the environment)."""
    if "classroom.celeryconfig" in sys.modules:
        importlib.reload(sys.modules["classroom.celeryconfig"])
    module = importlib.import_module(module_name)
    return module.app


class Session:
    current: "Session | None" = None   # the session being played (a step's run.session)

    def __init__(self, lesson, mode: str = "auto", url: str | None = None, worker_specs=None) -> None:
        self.lesson = lesson
        self.mode, self.url = mode, url
        self.specs = worker_specs if worker_specs is not None else lesson.workers
        self.run_id = f"lesson{lesson.number}-{secrets.token_hex(2)}"
        self.broker: brokers.Broker | None = None
        self.workers: list = []
        self.beats: list = []          # beat schedulers (lesson.toml `beat = true`, or start_beat())
        self.app = None

    def __enter__(self) -> "Session":
        try:
            self._start()
        except BaseException:
            self.close()
            raise
        return self

    def _start(self) -> None:
        Session.current = self
        with ui.status(t("session.finding_broker")):
            self.broker = brokers.resolve(self.mode, self.url)
        os.environ.update(self.broker.env())
        if not self.broker.in_process:
            os.environ[NAMESPACE_ENV] = self.run_id  # runs sharing a Redis never see each other's tasks
        self.app = _load_app(self.lesson.tasks_module)
        tracker.start(self.app)
        with ui.status(t("session.starting_workers", n=len(self.specs))):
            for spec in self.specs:
                hostname = f"{spec.name}@{self.run_id}"
                if self.broker.in_process:
                    worker = EmbeddedWorker(self.app, spec, hostname)
                else:
                    worker = ProcessWorker(self.app, self.lesson.tasks_module, spec, hostname,
                                           {**self.broker.env(), NAMESPACE_ENV: self.run_id})
                self.workers.append(worker)
                worker.start()
        if self.lesson.raw.get("beat"):
            with ui.status(t("session.starting_beat")):
                self.start_beat("beat")

    def start_beat(self, name: str):
        """Start a beat scheduler for the lesson's app (embedded in memory mode, else a process)."""
        beat = make_beat(self.app, self.lesson.tasks_module, name, self.run_id, self.broker.in_process,
                         {**self.broker.env(), NAMESPACE_ENV: self.run_id})
        self.beats.append(beat)        # before start(): close() stops it even if start() fails
        beat.start()
        return beat

    @property
    def hostnames(self) -> list[str]:
        return [w.hostname for w in self.workers]

    def close(self) -> None:
        Session.current = None
        for beat in reversed(self.beats):   # first: no new periodic tasks while workers stop
            try:
                beat.stop()
            except Exception:
                pass
        for worker in self.workers:             # process workers shut down in parallel
            if hasattr(worker, "request_stop"):
                worker.request_stop()
        for worker in reversed(self.workers):
            try:
                worker.stop()
            except Exception:
                pass
        tracker.stop()
        if self.broker is not None:
            self.broker.stop()

    def __exit__(self, *exc) -> None:
        self.close()
