"""Choosing the broker: memory, Redis or RabbitMQ, from a flag, a URL, the environment or what runs here.

`resolve()` is the one place that decides. It returns a `Broker` that says which mode is used and
why (one line for the learner), and that stops whatever the runner started for it. It imports the
probes and the Docker helpers; they never import it.
"""
from __future__ import annotations

import os
from urllib.parse import urlsplit

from classroom.brokers import containers, probes
from classroom.brokers.broker import Broker
from classroom.brokers.docker_engine import DockerProblem
from classroom.brokers.local_redis import start_local_redis
from classroom.brokers.probes import (
    DEFAULT_AMQP_URL,
    DEFAULT_REDIS_URL,
    amqp_answers,
    problem as url_problem,
    redact,
    redis_answers,
    validate_url,
)
from classroom.envvars import BACKEND_ENV, BROKER_ENV
from classroom.errors import BrokerError, UsageError
from classroom.messages import t
from classroom.runtime import bounds

MODES = ("auto", "memory", "redis", "rabbitmq")


def _memory(reason_key: str, **values) -> Broker:
    return Broker("memory", "memory://", "cache+memory://", t(reason_key, **values))


def _with_backend(mode: str, url: str, reason: str) -> Broker:
    backend = os.environ.get(BACKEND_ENV) or ""
    if not backend:
        if mode == "redis":
            backend = url
        elif redis_answers(DEFAULT_REDIS_URL, 0.5):
            backend = DEFAULT_REDIS_URL
        else:  # the runner's Docker Redis, if it runs, stores results better than rpc://
            ready = containers.running_url("redis")
            backend = ready.url if ready else "rpc://"
    if backend.startswith("rpc://"):
        reason += " " + t("broker.reason_rpc")
    elif mode == "rabbitmq":
        reason += " " + t("broker.reason_results", url=redact(backend))
    return Broker(mode, url, backend, reason)


def _docker_running(service: str) -> Broker | None:
    """The runner's own container for `service`, when it already runs and answers (it was `up`)."""
    ready = containers.running_url(service)
    return _with_backend(service, ready.url, ready.reason()) if ready else None


def _docker_start(service: str):
    """(Broker, None) from a container reused/restarted/created now, or (None, DockerProblem)."""
    try:
        ready = containers.ensure(service)
    except DockerProblem as problem:
        return None, problem
    return _with_backend(service, ready.url, ready.reason()), None


LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")
# Message ids, written out (a dead-id check finds every one): what went wrong, for the broker and the backend.
UNUSABLE = {
    "broker": {probes.REFUSED: "broker.unreachable", probes.OTHER: "broker.unreachable", probes.SILENT: "broker.silent",
               probes.LOGIN: "broker.login_refused", probes.VHOST: "broker.wrong_vhost", probes.DB: "broker.wrong_db"},
    "backend": {probes.REFUSED: "backend.unreachable", probes.OTHER: "backend.unreachable",
                probes.SILENT: "backend.silent", probes.LOGIN: "backend.login_refused",
                probes.VHOST: "backend.unreachable", probes.DB: "backend.wrong_db"},
}
FIX = {"redis": "broker.fix_redis", "rabbitmq": "broker.fix_rabbitmq"}
FIX_PORT = {"redis": "broker.fix_redis_port", "rabbitmq": "broker.fix_rabbitmq_port"}
NONE = {"redis": "broker.none_redis", "rabbitmq": "broker.none_rabbitmq"}


def fix_for(mode: str, parts) -> str:
    """How to start the broker a URL names: on its own port (a fix for port 6390 that starts Redis on
    6379 fixes nothing); on another host, the runner cannot start it."""
    default = {"redis": 6379, "rabbitmq": 5672}.get(mode)
    try:
        port = parts.port or default
    except ValueError:                   # a port that is not a number: validate_url reports it
        port = default
    if mode not in ("redis", "rabbitmq") or port == default or (parts.hostname or "localhost") not in LOCAL_HOSTS:
        return t(FIX[mode]) if mode in FIX else ""
    return t(FIX_PORT[mode], port=port)


def unusable(role: str, url: str, kind: str) -> BrokerError:
    """The error for a broker or result backend (`role`) that did not answer, named by what went wrong."""
    mode = validate_url(url) if "://" in url and url.split("://")[0] in probes.SCHEMES else "redis"
    parts = urlsplit(url)
    key = UNUSABLE[role][kind]
    return BrokerError(key, url=redact(url), fix=fix_for(mode, parts), what="Redis" if mode == "redis" else "RabbitMQ",
                       vhost=parts.path[1:] or "/", db=parts.path[1:] or "0")


def check_backend(broker: Broker) -> None:
    """The result backend answers too (a Redis URL); checked before the first step, not found by it."""
    url = broker.backend
    if not url.startswith(("redis://", "rediss://")) or url == broker.url:
        return
    found = url_problem(url)
    if found:
        raise unusable("backend", url, found)


def resolve(mode: str = "auto", url: str | None = None) -> Broker:
    """Pick the broker: --broker-url, then CLASSROOM_BROKER_URL, then what answers here."""
    if mode not in MODES:
        raise UsageError("broker.bad_mode", mode=mode, modes=", ".join(MODES))
    source = "flag"
    if not url and os.environ.get(BROKER_ENV):
        url, source = os.environ[BROKER_ENV], "env"
    if url:
        url_mode = validate_url(url)
        if mode not in ("auto", url_mode):
            raise UsageError("broker.mode_mismatch", mode=mode, url=redact(url), url_mode=url_mode)
        if url_mode == "memory":
            return _memory("broker.reason_memory_url")
        found = url_problem(url)
        if found:
            raise unusable("broker", url, found)
        key = "broker.reason_url_flag" if source == "flag" else "broker.reason_url_env"
        return _with_backend(url_mode, url, t(key, url=redact(url), env=BROKER_ENV))

    if mode == "memory":
        return _memory("broker.reason_memory_flag")
    # Order: the runner's running container, the broker at the usual address, a container started
    # now (then left running for the next lessons), and for --broker redis a local redis-server.
    auto = mode == "auto"
    mode = "redis" if mode == "auto" else mode
    running = _docker_running(mode)    # `python runner.py up` started it: lessons use it
    if running:
        return running
    default = DEFAULT_REDIS_URL if mode == "redis" else DEFAULT_AMQP_URL
    if mode == "redis":
        default_answers = redis_answers(DEFAULT_REDIS_URL, 0.5 if auto else bounds.BROKER_CONNECT_S)
    else:
        default_answers = amqp_answers(DEFAULT_AMQP_URL)
    if default_answers:
        key = "broker.reason_auto_redis" if auto else "broker.reason_running"
        return _with_backend(mode, default, t(key, url=redact(default)))
    broker, problem = _docker_start(mode)
    if broker:
        return broker
    if auto:                             # Docker problems never fail a lesson in auto mode
        return _memory("broker.reason_auto_memory", url=DEFAULT_REDIS_URL, why=problem.short())
    if mode == "redis":
        local = start_local_redis()
        if local:
            broker = _with_backend("redis", local[0], t("broker.reason_local_redis", url=local[0],
                                                         why=problem.short()))
            broker.started.append(local[1])
            return broker
    raise BrokerError(NONE[mode], url=redact(default), docker=problem.message())
