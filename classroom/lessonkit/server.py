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


def _write(key: str, value: str | None) -> None:
    rabbitmqctl_eval(f"application:set_env(rabbit, {key}, {value})." if value is not None
                     else f"application:unset_env(rabbit, {key}).")


LOCK = os.path.join(tempfile.gettempdir(), "celery-classroom-rabbitmq-settings.lock")


def _take_lock():
    """One run on this machine at a time changes the local server's settings: a run that read the value
    while another had lowered it would 'restore' the lowered one. An open file held with flock (released
    by the OS when the process dies), or None when another run holds it. Where there is no flock
    (Windows), no lock."""
    try:
        import fcntl
    except ImportError:
        return open(os.devnull)
    handle = open(LOCK, "a")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        return None
    return handle


@contextmanager
def rabbitmq_setting(broker_url: str, key: str, value: int | str) -> Iterator[str | None]:
    """Set `key` of the `rabbit` application on the local server for the block; yields the old value."""
    why = _why_not(broker_url)
    lock = None
    if why is None:
        lock = _take_lock()
        if lock is None:
            why = t("kit.server.busy")
    if why is None:
        try:
            old = _read(key)
        except (OSError, subprocess.SubprocessError) as exc:
            why = t("kit.server.no_answer", error=(str(getattr(exc, "stderr", "") or exc).strip().splitlines()
                                                  or [type(exc).__name__])[-1])
    if why is not None:
        if lock is not None:
            lock.close()
        raise StepSkipped(why)
    restored = False

    def restore() -> None:
        nonlocal restored
        if not restored:
            restored = True
            _write(key, old)

    atexit.register(restore)          # Ctrl+C or a crash in the block: the exit still restores it
    try:
        _write(key, str(value))
        yield old
    finally:
        try:
            restore()
        finally:
            atexit.unregister(restore)
            lock.close()
