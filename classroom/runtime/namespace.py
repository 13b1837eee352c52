"""A run's own namespace on a shared broker: another run never sees its queues, exchanges, control or
event messages, and nothing of it is left afterwards.

    namespace = Namespace(broker, run_id)
    url = namespace.open()          # the broker URL the run uses (its own vhost on RabbitMQ)
    ...                             # namespace.settings() goes over the run's Celery settings
    namespace.close()               # deletes what the run declared; close(quick=True) on a second Ctrl+C

- Redis: every key of the run starts with `{run_id}:` (kombu's `global_keyprefix` transport option,
  kombu >= 5.3); close() deletes those keys.
- RabbitMQ: a vhost of its own, `{vhost}.{run_id}.{random}`, created by the first way that works here:
  the management HTTP API (port 15672, the course's Docker image `rabbitmq:3-management` has it), or
  `rabbitmqctl` on this machine (as root or as the server's user). close() deletes the vhost, and with
  it every queue, exchange and binding in it (celery, celery.pidbox, celeryev, the lesson's own).
  The queue names a lesson declares stay as the lesson wrote them.
- RabbitMQ where no vhost can be made (a remote server, a user without the administrator tag): the run
  stays in the URL's vhost. Celery's control and event exchanges get the run's name (so `inspect`,
  Flower and events see only this run), and the run holds one exclusive lock queue per queue it
  consumes (`classroom.lock.<queue>`): RabbitMQ gives an exclusive queue to one connection only, so
  of two runs started in the same second exactly one gets the queues and the other is refused with a
  clear message. The broker drops the locks when the connection closes, even after a crash.
"""
from __future__ import annotations

import base64
import json
import os
import re
import secrets
import shutil
import subprocess
import urllib.error
import urllib.request
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from classroom import brokers
from classroom.errors import ClassroomError, UsageError
from classroom.messages import t
from classroom.runtime import bounds, waits

LOCK_PREFIX = "classroom.lock."
STUDENT_ENV = "CLASSROOM_STUDENT"               # a learner's namespace in a room (--student NAME)
STUDENT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")
API_PORT_ENV = "CLASSROOM_RABBITMQ_API_PORT"    # the management API's port, if not AMQP's port + 10000
VHOST_ENV = "CLASSROOM_RABBITMQ_VHOSTS"         # "off": never create a vhost (tests of the fallback)
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1", "")
CLEANUP_S = bounds.BROKER_CONNECT_S + bounds.BROKER_SOCKET_S   # close(): deleting may take this long


class Namespace:
    """Isolates one run (or one learner: `student`) on the broker `broker` resolved for it."""

    def __init__(self, broker, run_id: str, *, keep: bool = False) -> None:
        self.broker, self.run_id, self.keep = broker, run_id, keep   # keep: a learner's namespace outlives a run
        self.url = broker.url
        self.vhost: str | None = None            # the run's own vhost, when one was made
        self.how: str = ""                      # "api" | "rabbitmqctl" | "given" | "prefix" | "locks" | ""
        self._locks = None                      # the connection holding the exclusive lock queues
        self._closed = False

    # -- what the run uses ------------------------------------------------------------------------
    @property
    def kind(self) -> str:
        if self.broker.in_process:
            return "memory"
        return "redis" if self.broker.url.startswith(("redis://", "rediss://")) else "rabbitmq"

    def open(self) -> str:
        """Make the namespace; returns the broker URL the run must use."""
        if self.kind == "redis":
            self.how = "prefix"
        elif self.kind == "rabbitmq":
            parent = _vhost_of(self.broker.url)
            if self.keep and (parent == self.run_id or parent.endswith(f".{self.run_id}")):
                self.vhost, self.how = parent, "given"    # the URL `env` printed: already the namespace
                return self.url
            name = (f"{parent}." if parent != "/" else "classroom.") + self.run_id
            if not self.keep:
                name += f".{secrets.token_hex(3)}"     # two runs never pick the same vhost
            self.how = create_vhost(self.broker.url, name)
            if self.how:
                self.vhost, self.url = name, _with_vhost(self.broker.url, name)
            else:
                self.how = "locks"
        return self.url

    def told(self) -> str:
        """What the learner reads about it after the broker line: the run's vhost, if it has one."""
        return " " + t("session.own_vhost", vhost=self.vhost) if self.vhost and not self.keep else ""

    def settings(self) -> dict:
        """Celery settings of this namespace, over the run's (see classroom/runtime/settings.py)."""
        if self.how == "prefix":
            return {"broker_transport_options": {"global_keyprefix": f"{self.run_id}:"}}
        if self.how == "locks":       # a shared vhost: control and events of this run only
            return {"control_exchange": f"{self.run_id}.celery", "event_exchange": f"{self.run_id}.celeryev"}
        return {}

    def lock(self, queues) -> None:
        """In a shared vhost: take the queues this run consumes, or refuse (race-free, see the module)."""
        if self.how != "locks" or self._locks is not None:
            return
        import amqp
        from kombu import Connection
        conn = Connection(self.broker.url, connect_timeout=bounds.BROKER_CONNECT_S)

        def take() -> None:
            channel = conn.channel()
            for queue in sorted(set(queues)):       # in one order: two runs cannot each hold half
                try:
                    channel.queue_declare(LOCK_PREFIX + queue, exclusive=True, auto_delete=True)
                except amqp.exceptions.ResourceLocked:
                    raise ClassroomError("session.queue_locked", queues=queue,
                                         url=brokers.redact(self.broker.url)) from None
        try:
            waits.call_with_deadline(take, bounds.BROKER_CONNECT_S + bounds.BROKER_SOCKET_S)
        except BaseException:
            _quietly(conn.release)
            raise
        self._locks = conn
        self._refuse_consumed(set(queues))

    def _refuse_consumed(self, queues: set) -> None:
        """A worker started by hand takes no lock: ask who consumes our queues (on Celery's default
        control exchange, the one such a worker listens on), before our own workers start."""
        from celery import Celery
        probe = Celery("classroom-probe", broker=self.broker.url, set_as_current=False)
        probe.conf.update(broker_connection_timeout=bounds.BROKER_CONNECT_S, broker_connection_retry=False,
                          broker_connection_retry_on_startup=False)
        try:
            active = waits.inspect(probe, "active_queues", 0.5)
        except Exception:
            return  # the broker answered a moment ago; a failed inspect is not a reason to refuse
        finally:
            _quietly(probe.close)
        others = {name: {q["name"] for q in qs} & queues for name, qs in active.items()}
        others = {name: found for name, found in others.items() if found}
        if others:
            raise ClassroomError("session.queue_taken", others=", ".join(sorted(others)),
                                 queues=", ".join(sorted(set().union(*others.values()))),
                                 url=brokers.redact(self.broker.url))

    # -- removing it ------------------------------------------------------------------------------
    def close(self, quick: bool = False) -> None:
        """Delete everything of the run (bounded; `quick`: the shorter bound of a second Ctrl+C)."""
        if self._closed:
            return
        seconds = bounds.FAST_CLEANUP_S if quick else CLEANUP_S
        if self.kind == "redis" and not self.keep:
            _call(lambda: _delete_keys(self.broker.url, f"{self.run_id}:*", seconds), seconds)
        elif self.kind == "rabbitmq":
            if self.vhost and not self.keep and self.how in ("api", "rabbitmqctl"):
                # also on a second Ctrl+C: a vhost left behind would hold the run's queues for good
                _call(lambda: delete_vhost(self.broker.url, self.vhost, self.how, bounds.VHOST_DELETE_S),
                      bounds.VHOST_DELETE_S + 0.5)
            elif self.how == "locks" and not quick:
                _call(lambda: self._delete_exchanges(seconds), seconds)
            if self._locks is not None:
                _quietly(self._locks.release)   # the broker drops the lock queues with the connection
                self._locks = None
        self._closed = True

    def _delete_exchanges(self, seconds: float) -> None:
        """The run's control and event exchanges in a shared vhost (their queues are auto_delete)."""
        from kombu import Connection
        with Connection(self.broker.url, connect_timeout=seconds) as conn:
            channel = conn.channel()
            for name in (f"{self.run_id}.celery.pidbox", f"reply.{self.run_id}.celery.pidbox",
                         f"{self.run_id}.celeryev"):
                try:
                    channel.exchange_delete(name)
                except Exception:
                    channel = conn.channel()     # a channel error closes the channel


def for_student(broker, name: str | None) -> Namespace | None:
    """A learner's namespace in a room (--student NAME, else CLASSROOM_STUDENT): `worker N`, `env N`,
    `top` and `flower` of one learner meet there and see no one else's. It is kept between commands
    (keys prefixed `student-NAME:` on Redis; the vhost `{vhost}.student-NAME` on RabbitMQ). Sets
    broker.url to the namespace's URL; None without a name."""
    name = name or os.environ.get(STUDENT_ENV) or None
    if not name or broker.in_process:
        return None
    if not STUDENT_NAME.match(name):
        raise UsageError("student.bad_name", name=name)
    space = Namespace(broker, f"student-{name}", keep=True)
    broker.url = space.open()
    return space


def described(space: Namespace | None) -> str:
    """One line for the learner: which namespace their commands use ("" without one)."""
    if space is None:
        return ""
    if space.how == "prefix":
        return t("student.redis", name=space.run_id, prefix=f"{space.run_id}:")
    if space.vhost:
        return t("student.vhost", name=space.run_id, vhost=space.vhost)
    return t("student.shared", name=space.run_id, url=brokers.redact(space.url))


# -- RabbitMQ vhosts: the management API, else rabbitmqctl ------------------------------------------
def create_vhost(url: str, name: str) -> str:
    """Create vhost `name` with full rights for the URL's user; returns how ("api", "rabbitmqctl") or ""."""
    if os.environ.get(VHOST_ENV, "").lower() in ("0", "off", "no", "false"):
        return ""
    user = unquote(urlsplit(url).username or "guest")
    perms = {"configure": ".*", "write": ".*", "read": ".*"}
    made = False
    try:
        _api(url, "PUT", f"/api/vhosts/{quote(name, safe='')}", {})
        made = True
        _api(url, "PUT", f"/api/permissions/{quote(name, safe='')}/{quote(user, safe='')}", perms)
        return "api"
    except (OSError, ValueError):
        if made:                           # a vhost nobody may use: not left behind
            _quietly(lambda: _api(url, "DELETE", f"/api/vhosts/{quote(name, safe='')}", None))
    if _rabbitmqctl_here(url):
        try:
            _ctl("add_vhost", name)
            _ctl("set_permissions", "-p", name, user, ".*", ".*", ".*")
            return "rabbitmqctl"
        except (OSError, subprocess.SubprocessError):
            _quietly(lambda: _ctl("delete_vhost", name))
    return ""


def delete_vhost(url: str, name: str, how: str, seconds: float = CLEANUP_S) -> None:
    if how == "api":
        _api(url, "DELETE", f"/api/vhosts/{quote(name, safe='')}", None, seconds)
    else:
        _ctl("delete_vhost", name, seconds=seconds)


def api_base(url: str) -> str:
    parts = urlsplit(url)
    port = int(os.environ.get(API_PORT_ENV) or (parts.port or 5672) + 10000)
    return f"http://{parts.hostname or '127.0.0.1'}:{port}"


def _api(url: str, method: str, path: str, body, seconds: float = bounds.BROKER_CONNECT_S) -> bytes:
    """One call of RabbitMQ's management HTTP API with the URL's credentials (bounded)."""
    parts = urlsplit(url)
    auth = base64.b64encode(f"{unquote(parts.username or 'guest')}:{unquote(parts.password or 'guest')}".encode())
    request = urllib.request.Request(api_base(url) + path, method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": f"Basic {auth.decode()}",
                                              "content-type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=seconds) as response:
            return response.read()
    except urllib.error.HTTPError as error:      # 401/403: not an administrator; 404: no such vhost
        raise ValueError(f"{method} {path}: HTTP {error.code}") from None


def _rabbitmqctl_here(url: str) -> bool:
    """rabbitmqctl talks to the local node only, and only as root or the server's user."""
    if (urlsplit(url).hostname or "") not in LOCAL_HOSTS or not shutil.which("rabbitmqctl"):
        return False
    try:
        import pwd                         # POSIX only; Windows has neither pwd nor geteuid
        return os.geteuid() == 0 or pwd.getpwuid(os.geteuid()).pw_name == "rabbitmq"
    except (ImportError, KeyError, AttributeError):
        return False


def _ctl(*args: str, seconds: float = 10.0) -> None:
    subprocess.run(["rabbitmqctl", "-q", *args], check=True, capture_output=True, timeout=seconds,
                   stdin=subprocess.DEVNULL)


# -- helpers ---------------------------------------------------------------------------------------
def _vhost_of(url: str) -> str:
    path = urlsplit(url).path
    return unquote(path[1:]) if len(path) > 1 else "/"


def _with_vhost(url: str, vhost: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + quote(vhost, safe=""), parts.query, parts.fragment))


def _delete_keys(url: str, match: str, seconds: float) -> None:
    import redis
    client = redis.Redis.from_url(url, socket_timeout=seconds, socket_connect_timeout=seconds)
    try:
        keys = list(client.scan_iter(match=match, count=500))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


def _call(action, seconds: float) -> None:
    """Tidying up is best effort and bounded: the broker may be gone (that is reported elsewhere)."""
    try:
        waits.call_with_deadline(action, seconds)
    except Exception:
        pass


def _quietly(action) -> None:
    try:
        action()
    except Exception:
        pass
