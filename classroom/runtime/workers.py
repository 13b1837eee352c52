"""Real Celery workers for a lesson: in-process threads (memory mode) or `celery worker` processes.

Both kinds have the same small interface: ``start()`` returns once the worker answers a ping,
``stop()`` is bounded and idempotent, ``log_tail()`` shows what the worker said.
"""
from __future__ import annotations

import os
import re
import sys
import threading
from dataclasses import dataclass, field

from classroom import ROOT, paths
from classroom.errors import ClassroomError
from classroom.runtime import bounds
from classroom.runtime.process import WARM, ManagedProcess, NotReady, tail
from classroom.runtime.waits import ping, wait_until

IS_WINDOWS = sys.platform == "win32"


@dataclass
class WorkerSpec:
    """One worker a lesson needs (from its lesson.toml)."""
    name: str = "worker1"
    queues: tuple[str, ...] | None = None   # None: the app's task_default_queue ("celery" unless set)
    concurrency: int = 2
    pool: str | None = None          # default: prefork (threads on Windows / in memory mode)
    prefetch_multiplier: int | None = None   # None: the app's worker_prefetch_multiplier
    args: tuple[str, ...] = ()       # more `celery worker` options: "--autoscale=4,1", "--max-tasks-per-child=2"
    env: dict = field(default_factory=dict)   # more environment for its process (AUTOSCALE_KEEPALIVE=1)
    modes: tuple[str, ...] | None = None      # the broker modes it runs in (None: every mode)

    def runs_in(self, mode: str) -> bool:
        return self.modes is None or mode in self.modes


def default_pool() -> str:
    # Windows has no fork: prefork fails there with "not enough values to unpack".
    return "threads" if IS_WINDOWS else "prefork"


def celery_command(module: str, spec: WorkerSpec, hostname: str | None = None, loglevel: str = "INFO",
                   workdir: str | None = None) -> list[str]:
    """The plain `celery worker` command line for `spec` (what the notes print, minus the python -m).
    workdir: a project imported from its own folder; `--workdir` is a global option, before -A."""
    cmd = ["celery"] + (["--workdir", workdir] if workdir else []) + ["-A", module, "worker", "-l", loglevel.lower()]
    if hostname:
        cmd += ["-n", hostname]
    if spec.queues:
        cmd += ["-Q", ",".join(spec.queues)]
    pool = spec.pool or default_pool()
    if pool != "prefork":
        cmd += ["-P", pool]
    cmd += ["-c", str(spec.concurrency)]
    if spec.prefetch_multiplier is not None:
        cmd += ["--prefetch-multiplier", str(spec.prefetch_multiplier)]
    return cmd + list(spec.args)


class ProcessWorker:
    """`python -m celery -A <module> worker ...`: a managed process whose probe is a ping."""

    def __init__(self, app, module: str, spec: WorkerSpec, hostname: str, env: dict[str, str]) -> None:
        self.app, self.module, self.spec, self.hostname = app, module, spec, hostname
        env = {**os.environ, **env, **spec.env}   # env: the session's child_env() (broker, settings, PYTHONPATH)
        # -E: task events for the timeline; no gossip/mingle: they only slow a one-lesson worker down.
        cmd = [sys.executable, "-m"] + celery_command(module, spec, hostname)
        # Our flags go before the spec's own: those may end with `-- key=value` settings (Celery's command line).
        at = cmd.index("--") if "--" in cmd else len(cmd)
        cmd[at:at] = ["-E", "--without-gossip", "--without-mingle"]
        self.process = ManagedProcess(hostname, cmd, paths.log_dir() / f"worker-{hostname.replace('@', '-')}.log",
                                      env=env, cwd=str(ROOT), ready=self._answers, start_s=bounds.WORKER_START_S,
                                      poll_s=0.02,
                                      stop_steps=((WARM, bounds.WORKER_STOP_S),), signal_main_only=True)
        self.log = self.process.log

    @property
    def pool(self) -> str:
        return self.spec.pool or default_pool()

    @property
    def proc(self):
        """The Popen (None before start), for callers that need the pid or exit code."""
        return self.process.popen

    def _answers(self, process) -> bool:
        # Celery logs "<hostname> ready." once it consumes; only then is a ping worth its round trip.
        if self.app is None or f"{self.hostname} ready." not in process.log_tail(40):
            return False
        return bool(ping(self.app, bounds.WORKER_PING_S, destination=[self.hostname]))

    def spawn(self) -> None:
        """Start the process and return at once: its boot (importing Celery and the lesson, about a
        second) then overlaps whatever the runner does next; start() waits for the ping."""
        if self.process.popen is None:
            self.process.spawn()

    def start(self) -> None:
        self.spawn()
        try:
            self.process.start()
        except NotReady as failed:
            tail = self.log_tail()
            if "Unable to load celery application" in tail or "Error: Invalid value for '-A'" in tail:
                raise ClassroomError("worker.import_failed", module=self.module, root=ROOT, tail=tail) from None
            mismatch = re.search(r"PRECONDITION_FAILED - inequivalent arg '[^']+' for queue '([^']+)'", tail)
            if mismatch:
                raise ClassroomError("worker.queue_mismatch", queue=mismatch.group(1), tail=mismatch.group(0)) from None
            key = "worker.exited" if failed.code is not None else "worker.no_ping"
            raise ClassroomError(key, name=self.hostname, code=failed.code, seconds=bounds.WORKER_START_S,
                                 log=str(self.log), tail=tail) from None

    def stop(self) -> None:
        self.process.stop()      # SIGTERM to the main process = warm shutdown, then terminate and kill the tree

    def request_stop(self) -> None:
        """Start the warm shutdown without waiting (Session.close stops all workers at once)."""
        self.process.request_stop()

    def kill(self, sig: int | None = None) -> None:
        """`kill -9` the worker's main process, as a crash or the OOM killer would."""
        self.process.kill(*(() if sig is None else (sig,)))

    def children(self):
        return self.process.children()

    def alive(self) -> bool:
        return self.process.alive()

    def log_tail(self, lines: int = 15) -> str:
        return self.process.log_tail(lines)


class EmbeddedWorker:
    """A worker inside this process (threads pool): the only kind that can share `memory://`."""

    def __init__(self, app, spec: WorkerSpec, hostname: str) -> None:
        self.app, self.spec, self.hostname = app, spec, hostname
        self.log = paths.log_dir() / f"worker-{hostname.replace('@', '-')}.log"
        self.controller = None
        self.thread: threading.Thread | None = None

    pool = "threads"

    def start(self) -> None:
        from celery.contrib.testing.worker import (
            TestWorkController,
            setup_app_for_worker,
        )
        from celery.result import _set_task_join_will_block

        self.log.write_text("")
        setup_app_for_worker(self.app, "INFO", str(self.log))
        self.controller = TestWorkController(
            app=self.app, pool="threads", concurrency=self.spec.concurrency, hostname=self.hostname,
            queues=list(self.spec.queues) if self.spec.queues else None, loglevel="INFO", logfile=str(self.log), ready_callback=None,
            without_heartbeat=True, without_mingle=True, without_gossip=True, task_events=True,
            **({"prefetch_multiplier": self.spec.prefetch_multiplier} if self.spec.prefetch_multiplier is not None else {}))
        self.thread = threading.Thread(target=self.controller.start, daemon=True, name=f"worker {self.hostname}")
        self.thread.start()
        if not self.controller._on_started.wait(bounds.WORKER_START_S):
            raise ClassroomError("worker.no_ping", name=self.hostname, seconds=bounds.WORKER_START_S,
                                 log=str(self.log), tail=self.log_tail(), code=None)
        # The client side of this process may wait on results (the worker thread must not).
        _set_task_join_will_block(False)

    def stop(self) -> None:
        if self.thread is None or not self.thread.is_alive():
            return
        from celery.worker import state
        state.should_stop = 0  # warm shutdown: finish running tasks
        # The worker's loop drains once more after the flag is seen and a quiet memory broker would
        # keep it there for 2 s; any message wakes it, so send harmless broadcasts until it exits.
        wait_until(lambda: (self._wake(), not self.thread.is_alive())[1], bounds.MEMORY_WORKER_STOP_S, 0.01)
        state.should_stop = None

    def _wake(self) -> None:
        try:
            self.app.control.broadcast("ping", reply=False)
        except Exception:
            pass
        # Celery's timer thread idles in Condition.wait(1.0) and its stop() does not notify it.
        timer = getattr(self.controller, "timer", None)
        condition = getattr(timer, "not_empty", None)
        if condition is not None:
            with condition:
                condition.notify_all()

    def alive(self) -> bool:
        return self.thread is not None and self.thread.is_alive()

    def log_tail(self, lines: int = 15) -> str:
        return tail(self.log, lines)
