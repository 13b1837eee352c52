"""Every process the runner starts, and everything it reads from the process table, in one module.

A `ManagedProcess` is spawned in its own process group (its own session on POSIX) with its output
in a log file, waits for a readiness probe under a bound, and stops in bounded steps: the warm
signal (a worker's warm shutdown), then terminate, then kill, for the process *and* every process
it started. Workers, beat, Flower, a local redis-server and the child runners all use it.

The process table is read with psutil, so the same code works on Linux, macOS and Windows.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable, Sequence

import psutil

from classroom.runtime import bounds

IS_WINDOWS = sys.platform == "win32"
WARM = signal.SIGTERM                 # Celery's warm shutdown; beat and redis-server exit cleanly on it
_live: list["ManagedProcess"] = []    # started and not yet stopped: kill_all() sees them on the way out
on_spawn: list[Callable[["ManagedProcess"], None]] = []   # the check child reports spawns to its parent
on_kill_all: list[Callable[[], None]] = []   # bounded tidy-ups after kill_all (a run's Redis keys)


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


def kill_all() -> None:
    """Last resort on the way out (second Ctrl+C, SIGTERM): signal every process we started, now.
    A child runner gets SIGTERM (its kill_sig) so that it stops its own workers too."""
    for proc in list(_live):
        sig = proc.kill_sig or (signal.SIGKILL if not IS_WINDOWS else signal.SIGTERM)
        proc.send(sig)
        if sig == signal.SIGKILL or IS_WINDOWS:
            for child in proc._tree.values():
                _quietly(child.kill)
        if proc in _live:
            _live.remove(proc)
    for tidy in list(on_kill_all):      # each bounds itself (FAST_CLEANUP_S)
        try:
            tidy()
        except Exception:
            pass
        if tidy in on_kill_all:
            on_kill_all.remove(tidy)


def install_interrupt_handlers(on_second: Callable[[], None] | None = None, code: int = 130) -> None:
    """First Ctrl+C or SIGTERM: KeyboardInterrupt, so that the code under way stops cleanly (bounded).
    The second: kill every process we started (kill_all, with its bounded tidy-ups) and exit now."""
    count = {"n": 0}

    def handler(signum, frame):
        count["n"] += 1
        if count["n"] > 1:
            kill_all()
            if on_second is not None:
                on_second()
            os._exit(code)
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, handler)
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, handler)


def kill_groups(pids: Sequence[int]) -> None:
    """Kill the groups (sessions) of processes another runner started and could not stop."""
    for pid in pids:
        try:
            if IS_WINDOWS:
                for p in psutil.Process(pid).children(recursive=True) + [psutil.Process(pid)]:
                    _quietly(p.kill)
            else:
                os.killpg(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError, OSError, psutil.Error):
            pass


def pid_alive(pid: int) -> bool:
    """Whether a process we know only by its pid (a pid file: a daemon that left our group) still runs."""
    try:
        return _running(psutil.Process(pid))
    except psutil.Error:
        return False


def kill_trees(pids: Sequence[int]) -> None:
    """Kill these processes and every process they started (a detached worker and its pool)."""
    for pid in pids:
        try:
            root = psutil.Process(pid)
            tree = root.children(recursive=True) + [root]
        except psutil.Error:
            continue
        for p in tree:
            _quietly(p.kill)
        psutil.wait_procs(tree, timeout=bounds.PROCESS_TERMINATE_S)


def tail(log: Path | str, lines: int = 15) -> str:
    try:
        text = Path(log).read_text(errors="replace")
    except OSError:
        return ""
    return "\n".join(text.rstrip().splitlines()[-lines:])


# --- the process table -------------------------------------------------------------------------

def port_owner(port: int) -> str | None:
    """"name (pid N)" of the process listening on TCP `port`, or None when it cannot be known
    (nobody listens, or the OS does not tell this user)."""
    try:
        conns = psutil.net_connections(kind="tcp")
    except (psutil.Error, OSError):
        return None
    for conn in conns:
        if conn.status == psutil.CONN_LISTEN and conn.laddr and conn.laddr.port == port and conn.pid:
            try:
                return f"{psutil.Process(conn.pid).name()} (pid {conn.pid})"
            except psutil.Error:
                return f"pid {conn.pid}"
    return None


def find(match: Callable[[str], bool]) -> list[tuple[int, int, str]]:
    """(pid, parent pid, command line) of the live processes whose command line `match`es; not us."""
    found = []
    me = os.getpid()
    for p in psutil.process_iter(["pid", "ppid", "cmdline", "status"]):
        info = p.info
        if info["pid"] == me or info["status"] == psutil.STATUS_ZOMBIE or not info["cmdline"]:
            continue
        cmd = " ".join(info["cmdline"])
        if match(cmd):
            found.append((info["pid"], info["ppid"], cmd))
    return found


def course_processes() -> list[tuple[int, str]]:
    """Celery workers and beats of this course still running (pid, command line): main processes
    only, since a prefork worker's children repeat its command line."""
    def course(cmd: str) -> bool:
        return "celery" in cmd and ("lessons." in cmd or "exercises." in cmd or "classroom" in cmd) \
            and (" worker" in cmd or " beat" in cmd)
    found = find(course)
    pids = {pid for pid, _, _ in found}
    return [(pid, cmd) for pid, ppid, cmd in found if ppid not in pids]
