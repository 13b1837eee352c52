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


# What went wrong when a URL does not answer: each kind gets its own message and fix.
REFUSED, SILENT, LOGIN, VHOST, DB, OTHER = "refused", "silent", "login", "vhost", "db", "other"


def redis_problem(url: str, seconds: float = bounds.BROKER_CONNECT_S) -> str | None:
    """None when a Redis server at `url` answers PING; else what went wrong."""
    import redis
    try:
        client = redis.Redis.from_url(url, socket_timeout=seconds, socket_connect_timeout=seconds)
        try:
            client.ping()
            return None
        finally:
            client.close()
    except redis.AuthenticationError:
        return LOGIN
    except redis.TimeoutError:
        return SILENT
    except redis.ResponseError as exc:          # "DB index is out of range", "NOAUTH ..."
        text = str(exc)
        return DB if "DB index" in text else LOGIN if "AUTH" in text or "WRONGPASS" in text else OTHER
    except (redis.ConnectionError, OSError) as exc:
        return SILENT if "timed out" in str(exc).lower() or "timeout" in str(exc).lower() else REFUSED
    except (redis.RedisError, ValueError):
        return OTHER


def amqp_problem(url: str, seconds: float = bounds.BROKER_CONNECT_S) -> str | None:
    """None when an AMQP broker at `url` accepts a login to its vhost; else what went wrong."""
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
        return None
    except amqp.exceptions.AccessRefused:      # 403: wrong user or password
        return LOGIN
    except amqp.exceptions.NotAllowed:         # 530: no such vhost, or no permission on it
        return VHOST
    except ConnectionRefusedError:
        return REFUSED
    except (socket.timeout, TimeoutError):
        return SILENT
    except Exception:  # amqp raises many types (socket, framing, ...); all mean "not usable"
        return OTHER


def redis_answers(url: str, seconds: float = bounds.BROKER_CONNECT_S) -> bool:
    """True when a Redis server at `url` answers PING."""
    return redis_problem(url, seconds) is None


def amqp_answers(url: str, seconds: float = bounds.BROKER_CONNECT_S) -> bool:
    """True when an AMQP broker at `url` accepts a login."""
    return amqp_problem(url, seconds) is None


def problem(url: str) -> str | None:
    """What is wrong with `url` (None: it answers), within BROKER_CONNECT_S + 1 whatever happens."""
    mode = validate_url(url)
    if mode == "memory":
        return None
    probe = redis_problem if mode == "redis" else amqp_problem
    try:
        return call_with_deadline(lambda: probe(url), bounds.BROKER_CONNECT_S + 1)
    except Exception:
        return SILENT


def answers(url: str) -> bool:
    return problem(url) is None


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
