"""A pytest plugin for the pytest sessions the runner starts itself (lesson 14 and its exercise):
the in-process worker of celery.contrib.testing stops as soon as it is told to.

Why: on a transport without an event loop (memory://) the worker runs Celery's synloop, which
waits in `connection.drain_events` with a 2.0 s timeout (celery/worker/loops.py, Celery 5.x) and sees
start_worker()'s "stop now" (`state.should_terminate = 0`) only when that call returns: up to 2 s
of idle waiting per test worker, then its timer thread's `Condition.wait(1.0)`. Any message wakes
the loop, as classroom/runtime/workers.py's EmbeddedWorker does for lessons: while a worker is being
stopped this plugin sends it a harmless broadcast (a ping that wants no reply) every few
milliseconds and wakes its timer. The worker still stops by its own shutdown, bounded by
start_worker's `shutdown_timeout`; nothing else about it changes, and the learner's own
`python -m pytest` of the sample tests runs without this plugin.
"""
from __future__ import annotations

import threading
import time

from classroom.runtime import bounds

_workers: list = []             # WorkControllers started in this process (celery.signals.worker_init)
_lock = threading.Lock()


def _remember(sender=None, **_kwargs) -> None:
    with _lock:
        _workers.append(sender)


def _wake(worker) -> None:
    try:
        worker.app.control.broadcast("ping", reply=False, destination=[worker.hostname])
    except Exception:      # a broker already closed: the loop ends by itself
        pass
    condition = getattr(getattr(worker, "timer", None), "not_empty", None)
    if condition is not None:
        with condition:
            condition.notify_all()


def _watch() -> None:
    from celery.bootsteps import TERMINATE
    from celery.worker import state
    while True:
        time.sleep(bounds.TEST_WORKER_WAKE_S)
        if state.should_terminate is None and state.should_stop is None:
            continue
        with _lock:
            stopping = [w for w in _workers if getattr(w, "blueprint", None) is not None]
        for worker in stopping:
            if worker.blueprint.state != TERMINATE:     # not stopped yet
                _wake(worker)


def pytest_configure(config) -> None:
    from celery.signals import worker_init
    worker_init.connect(_remember, weak=False)
    threading.Thread(target=_watch, daemon=True, name="classroom-wake-test-workers").start()
