"""A setting of the RabbitMQ server itself, changed for one step and always restored.

Only where the runner controls that server: the broker URL names this machine and a local `rabbitmqctl`
answers (it talks to the node through Erlang distribution, usually as root). Anywhere else the step is
skipped with the reason. The old value is put back when the block ends, when it fails, and at exit
(Ctrl+C): a lesson must never leave a shared server changed.

    with run.rabbitmq_setting("consumer_timeout", 2000):     # rabbitmqctl eval 'application:set_env(...)'
        ...
"""
from __future__ import annotations

import atexit
import os
import re
import shutil
import subprocess
import tempfile
import threading
from contextlib import contextmanager
from typing import Iterator
from urllib.parse import urlsplit

from classroom.lessonkit.step import StepSkipped
from classroom.messages import t

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", ""}
RABBITMQCTL_S = 15.0          # one `rabbitmqctl eval` (it starts an Erlang VM: about 1 s)


def rabbitmqctl_eval(expression: str, timeout: float = RABBITMQCTL_S) -> str:
    """`rabbitmqctl eval EXPRESSION` on this machine; its output, or OSError/TimeoutExpired/CalledProcessError."""
    done = subprocess.run(["rabbitmqctl", "eval", expression], capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise subprocess.CalledProcessError(done.returncode, "rabbitmqctl", done.stdout, done.stderr)
    return done.stdout.strip()


def _why_not(broker_url: str) -> str | None:
    host = urlsplit(broker_url).hostname or ""
    if not broker_url.startswith(("amqp", "pyamqp")):
        return t("kit.server.not_rabbitmq")
    if host not in LOCAL_HOSTS:
        return t("kit.server.not_local", host=host)
    if shutil.which("rabbitmqctl") is None:
        return t("kit.server.no_rabbitmqctl")
    return None


def _read(key: str) -> str | None:
    """The server's value as an Erlang term (None: unset, the built-in default applies)."""
    out = rabbitmqctl_eval(f"application:get_env(rabbit, {key}).")
    found = re.fullmatch(r"\{ok,(.+)\}", out.splitlines()[-1].strip())
    return found.group(1) if found else None


def _swap(key: str, value: str) -> str | None:
    """Set the server's value and return the one it had (None: unset), in one `rabbitmqctl eval`."""
    out = rabbitmqctl_eval(f"Old = application:get_env(rabbit, {key}), "
                           f"ok = application:set_env(rabbit, {key}, {value}), Old.")
    found = re.fullmatch(r"\{ok,(.+)\}", out.splitlines()[-1].strip())
    return found.group(1) if found else None


def _write(key: str, value: str | None) -> None:
    rabbitmqctl_eval(f"application:set_env(rabbit, {key}, {value})." if value is not None
                     else f"application:unset_env(rabbit, {key}).")


LOCK = os.path.join(tempfile.gettempdir(), "celery-classroom-rabbitmq-settings.lock")


_held = {"handle": None, "depth": 0}      # this process's hold on the lock: nested blocks share it
_guard = threading.Lock()


def _take_lock() -> bool:
    """One run on this machine at a time changes the local server's settings: a run that read the value
    while another had lowered it would 'restore' the lowered one. An open file held with flock (released
    by the OS when the process dies); blocks nested in one run share it. False when another run holds it.
    Where there is no flock (Windows), no lock."""
    with _guard:
        if _held["depth"] == 0:
            handle = open(LOCK, "a")
            try:
                import fcntl
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except ImportError:
                pass
            except OSError:
                handle.close()
                return False
            _held["handle"] = handle
        _held["depth"] += 1
        return True


def _release_lock() -> None:
    with _guard:
        _held["depth"] -= 1
        if _held["depth"] == 0:
            _held["handle"].close()
            _held["handle"] = None


@contextmanager
def rabbitmq_setting(broker_url: str, key: str, value: int | str) -> Iterator[str | None]:
    """Set `key` of the `rabbit` application on the local server for the block; yields the old value."""
    why = _why_not(broker_url)
    locked = False
    if why is None:
        locked = _take_lock()
        if not locked:
            why = t("kit.server.busy")
    if why is None:
        try:
            old = _swap(key, str(value))
        except (OSError, subprocess.SubprocessError) as exc:
            why = t("kit.server.no_answer", error=(str(getattr(exc, "stderr", "") or exc).strip().splitlines()
                                                  or [type(exc).__name__])[-1])
    if why is not None:
        if locked:
            _release_lock()
        raise StepSkipped(why)
    restored = False

    def restore() -> None:
        nonlocal restored
        if not restored:
            restored = True
            _write(key, old)

    atexit.register(restore)          # Ctrl+C or a crash in the block: the exit still restores it
    try:
        yield old
    finally:
        try:
            restore()
        finally:
            atexit.unregister(restore)
            _release_lock()
