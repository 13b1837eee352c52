"""The runner's live processes and the way out: what is still running is killed on a second Ctrl+C.

Every `ManagedProcess` registers itself here while it runs (`_live`); `kill_all()` signals them all at
once and then runs the bounded tidy-ups a run left (`on_kill_all`: deleting a run's broker namespace).
Processes another runner started (a pid file, a detached `celery multi` node) are killed by pid.
"""
from __future__ import annotations

import os
import signal
import sys
from typing import Callable, Sequence

import psutil

from classroom.runtime import bounds

IS_WINDOWS = sys.platform == "win32"
_live: list = []                      # ManagedProcess started and not yet stopped: kill_all() sees them
on_spawn: list[Callable] = []         # the check child reports spawns to its parent
on_kill_all: list[Callable[[], None]] = []   # bounded tidy-ups after kill_all (a run's Redis keys)


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
