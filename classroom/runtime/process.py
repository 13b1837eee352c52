"""Every process the runner starts: a `ManagedProcess`.

A `ManagedProcess` is spawned in its own process group (its own session on POSIX) with its output
in a log file, waits for a readiness probe under a bound, and stops in bounded steps: the warm
signal (a worker's warm shutdown), then terminate, then kill, for the process *and* every process
it started. Workers, beat, Flower, a local redis-server and the child runners all use it.

The registry of live processes and the last-resort kill on the way out are in reaper.py; reading the
process table (who listens on a port, which course processes run) is in proctable.py. All three use
psutil, so the same code works on Linux, macOS and Windows.
"""
from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path
from typing import Callable, Sequence

import psutil

from classroom.runtime import bounds
from classroom.runtime.reaper import IS_WINDOWS, _live, on_spawn

WARM = signal.SIGTERM                 # Celery's warm shutdown; beat and redis-server exit cleanly on it


class NotReady(Exception):
    """The process exited, or its probe never said ready within the bound."""

    def __init__(self, process: "ManagedProcess", seconds: float) -> None:
        self.process, self.seconds, self.code = process, seconds, process.returncode
        super().__init__(f"{process.name}: not ready within {seconds} s (exit code {self.code})")


class ManagedProcess:
    """One child process that never outlives the runner.

    `ready(proc)`: the readiness probe, called every `poll_s` until it is true (the process
    answers a ping, logs a line, accepts a connection); None means ready once spawned.
    `stop_steps`: (signal, seconds) tried in order before the tree is terminated and then killed;
    a child runner gets (SIGTERM, n), (SIGTERM, 2): its second SIGTERM stops its own workers now.
    `kill_sig`: what kill_all() sends on the way out (a child runner: SIGTERM, so it can clean up).
    `signal_main_only`: the stop signals go to the main process, not its group: a prefork worker's pool
    processes reset SIGTERM to its default (celery/concurrency/prefork.py WORKER_SIGRESET), so a SIGTERM
    to the group kills the task they run (WorkerLostError) instead of letting the warm shutdown finish it.
    """

    def __init__(self, name: str, cmd: Sequence[str], log: Path | None, *, env: dict[str, str] | None = None,
                 cwd: str | None = None, ready: Callable[["ManagedProcess"], bool] | None = None,
                 start_s: float = bounds.PROCESS_START_S, poll_s: float = 0.05,
                 stop_steps: Sequence[tuple[int, float]] = ((WARM, bounds.PROCESS_STOP_S),),
                 kill_sig: int | None = None, own_group: bool = True, capture: bool = False,
                 signal_main_only: bool = False) -> None:
        self.name, self.cmd, self.log = name, list(cmd), log
        self.own_group = own_group        # False: a foreground child that shares our terminal's Ctrl+C
        self.capture = capture            # True: its output is ours to read (popen.stdout, text lines)
        self.signal_main_only = signal_main_only
        self.env, self.cwd, self.ready = env, cwd, ready
        self.start_s, self.poll_s, self.stop_steps, self.kill_sig = start_s, poll_s, tuple(stop_steps), kill_sig
        self.popen: subprocess.Popen | None = None
        self._out = None
        self._tree: dict[int, psutil.Process] = {}   # every descendant seen: found even once re-parented

    # --- starting ---
    def spawn(self) -> "ManagedProcess":
        """Start the process and return at once (start() also waits for the probe)."""
        if self.log is not None:
            self.log.parent.mkdir(parents=True, exist_ok=True)
            self.log.write_bytes(b"")
            self._out = open(self.log, "ab")  # noqa: SIM115 - kept open for the child's lifetime
        kwargs: dict = {"stdout": self._out, "stderr": subprocess.STDOUT if self._out else None,
                        "stdin": subprocess.DEVNULL, "env": self.env, "cwd": self.cwd}
        if self.capture:
            kwargs.update(stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8",
                          errors="replace", bufsize=1)
        if not self.own_group:
            pass
        elif IS_WINDOWS:
            kwargs["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP  # type: ignore[attr-defined]
        else:
            kwargs["start_new_session"] = True
        self.popen = subprocess.Popen(self.cmd, **kwargs)
        _live.append(self)
        for hook in on_spawn:
            hook(self)
        return self

    def start(self) -> "ManagedProcess":
        """Spawn, then wait (bounded) until the probe says ready. Raises NotReady, with the process
        already stopped, when it exits first or the bound runs out."""
        if self.popen is None:
            self.spawn()
        if not self.wait_ready(self.start_s):
            self.stop()
            raise NotReady(self, self.start_s)
        return self

    def wait_ready(self, seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        while True:
            if not self.alive():
                return False
            try:
                if self.ready is None or self.ready(self):
                    return self.alive()
            except Exception:   # a probe that raises is a probe that says "not yet"
                pass
            if time.monotonic() >= deadline:
                return False
            time.sleep(self.poll_s)

    def run_to_end(self, seconds: float) -> int | None:
        """Spawn, wait up to `seconds` for the process to exit by itself (a test session, a one-off
        command), then stop whatever of its tree is left. Returns the exit code, None when the bound
        ran out (the process was stopped)."""
        if self.popen is None:
            self.spawn()
        try:
            code: int | None = self.popen.wait(seconds)
        except subprocess.TimeoutExpired:
            code = None
        self.stop()
        return code

    # --- looking ---
    @property
    def pid(self) -> int | None:
        return self.popen.pid if self.popen else None

    @property
    def returncode(self) -> int | None:
        return self.popen.poll() if self.popen else None

    def alive(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def children(self) -> list[psutil.Process]:
        """The live processes it started (a prefork worker's pool processes, ...)."""
        if not self.alive():
            return []
        try:
            found = psutil.Process(self.popen.pid).children(recursive=True)
        except psutil.Error:
            return []
        self._tree.update((p.pid, p) for p in found)
        return [p for p in found if _running(p)]

    def log_tail(self, lines: int = 15) -> str:
        return tail(self.log, lines) if self.log else ""

    # --- stopping ---
    def send(self, sig: int, group: bool = True) -> None:
        """Send `sig` to the process (and its group), now; never raises for a process already gone."""
        if not self.alive():
            return
        try:
            if IS_WINDOWS:
                self.popen.send_signal(signal.CTRL_BREAK_EVENT if sig != signal.SIGTERM else signal.SIGTERM)  # type: ignore[attr-defined]
            elif group and self.own_group:
                os.killpg(self.popen.pid, sig)
            else:
                os.kill(self.popen.pid, sig)
        except (ProcessLookupError, PermissionError, OSError):
            pass

    def request_stop(self) -> None:
        """Send the first stop signal and return at once: several processes then stop side by side,
        and stop() later waits for each with its bound."""
        self.children()                   # remember the tree while the parent can still tell it
        if self.stop_steps:
            self.send(self.stop_steps[0][0], group=not self.signal_main_only)

    def stop(self, steps: Sequence[tuple[int, float]] | None = None) -> int | None:
        """Stop in bounded steps: each (signal, seconds), then terminate and kill whatever of the tree
        is left. Idempotent; returns the exit code."""
        if self.popen is None:
            return None
        self.children()
        for sig, seconds in (self.stop_steps if steps is None else steps):
            if not self.alive():
                break
            self.send(sig, group=not self.signal_main_only)
            try:
                self.popen.wait(seconds)
            except subprocess.TimeoutExpired:
                pass
        self.kill_tree()
        return self.popen.returncode

    def kill(self, sig: int = signal.SIGKILL if not IS_WINDOWS else signal.SIGTERM) -> None:
        """`kill -9` the main process only, as a crash would (its pool processes are left to notice)."""
        self.children()
        self.send(sig, group=False)

    def kill_tree(self, terminate_first: bool = True) -> None:
        """Terminate, then kill, the process and every descendant ever seen; close the log.
        terminate_first=False: kill at once (nothing left to finish: an idle worker)."""
        if self.popen is None:
            return
        tree = [p for p in self._tree.values() if _running(p)]
        if self.alive():
            tree = self.children() + tree
        left = tree
        if terminate_first:
            for p in tree:
                _quietly(p.terminate)
            if self.alive():
                self.popen.terminate()
            _, left = psutil.wait_procs(tree, timeout=bounds.PROCESS_TERMINATE_S) if tree else ([], [])
            try:
                self.popen.wait(bounds.PROCESS_TERMINATE_S)
            except subprocess.TimeoutExpired:
                pass
        if not IS_WINDOWS and self.own_group:   # the group also holds re-parented children we never saw
            try:
                os.killpg(self.popen.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError, OSError):
                pass
        for p in left:
            _quietly(p.kill)
        if self.popen.poll() is None:
            self.popen.kill()
        try:
            self.popen.wait(bounds.PROCESS_TERMINATE_S)
        except subprocess.TimeoutExpired:
            pass
        if self._out is not None:
            self._out.close()
            self._out = None
        if self in _live:
            _live.remove(self)


def _running(p: psutil.Process) -> bool:
    try:
        return p.is_running() and p.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _quietly(action: Callable[[], None]) -> None:
    try:
        action()
    except psutil.Error:
        pass


def tail(log: Path | str, lines: int = 15) -> str:
    try:
        text = Path(log).read_text(errors="replace")
    except OSError:
        return ""
    return "\n".join(text.rstrip().splitlines()[-lines:])
