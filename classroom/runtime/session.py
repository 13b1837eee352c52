"""A lesson session: broker + real workers + event tracking, set up and always torn down.

    with Session(lesson, mode, url) as session:
        ...  # session.app, session.workers, session.broker

Whatever happens inside (a failed step, an exception, Ctrl+C), leaving the block stops every
worker and every broker process the session started.
"""
from __future__ import annotations

import importlib
import json
import os
import secrets
import sys
from types import SimpleNamespace

from celery.signals import before_task_publish

from classroom import ROOT, brokers, paths, ui
from classroom.envvars import SETTINGS_ENV
from classroom.errors import WaitTimeout
from classroom.messages import t
from classroom.runtime import bounds, process, services, waits
from classroom.runtime import settings as run_settings
from classroom.runtime.namespace import Namespace
from classroom.runtime.services import ServiceSpec
from classroom.runtime.tracking import tracker
from classroom.runtime.workers import EmbeddedWorker, ProcessWorker


def _share_backend(app) -> None:
    """One result backend for all of the runner's threads.

    Celery keeps `app.backend` (and the rpc reply queue id) per thread, and the runner waits in helper
    threads: with rpc:// a result sent to one thread's reply queue is invisible to another, and a Redis
    group result can be missed (celery/celery#6350). A single-threaded client has one backend; so do we.
    """
    shared = SimpleNamespace(backend=app.backend, oid=app.thread_oid)
    app._local = shared


def _load_app(lesson, settings: dict):
    """Import the lesson's app module and apply the run's settings over its configuration."""
    for folder in lesson.python_path:       # a project beside the lessons (demos/django_project)
        if folder not in sys.path:
            sys.path.insert(0, folder)
    app = importlib.import_module(lesson.app_module).app
    run_settings.apply(app, settings)
    # As a worker does at start: import the configured task modules and send `import_modules`, on which
    # Celery's fixups act (Django's calls django.setup() and autodiscover_tasks() imports each tasks.py).
    app.loader.import_default_modules()
    return app


class Session:
    current: "Session | None" = None   # the session being played (a step's run.session)

    def __init__(self, lesson, mode: str = "auto", url: str | None = None, worker_specs=None,
                 run_id: str | None = None) -> None:
        self.lesson = lesson
        self.mode, self.url = mode, url
        self.specs = worker_specs if worker_specs is not None else lesson.workers
        self.run_id = run_id or f"lesson{lesson.number}-{secrets.token_hex(2)}"
        self.broker: brokers.Broker | None = None
        self.namespace: Namespace | None = None
        self.settings: dict = {}
        self.workers: list = []
        self.services: dict[str, object] = {}   # name -> service (lesson.toml [[services]], start_service())
        self.app = None
        self.env: dict[str, str] = {}           # lesson.toml [env], filled in: this process and its children
        self._env_before: dict[str, str | None] = {}
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
            brokers.check_backend(self.broker)     # before the first step, not discovered by it
        self.namespace = Namespace(self.broker, self.run_id)   # its own keys / vhost; gone at close()
        process.on_kill_all.append(self._forget_quickly)   # a second Ctrl+C still deletes the run's keys
        self.broker.url = self.namespace.open()
        self.broker.reason += self.namespace.told()        # RabbitMQ: which vhost to look in
        self.settings = run_settings.for_run(self.broker, self.namespace, getattr(self.lesson, "celery", None))
        os.environ.update(self.broker.env())    # the learner's own calls in this process see the same broker
        self._set_lesson_env()
        self.specs = [spec for spec in self.specs if spec.runs_in(self.broker.mode)]   # e.g. prefork-only ones
        self.namespace.lock({q for spec in self.specs      # a shared vhost: take our queues, or be refused
                             for q in (spec.queues or (self.settings.get("task_default_queue", "celery"),))})
        # Worker processes first: their boot (about a second of imports) overlaps the rest of the set-up.
        if not self.broker.in_process:
            self.workers = [self._make_worker(spec) for spec in self.specs]
            for worker in self.workers:
                worker.spawn()
        self.app = _load_app(self.lesson, self.settings)
        if not self.broker.in_process:
            _share_backend(self.app)
            for worker in self.workers:
                worker.app = self.app          # its readiness probe pings through the lesson's app
        else:
            self.workers = [self._make_worker(spec) for spec in self.specs]
        tracker.start(self.app)
        before_task_publish.connect(self._warn_time_limit, weak=False)
        with ui.status(t("session.starting_workers", n=len(self.specs))):
            for worker in self.workers:
                worker.start()
        specs = [s for s in getattr(self.lesson, "services", None) or [] if s.runs_in(self.broker.mode)]
        if specs:
            with ui.status(t("session.starting_services", names=", ".join(s.name for s in specs))):
                for spec in specs:
                    self.start_service(spec)
        waits.health_check = self._check_workers
        waits.session_workers = self.hostnames
        waits.app_module = getattr(self.lesson, "app_module", None)

    def _make_worker(self, spec):
        hostname = f"{spec.name}@{self.run_id}"
        if self.broker.in_process:
            return EmbeddedWorker(self.app, spec, hostname)
        return ProcessWorker(self.app, self.lesson.app_module, spec, hostname, self.child_env())

    def child_env(self) -> dict[str, str]:
        """The environment of every process of this run: same broker, same settings, same app path,
        and the lesson's [env]."""
        return {**run_settings.child_env(self.broker, self.settings, getattr(self.lesson, "python_path", [])),
                **self.env}

    def _set_lesson_env(self) -> None:
        """lesson.toml [env] (e.g. DJANGO_SETTINGS_MODULE), with {run_id}, {state} and {root} filled in,
        for this process (until close) and every process the run starts."""
        values = {"run_id": self.run_id, "state": paths.state_dir(), "root": ROOT}
        self.env = {key: value.format(**values) for key, value in (getattr(self.lesson, "env", None) or {}).items()}
        # The run's settings too: a settings module read after this point (a Django project's) sees them.
        for key, value in {**self.env, SETTINGS_ENV: json.dumps(self.settings)}.items():
            self._env_before.setdefault(key, os.environ.get(key))
            os.environ[key] = value

    def _restore_env(self) -> None:
        for key, value in self._env_before.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        self._env_before.clear()

    def start_service(self, spec: ServiceSpec | str, **options):
        """Start a service now (a lesson.toml entry, or a kind by name: start_service("beat", name="beat2"))."""
        if isinstance(spec, str):
            name = options.pop("name", spec)
            spec = ServiceSpec(name, spec, options)
        service = services.make(self, spec)
        self.services[spec.name] = service    # before start(): close() stops it even if start() fails
        service.start()
        return service

    def start_worker(self, spec):
        """Start one more worker while the lesson runs (it is stopped with the others)."""
        worker = self._make_worker(spec)
        self.workers.append(worker)
        worker.start()
        waits.session_workers = self.hostnames
        return worker

    def _check_workers(self) -> None:
        """Called while the runner waits: a dead worker process is reported at once, not after a timeout."""
        for worker in self.workers:
            if isinstance(worker, ProcessWorker) and not worker.alive() and not getattr(worker, 'expected_exit', False):
                waits.health_check = None  # say it once
                raise WaitTimeout("wait.worker_died", name=worker.hostname, code=worker.proc.returncode,
                                  tail=worker.log_tail())

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

    def _forget_quickly(self) -> None:
        if self.namespace is not None:
            self.namespace.close(quick=True)

    def close(self) -> None:
        waits.health_check = None
        waits.session_workers = None
        waits.app_module = None
        before_task_publish.disconnect(self._warn_time_limit)
        Session.current = None
        running = list(self.services.values())
        for service in running:                 # first: no new periodic tasks while workers stop
            _quietly(getattr(service, "request_stop", None))
        for service in reversed(running):
            _quietly(service.stop)
        idle = self._idle_workers()
        for worker in self.workers:
            if worker.hostname in idle:         # nothing to finish and nothing a kill could lose
                _quietly(lambda w=worker: w.process.kill_tree(terminate_first=False))
            else:                               # a warm shutdown, side by side, each bounded
                _quietly(getattr(worker, "request_stop", None))
        for worker in reversed(self.workers):
            _quietly(worker.stop)
        for service in reversed(running):       # what the workers wrote to (a throwaway database)
            _quietly(getattr(service, "after_workers", None))
        tracker.stop()
        if self.namespace is not None:
            self.namespace.close()
        if self.broker is not None:
            self.broker.stop()
        if self._forget_quickly in process.on_kill_all:   # until here a second Ctrl+C still tidies up
            process.on_kill_all.remove(self._forget_quickly)
        self._restore_env()

    def _idle_workers(self) -> set[str]:
        """The worker processes that hold no task: none running, reserved (prefetched, unacked) or
        scheduled (an ETA/countdown waiting in the worker). Stopping them needs no warm shutdown,
        which takes about a second; any other answer, or none, gets the warm one. Bounded."""
        names = [w.hostname for w in self.workers if isinstance(w, ProcessWorker) and w.alive()]
        if not names or self.app is None:
            return set()

        def ask() -> set[str]:
            idle = set(names)
            for method in ("active", "reserved", "scheduled"):
                replies = waits.inspect(self.app, method, bounds.WORKER_IDLE_CHECK_S, destination=names)
                idle &= {name for name, tasks in replies.items() if not tasks}
            return idle

        try:
            return waits.call_with_deadline(ask, 3 * bounds.WORKER_IDLE_CHECK_S + 0.5)
        except Exception:   # the broker is gone, or a reply is late: stop them the careful way
            return set()

    def __exit__(self, *exc) -> None:
        self.close()


def _quietly(action) -> None:
    """Stopping is best effort for each part: one that fails must not keep the others running."""
    if action is None:
        return
    try:
        action()
    except Exception:
        pass
