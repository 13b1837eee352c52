"""The run's fleet: its workers and services, behind one small protocol, started and stopped together.

Every member is `Managed`: ``start()`` returns once it is ready (bounded), ``request_stop()`` begins a
stop without waiting, ``stop()`` finishes it (bounded, idempotent), ``alive()`` and ``log_tail()`` say
how it is. Workers are Celery workers (a process, or a thread in memory mode); services are beat, Flower,
a web server, any command (runtime/services.py).
"""
from __future__ import annotations

from typing import Callable, Protocol

from classroom.errors import WaitTimeout
from classroom.runtime import bounds, waits
from classroom.runtime.workers import ProcessWorker


class Managed(Protocol):
    def start(self) -> None: ...
    def stop(self) -> None: ...
    def alive(self) -> bool: ...
    def log_tail(self, lines: int = 15) -> str: ...


class Fleet:
    def __init__(self) -> None:
        self.workers: list = []
        self.services: dict[str, Managed] = {}    # name -> service (lesson.toml [[services]], start_service())
        self._reported = False

    @property
    def hostnames(self) -> list[str]:
        return [w.hostname for w in self.workers]

    def add_worker(self, worker, start: bool = True):
        self.workers.append(worker)
        if start:
            worker.start()
        return worker

    def add_service(self, name: str, service: Managed) -> Managed:
        self.services[name] = service             # before start(): close() stops it even if start() fails
        service.start()
        return service

    def check(self) -> None:
        """Called while the runner waits: a dead worker process is reported at once, not after a timeout."""
        if self._reported:
            return
        for worker in self.workers:
            # worker.proc None: start_worker() lists it before spawning it (not dead: not started yet)
            if isinstance(worker, ProcessWorker) and worker.proc is not None and not worker.alive() \
                    and not getattr(worker, "expected_exit", False):
                self._reported = True             # say it once
                raise WaitTimeout("wait.worker_died", name=worker.hostname, code=worker.proc.returncode,
                                  tail=worker.log_tail())

    def close(self, app) -> None:
        """Services first (no new periodic tasks while workers stop), then the workers side by side: an
        idle one is killed at once (nothing to finish, nothing to lose), a busy one gets a warm shutdown;
        each bounded. Then what the workers wrote to (a throwaway database). Never raises."""
        running = list(self.services.values())
        for service in running:
            _quietly(getattr(service, "request_stop", None))
        for service in reversed(running):
            _quietly(service.stop)
        idle = self._idle_workers(app)
        for worker in self.workers:
            if worker.hostname in idle:
                _quietly(lambda w=worker: w.process.kill_tree(terminate_first=False))
            else:
                _quietly(getattr(worker, "request_stop", None))
        for worker in reversed(self.workers):
            _quietly(worker.stop)
        for service in reversed(running):
            _quietly(getattr(service, "after_workers", None))

    def _idle_workers(self, app) -> set[str]:
        """The worker processes that hold no task: none running, reserved (prefetched, unacked) or
        scheduled (an ETA/countdown waiting in the worker). Stopping them needs no warm shutdown,
        which takes about a second; any other answer, or none, gets the warm one. Bounded."""
        names = [w.hostname for w in self.workers if isinstance(w, ProcessWorker) and w.alive()]
        if not names or app is None:
            return set()

        def ask() -> set[str]:
            idle = set(names)
            for method in ("active", "reserved", "scheduled"):
                replies = waits.inspect(app, method, bounds.WORKER_IDLE_CHECK_S, destination=names)
                idle &= {name for name, tasks in replies.items() if not tasks}
            return idle

        try:
            return waits.call_with_deadline(ask, 3 * bounds.WORKER_IDLE_CHECK_S + 0.5)
        except Exception:   # the broker is gone, or a reply is late: stop them the careful way
            return set()


def _quietly(action: Callable[[], None] | None) -> None:
    """Stopping is best effort for each part: one that fails must not keep the others running."""
    if action is None:
        return
    try:
        action()
    except Exception:
        pass
