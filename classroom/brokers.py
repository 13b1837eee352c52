"""Choosing the broker: memory, Redis or RabbitMQ, from a flag, a URL, the environment or what runs here.

`resolve()` is the one place that decides. It returns a `Broker` that says which mode is used and
why (one line for the learner), and that stops whatever the runner started for it.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from . import bounds, paths, procs
from .envvars import BACKEND_ENV, BROKER_ENV
from .errors import BrokerError, UsageError
from .messages import t

MODES = ("auto", "memory", "redis", "rabbitmq")
# Where the runner looks for an already-running broker. Tests point these elsewhere to see what a
# machine without that broker gets.
DEFAULT_REDIS_URL = os.environ.get("CLASSROOM_REDIS_DEFAULT", "redis://127.0.0.1:6379/0")
DEFAULT_AMQP_URL = os.environ.get("CLASSROOM_AMQP_DEFAULT", "amqp://guest:guest@127.0.0.1:5672//")
SCHEMES = {"memory": "memory", "redis": "redis", "rediss": "redis", "amqp": "rabbitmq", "pyamqp": "rabbitmq"}



@dataclass
class Broker:
    mode: str                      # "memory" | "redis" | "rabbitmq"
    url: str
    backend: str
    reason: str                    # one line for the learner: which mode and why
    started: list = field(default_factory=list)  # processes the runner started for it

    @property
    def in_process(self) -> bool:
        return self.mode == "memory"

    def env(self) -> dict[str, str]:
        return {BROKER_ENV: self.url, BACKEND_ENV: self.backend}

    def stop(self) -> None:
        for proc in self.started:
            procs.stop(proc, bounds.BROKER_STOP_S)
        self.started.clear()


def redact(url: str) -> str:
    """The URL without its password, for messages."""
    parts = urlsplit(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":***@", 1)
    return url


def validate_url(url: str) -> str:
    """The mode a broker URL selects; a malformed URL is rejected before anything starts."""
    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    if scheme not in SCHEMES:
        raise UsageError("broker.bad_url", url=url, schemes=", ".join(f"{s}://" for s in SCHEMES))
    if scheme != "memory":
        try:
            parts = urlsplit(url)
            parts.port  # noqa: B018 - raises ValueError on a bad port
        except ValueError:
            raise UsageError("broker.bad_url", url=url, schemes=", ".join(f"{s}://" for s in SCHEMES)) from None
        if not parts.hostname:
            raise UsageError("broker.bad_url", url=url, schemes=", ".join(f"{s}://" for s in SCHEMES))
    return SCHEMES[scheme]


# --- probes: is something answering? each bounded by BROKER_CONNECT_S ----------------------

def _host_port(url: str, default_port: int) -> tuple[str, int]:
    parts = urlsplit(url)
    return parts.hostname or "127.0.0.1", parts.port or default_port


def redis_answers(url: str, seconds: float = bounds.BROKER_CONNECT_S) -> bool:
    """True when a Redis server at `url` answers PING."""
    import redis
    try:
        client = redis.Redis.from_url(url, socket_timeout=seconds, socket_connect_timeout=seconds)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except (redis.RedisError, OSError, ValueError):
        return False


def amqp_answers(url: str, seconds: float = bounds.BROKER_CONNECT_S) -> bool:
    """True when an AMQP broker at `url` accepts a login."""
    import amqp
    parts = urlsplit(url)
    host, port = _host_port(url, 5672)
    vhost = parts.path[1:] if parts.path not in ("", "/") else "/"
    try:
        conn = amqp.Connection(f"{host}:{port}", userid=parts.username or "guest",
                               password=parts.password or "guest", virtual_host=vhost or "/",
                               connect_timeout=seconds, read_timeout=seconds, write_timeout=seconds)
        conn.connect()
        conn.close()
        return True
    except Exception:  # amqp raises many types (socket, AccessRefused, ...); all mean "not usable"
        return False


def answers(url: str) -> bool:
    mode = validate_url(url)
    if mode == "memory":
        return True
    probe = redis_answers if mode == "redis" else amqp_answers
    from .waits import call_with_deadline
    try:
        return call_with_deadline(lambda: probe(url), bounds.BROKER_CONNECT_S + 1)
    except Exception:
        return False


def port_open(host: str, port: int, seconds: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=seconds):
            return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- a redis-server the runner starts itself -------------------------------------------------

def start_local_redis() -> tuple[str, subprocess.Popen] | None:
    """Start the machine's `redis-server` on a free port; None when there is no binary."""
    binary = shutil.which("redis-server")
    if not binary:
        return None
    port = free_port()
    log = paths.log_dir() / f"redis-{port}.log"
    cmd = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
           "--daemonize", "no", "--dir", str(paths.state_dir())]
    proc = procs.spawn(cmd, log)
    url = f"redis://127.0.0.1:{port}/0"
    from .waits import wait_until
    if not wait_until(lambda: proc.poll() is not None or redis_answers(url, 0.3), bounds.BROKER_START_S, 0.05) \
            or proc.poll() is not None:
        procs.stop(proc, bounds.BROKER_STOP_S)
        raise BrokerError("broker.local_redis_failed", port=port, log=str(log), tail=procs.tail(log))
    return url, proc


# --- the decision ------------------------------------------------------------------------------

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
            from . import docker_brokers
            ready = docker_brokers.running_url("redis")
            backend = ready.url if ready else "rpc://"
    if backend.startswith("rpc://"):
        reason += " " + t("broker.reason_rpc")
    return Broker(mode, url, backend, reason)


def _docker_running(service: str) -> Broker | None:
    """The runner's own container for `service`, when it already runs and answers (it was `up`)."""
    from . import docker_brokers
    ready = docker_brokers.running_url(service)
    return _with_backend(service, ready.url, ready.reason()) if ready else None


def _docker_start(service: str):
    """(Broker, None) from a container reused/restarted/created now, or (None, DockerProblem)."""
    from . import docker_brokers
    from .docker_engine import DockerProblem
    try:
        ready = docker_brokers.ensure(service)
    except DockerProblem as problem:
        return None, problem
    return _with_backend(service, ready.url, ready.reason()), None


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
        if not answers(url):
            raise BrokerError("broker.unreachable", url=redact(url), fix=t(f"broker.fix_{url_mode}"))
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
    raise BrokerError(f"broker.none_{mode}", url=redact(default), docker=problem.message())
