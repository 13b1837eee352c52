"""A run's Celery settings: computed once, applied to the lesson's app in this process and handed to
every worker, beat or service process it starts (one JSON environment variable, read by
classroom/celeryconfig.py). So a lesson's `[celery]` table reaches its app *and* its workers alike.

    defaults (classroom/celeryconfig.py) < the run (broker, backend, key prefix) < lesson.toml [celery]
"""
from __future__ import annotations

import json
import os
import threading

from classroom import ROOT
from classroom.envvars import BACKEND_ENV, BROKER_ENV, SETTINGS_ENV


def merge(base: dict, extra: dict) -> dict:
    """`extra` over `base`; nested dicts (broker_transport_options, ...) are merged key by key."""
    out = dict(base)
    for key, value in extra.items():
        out[key] = merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def for_run(broker, namespace=None, lesson_celery: dict | None = None) -> dict:
    """namespace: the run's (classroom/runtime/namespace.py), whose settings go over the defaults; None:
    no namespace (a worker the learner runs, reachable from their own scripts)."""
    from classroom import (
        celeryconfig,  # the defaults every lesson app loads (it reads no run state)
    )
    transport = dict(celeryconfig.BOUNDED_TRANSPORT_OPTIONS)
    settings: dict = {"broker_url": broker.url, "result_backend": broker.backend}
    if broker.in_process:
        transport.update(celeryconfig.MEMORY_TRANSPORT_OPTIONS)
        settings.update(celeryconfig.MEMORY_SETTINGS)
    settings["broker_transport_options"] = transport
    if namespace is not None and not broker.in_process:
        # Runs sharing one broker never see each other: a Redis key prefix, RabbitMQ's control and
        # event exchanges in a shared vhost (the vhost itself is in broker.url).
        settings = merge(settings, namespace.settings())
    return merge(settings, lesson_celery or {})


def child_env(broker, settings: dict, python_path: list[str] | None = None) -> dict[str, str]:
    """What a process of this run needs in its environment to load the same app with the same settings."""
    paths = [str(p) for p in (python_path or [])] + [str(ROOT)]
    if os.environ.get("PYTHONPATH"):
        paths.append(os.environ["PYTHONPATH"])
    return {BROKER_ENV: broker.url, BACKEND_ENV: broker.backend, SETTINGS_ENV: json.dumps(settings),
            "PYTHONPATH": os.pathsep.join(paths)}


def apply(app, settings: dict) -> None:
    """Settings over whatever the app module configured (conf.update wins over config_from_object).

    An app already used in this process (a second session, as in a test) must not keep the first
    one's connections: its pool, producer pool and per-thread backend are dropped, as Celery's own
    after-fork handler drops them (Celery._after_fork)."""
    app.conf.update(settings)
    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    amqp = app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None
    app._local = threading.local()
