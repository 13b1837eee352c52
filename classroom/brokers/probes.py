"""Probes: is something answering at a URL? Each is bounded (BROKER_CONNECT_S); none decides anything."""
from __future__ import annotations

import os
import socket
from urllib.parse import urlsplit

from classroom.errors import UsageError
from classroom.runtime import bounds
from classroom.runtime.waits import call_with_deadline

# Where the runner looks for an already-running broker. Tests point these elsewhere to see what a
# machine without that broker gets.
DEFAULT_REDIS_URL = os.environ.get("CLASSROOM_REDIS_DEFAULT", "redis://127.0.0.1:6379/0")
DEFAULT_AMQP_URL = os.environ.get("CLASSROOM_AMQP_DEFAULT", "amqp://guest:guest@127.0.0.1:5672//")
SCHEMES = {"memory": "memory", "redis": "redis", "rediss": "redis", "amqp": "rabbitmq", "pyamqp": "rabbitmq"}



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
