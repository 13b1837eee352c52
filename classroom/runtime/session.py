"""A lesson session: broker + real workers + event tracking, set up and always torn down.

    with Session(lesson, mode, url) as session:
        ...  # session.app, session.workers, session.broker

It composes three parts, each in its own module: the broker and the run's settings and environment
(brokers/, runtime/settings.py, runtime/environment.py: restored on exit), the fleet of workers and
services (runtime/fleet.py), and the run's namespace on the broker (its keys, deleted on exit).
Whatever happens inside (a failed step, an exception, Ctrl+C), leaving the block stops every
worker and every broker process the session started, and restores the environment.
"""
from __future__ import annotations

import importlib
import json
import secrets
import shutil
import sys
from types import SimpleNamespace

from celery.signals import before_task_publish

from classroom import ROOT, brokers, paths, ui
from classroom.envvars import SETTINGS_ENV
from classroom.messages import t
from classroom.runtime import services, waits
from classroom.runtime import reaper
from classroom.runtime import settings as run_settings
from classroom.runtime.environment import RunEnvironment
from classroom.runtime.fleet import Fleet
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
    def __init__(self, lesson, mode: str = "auto", url: str | None = None, worker_specs=None,
                 run_id: str | None = None) -> None:
        self.lesson = lesson
        self.mode, self.url = mode, url
        self.specs = worker_specs if worker_specs is not None else lesson.workers
        self.run_id = run_id or f"lesson{lesson.number}-{secrets.token_hex(2)}"
        self.broker: brokers.Broker | None = None
        self.namespace: Namespace | None = None
        self.settings: dict = {}
        self.fleet = Fleet()
        self.app = None
        self.env: dict[str, str] = {}           # lesson.toml [env], filled in: this process and its children
        self.environment = RunEnvironment()
        self._warned: set = set()
        self.tracker = tracker                  # what the workers' events say about each task

    def __enter__(self) -> "Session":
        try:
            self._start()
        except BaseException:
            self.close()
            raise
        return self

    def _start(self) -> None:
        with ui.status(t("session.finding_broker")):
            self.broker = brokers.resolve(self.mode, self.url)
            brokers.check_backend(self.broker)     # before the first step, not discovered by it
        self.namespace = Namespace(self.broker, self.run_id)   # its own keys / vhost; gone at close()
        reaper.on_kill_all.append(self._forget_quickly)   # a second Ctrl+C still deletes the run's keys
        self.broker.url = self.namespace.open()
        self.broker.reason += self.namespace.told()        # RabbitMQ: which vhost to look in
        self.settings = run_settings.for_run(self.broker, self.namespace, getattr(self.lesson, "celery", None))
        self.environment.set(self.broker.env())   # the learner's own calls in this process see the same broker
        self._set_lesson_env()
        self.specs = [spec for spec in self.specs if spec.runs_in(self.broker.mode)]   # e.g. prefork-only ones
        self.namespace.lock({q for spec in self.specs      # a shared vhost: take our queues, or be refused
                             for q in (spec.queues or (self.settings.get("task_default_queue", "celery"),))})
        # Worker processes first: their boot (about a second of imports) overlaps the rest of the set-up.
        if not self.broker.in_process:
            for spec in self.specs:
                self.fleet.add_worker(self._make_worker(spec), start=False).spawn()
        self.app = _load_app(self.lesson, self.settings)
        if not self.broker.in_process:
            _share_backend(self.app)
            for worker in self.workers:
                worker.app = self.app          # its readiness probe pings through the lesson's app
        else:
            for spec in self.specs:
                self.fleet.add_worker(self._make_worker(spec), start=False)
        self.tracker.start(self.app)
        before_task_publish.connect(self._warn_time_limit, weak=False)
        with ui.status(t("session.starting_workers", n=len(self.specs))):
            for worker in self.workers:
                worker.start()
        specs = [s for s in getattr(self.lesson, "services", None) or [] if s.runs_in(self.broker.mode)]
        if specs:
            with ui.status(t("session.starting_services", names=", ".join(s.name for s in specs))):
                for spec in specs:
                    self.start_service(spec)
        waits.health_check = self.fleet.check
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
        self.environment.set({**self.env, SETTINGS_ENV: json.dumps(self.settings)})

    @property
    def workers(self) -> list:
        return self.fleet.workers

    @property
    def services(self) -> dict:
        return self.fleet.services

    def start_service(self, spec: "ServiceSpec | str", **options):
        """Start a service now (a lesson.toml entry, or a kind by name: start_service("beat", name="beat2"))."""
        if isinstance(spec, str):
            name = options.pop("name", spec)
            spec = ServiceSpec(name, spec, options)
        return self.fleet.add_service(spec.name, services.make(self, spec))

    def start_worker(self, spec):
        """Start one more worker while the lesson runs (it is stopped with the others)."""
        worker = self.fleet.add_worker(self._make_worker(spec))
        waits.session_workers = self.hostnames
        return worker


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
        return self.fleet.hostnames

    def _forget_quickly(self) -> None:
        if self.namespace is not None:
            self.namespace.close(quick=True)

    def close(self) -> None:
        waits.health_check = None
        waits.session_workers = None
        waits.app_module = None
        before_task_publish.disconnect(self._warn_time_limit)
        self.fleet.close(self.app)
        self.tracker.stop()
        if self.namespace is not None:
            self.namespace.close()
        if self.broker is not None:
            self.broker.stop()
        if self._forget_quickly in reaper.on_kill_all:   # until here a second Ctrl+C still tidies up
            reaper.on_kill_all.remove(self._forget_quickly)
        self.environment.restore()
        shutil.rmtree(paths.state_dir() / "runs" / self.run_id, ignore_errors=True)   # run.file()s

    def __exit__(self, *exc) -> None:
        self.close()

