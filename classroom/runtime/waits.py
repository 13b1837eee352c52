"""Every wait the runner does, each with a deadline it enforces itself.

Celery's own timeouts (``get(timeout=...)``, ``ping(timeout=...)``) are used first; on top of that
each call runs under a hard deadline here, because a reconnecting backend can overrun them
(see shared/research/celery-pitfalls.md section 1).
"""
from __future__ import annotations

import threading
import time
from typing import Any, Callable, TypeVar

from celery.exceptions import TimeoutError as CeleryTimeout
from celery.result import ResultSet

from classroom.errors import ClassroomError, WaitTimeout
from classroom.runtime import bounds

T = TypeVar("T")
_SLICE_S = 0.1  # joins are sliced so that Ctrl+C reaches the main thread at once

# Set by a session while its workers run: raises (e.g. "worker died") instead of letting a wait run out.
health_check: Callable[[], None] | None = None
# The workers the current session started: a diagnosis pings them by name, and a ping with names
# returns as soon as they all answered instead of waiting out its whole timeout.
session_workers: list[str] | None = None
# The module the session's app comes from (what `celery -A` needs in a diagnosis's command).
app_module: str | None = None
# A step's cancel token, per thread: every wait below checks it, so a step past its deadline stops at
# its next wait instead of running on beside the next step.
_local = threading.local()


class Cancelled(BaseException):
    """The step this thread runs was stopped (its deadline passed). A BaseException: a step's own
    `except Exception` must not swallow it."""


def set_cancel_token(token: threading.Event | None) -> None:
    """Make the waits of the calling thread stop (raise Cancelled) once `token` is set."""
    _local.cancel = token


def check_cancelled() -> None:
    token = getattr(_local, "cancel", None)
    if token is not None and token.is_set():
        raise Cancelled()


def sleep(seconds: float) -> None:
    """time.sleep that a cancelled step wakes from (in slices)."""
    end = time.monotonic() + seconds
    while True:
        check_cancelled()
        left = end - time.monotonic()
        if left <= 0:
            return
        time.sleep(min(left, _SLICE_S))


def module_for(task_name: str | None) -> str:
    """The -A module for a command a learner can type: the session's app, else the task's module."""
    if app_module:
        return app_module
    return task_name.rsplit(".", 1)[0] if task_name and "." in task_name else "<module>"


def call_with_deadline(fn: Callable[[], T], seconds: float,
                       on_timeout: Callable[[], Exception] | None = None) -> T:
    """Run `fn` in a daemon thread; return its value, re-raise its error, or raise after `seconds`."""
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # handed to the caller below
            box["error"] = exc

    thread = threading.Thread(target=target, daemon=True, name="classroom-deadline")
    thread.start()
    end = time.monotonic() + seconds
    while thread.is_alive() and time.monotonic() < end:
        thread.join(_SLICE_S)
        check_cancelled()
        if thread.is_alive() and health_check is not None:
            health_check()
    if thread.is_alive():
        raise (on_timeout() if on_timeout else WaitTimeout("wait.deadline", seconds=seconds))
    if "error" in box:
        raise box["error"]
    return box["value"]


def wait_until(predicate: Callable[[], bool], seconds: float, interval: float = 0.05) -> bool:
    """Poll `predicate` until it is true or `seconds` pass. Returns whether it became true."""
    end = time.monotonic() + seconds
    while True:
        check_cancelled()
        if predicate():
            return True
        if time.monotonic() >= end:
            return False
        time.sleep(interval)


def ping(app, seconds: float = bounds.WORKER_PING_S, destination: list[str] | None = None) -> list[str]:
    """Names of the workers that answered a broadcast ping within `seconds`."""
    replies = call_with_deadline(
        lambda: app.control.ping(timeout=seconds, destination=destination),
        seconds + bounds.BROKER_SOCKET_S + 1,
    )
    return [name for reply in replies or [] for name in reply]


def inspect(app, method: str, seconds: float = bounds.INSPECT_S, destination: list[str] | None = None) -> dict:
    """One remote-control inspect call (``active_queues``, ``registered``, ...), bounded."""
    limit = len(destination) if destination else None     # return once every named worker replied
    def call() -> dict:
        return getattr(app.control.inspect(timeout=seconds, destination=destination, limit=limit), method)() or {}
    return call_with_deadline(call, seconds + bounds.BROKER_SOCKET_S + 1)


def get(result, timeout: float = bounds.RESULT_S, propagate: bool = True) -> Any:
    """``result.get(timeout=...)`` under a hard deadline; a timeout is diagnosed, not just reported."""
    if isinstance(result, ResultSet):
        # GroupResult.get() called outside the main thread can miss its results on the Redis backend
        # (celery/celery#6350), and every wait here runs in a thread: join member by member instead,
        # which returns the same list in the same order.
        end = time.monotonic() + timeout
        return [get(member, max(end - time.monotonic(), 0.05), propagate) for member in result.results]
    def call() -> Any:
        return result.get(timeout=timeout, interval=bounds.RESULT_POLL_INTERVAL_S,
                          propagate=propagate, disable_sync_subtasks=False)
    try:
        return call_with_deadline(call, timeout + bounds.BROKER_SOCKET_S + 2,
                                  on_timeout=lambda: diagnose(result, timeout))
    except CeleryTimeout:
        raise diagnose(result, timeout) from None


def poll_state(result, until: Callable[[str, Any], bool], seconds: float = bounds.RESULT_S,
               interval: float = 0.05, on_change: Callable[[str, Any], None] | None = None) -> str:
    """Poll ``result.state``/``result.info`` until `until(state, info)`; report each new state."""
    seen: tuple | None = None
    end = time.monotonic() + seconds
    while True:
        state, info = call_with_deadline(lambda: (result.state, result.info), bounds.BROKER_SOCKET_S + 2)
        if (state, repr(info)) != seen:
            seen = (state, repr(info))
            if on_change:
                on_change(state, info)
        if until(state, info):
            return state
        if time.monotonic() >= end:
            raise diagnose(result, seconds)
        sleep(interval)


def diagnose(result, seconds: float) -> ClassroomError:
    """Turn "nothing came back" into the likely cause: no worker, nobody on the queue, unknown task."""
    from classroom.runtime.tracking import tracker

    app = result.app
    sent = tracker.tasks.get(result.id)
    task_name = getattr(result, "name", None) or (sent.name if sent else None)
    queue = _quiet(lambda: result.queue) or (sent.queue if sent else None)
    try:
        workers = ping(app, destination=session_workers or None)
    except Exception:  # the broker itself may be gone; say so rather than guess
        return WaitTimeout("wait.broker_gone", seconds=seconds, url=_safe_url(app))
    if not workers:
        return WaitTimeout("wait.no_worker", seconds=seconds, task_id=result.id, module=module_for(task_name))
    if sent and sent.ended and sent.state in ("SUCCESS", "FAILURE") and _quiet(lambda: result.state) == "PENDING":
        # A worker says it finished, the backend has nothing: the result was never stored.
        return WaitTimeout("wait.result_not_stored", seconds=seconds, task_id=result.id,
                           worker=sent.hostname, event="succeeded" if sent.state == "SUCCESS" else "failed")
    task = app.tasks.get(task_name) if task_name else None
    if task is not None and task.ignore_result:
        # ignore_result=True: nothing is ever stored, so this id would stay PENDING forever.
        return WaitTimeout("wait.ignored", task_id=result.id)
    if sent is None or sent.sent is None:
        if getattr(result, "state", "PENDING") == "PENDING":
            return WaitTimeout("wait.unknown_id", seconds=seconds, task_id=result.id)
    if queue:
        try:
            active = inspect(app, "active_queues", destination=workers)
            consumed = {q["name"] for qs in active.values() for q in qs}
            if active and queue not in consumed:
                return WaitTimeout("wait.no_consumer", seconds=seconds, queue=queue,
                                   queues=", ".join(sorted(consumed)), module=module_for(task_name))
        except Exception:
            pass
    if task_name:
        try:
            registered = inspect(app, "registered", destination=workers)
            # a task with a rate limit (or other options) is listed as "name [rate_limit=5/m]"
            names = {n.split(" [", 1)[0] for ns in registered.values() for n in ns}
            if registered and task_name not in names:
                return WaitTimeout("wait.not_registered", seconds=seconds, task=task_name,
                                   module=module_for(task_name))
        except Exception:
            pass
    state = getattr(result, "state", "?")
    return WaitTimeout("wait.still_running", seconds=seconds, task_id=result.id, state=state,
                       workers=", ".join(workers))


def _quiet(read: Callable[[], Any]) -> Any:
    """A best-effort backend read for a diagnosis: None when it fails (bounded by the socket timeouts)."""
    try:
        return read()
    except Exception:  # diagnosing must not raise a second, less helpful error
        return None


def _safe_url(app) -> str:
    try:
        return app.connection().as_uri()
    except Exception:
        return str(app.conf.broker_url)
