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
import sys
from types import SimpleNamespace

from celery.signals import before_task_publish

from . import bounds, brokers, ui, waits
from .envvars import NAMESPACE_ENV
from .errors import ClassroomError, WaitTimeout
from .messages import t
from .beat import make_beat
from .tracking import tracker
from .workers import EmbeddedWorker, ProcessWorker


def _share_backend(app) -> None:
    """One result backend for all of the runner's threads.

    Celery keeps `app.backend` (and the rpc reply queue id) per thread, and the runner waits in helper
    threads: with rpc:// a result sent to one thread's reply queue is invisible to another, and a Redis
    group result can be missed (celery/celery#6350). A single-threaded client has one backend; so do we.
    """
    shared = SimpleNamespace(backend=app.backend, oid=app.thread_oid)
    app._local = shared


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
        self._warned: set = set()

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
        if not self.broker.in_process:
            _share_backend(self.app)
        if self.broker.mode == "rabbitmq":
            self._refuse_shared_queues()
        tracker.start(self.app)
        before_task_publish.connect(self._warn_time_limit, weak=False)
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
        if getattr(self.lesson, "raw", {}).get("beat"):
            with ui.status(t("session.starting_beat")):
                self.start_beat("beat")
        waits.health_check = self._check_workers

    def start_beat(self, name: str):
        """Start a beat scheduler for the lesson's app (embedded in memory mode, else a process)."""
        beat = make_beat(self.app, self.lesson.tasks_module, name, self.run_id, self.broker.in_process,
                         {**self.broker.env(), NAMESPACE_ENV: self.run_id})
        self.beats.append(beat)        # before start(): close() stops it even if start() fails
        beat.start()
        return beat

    def _check_workers(self) -> None:
        """Called while the runner waits: a dead worker process is reported at once, not after a timeout."""
        for worker in self.workers:
            if isinstance(worker, ProcessWorker) and not worker.alive():
                waits.health_check = None  # say it once
                raise WaitTimeout("wait.worker_died", name=worker.hostname, code=worker.proc.returncode,
                                  tail=worker.log_tail())

    def _refuse_shared_queues(self) -> None:
        """RabbitMQ has no per-run namespace here: if someone else consumes our queues, tasks would mix."""
        ours = {q for spec in self.specs for q in spec.queues}
        try:
            active = waits.inspect(self.app, "active_queues", 0.5)
        except Exception:
            return  # the broker answered a login a moment ago; a failed inspect is not a reason to refuse
        others = {name: {q["name"] for q in queues} & ours for name, queues in active.items()}
        others = {name: qs for name, qs in others.items() if qs}
        if others:
            raise ClassroomError("session.queue_taken", others=", ".join(sorted(others)),
                                 queues=", ".join(sorted(set().union(*others.values()))),
                                 url=brokers.redact(self.broker.url))

    def _warn_time_limit(self, sender=None, headers=None, **_kw) -> None:
        """A time limit on a pool that cannot enforce it (threads, solo) is ignored: never silently."""
        limits = (headers or {}).get("timelimit") or (None, None)
        pools = {getattr(w, "pool", "") for w in self.workers}
        if any(limits) and pools & {"threads", "solo"} and sender not in self._warned:
            self._warned.add(sender)
            ui.warn(t("session.time_limit_ignored", task=str(sender).rsplit(".", 1)[-1],
                      pool="/".join(sorted(pools & {"threads", "solo"}))))
    @property
    def hostnames(self) -> list[str]:
        return [w.hostname for w in self.workers]

    def close(self) -> None:
        waits.health_check = None
        before_task_publish.disconnect(self._warn_time_limit)
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
            self._forget_namespace()
            self.broker.stop()

    def _forget_namespace(self) -> None:
        """Delete this run's keys (queues, bindings) from a shared Redis, so that runs leave nothing behind."""
        if self.broker.in_process or not self.broker.url.startswith(("redis://", "rediss://")):
            return

        def delete() -> None:
            import redis
            client = redis.Redis.from_url(self.broker.url, socket_timeout=bounds.BROKER_SOCKET_S,
                                          socket_connect_timeout=bounds.BROKER_CONNECT_S)
            try:
                keys = list(client.scan_iter(match=f"{self.run_id}:*", count=500))
                if keys:
                    client.delete(*keys)
            finally:
                client.close()

        try:
            waits.call_with_deadline(delete, bounds.BROKER_CONNECT_S + bounds.BROKER_SOCKET_S)
        except Exception:  # the broker may be gone (that is reported elsewhere); tidying up is best effort
            pass

    def __exit__(self, *exc) -> None:
        self.close()
