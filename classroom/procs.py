"""Child processes that never outlive the runner: own process group, bounded stop, then kill."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

IS_WINDOWS = sys.platform == "win32"
_live: list[subprocess.Popen] = []   # everything started and not yet stopped


def spawn(cmd: list[str], log: Path | None, env: dict[str, str] | None = None, cwd: str | None = None,
          kill_sig: int | None = None) -> subprocess.Popen:
    """Start `cmd` in its own process group with stdout+stderr going to `log` (None: to our own output).

    `kill_sig`: what kill_all() sends it (default SIGKILL). A child *runner* gets SIGTERM instead: a
    second SIGTERM is its own "kill everything now", so its workers go too instead of being orphaned."""
    out = open(log, "ab") if log is not None else None  # noqa: SIM115 - kept open for the child's lifetime
    kwargs: dict = {"stdout": out, "stderr": subprocess.STDOUT if out else None, "stdin": subprocess.DEVNULL,
                    "env": env, "cwd": cwd}
    if IS_WINDOWS:
        kwargs["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP  # type: ignore[attr-defined]
    else:
        kwargs["start_new_session"] = True
    proc = subprocess.Popen(cmd, **kwargs)
    proc.log_file = out  # type: ignore[attr-defined]
    proc.kill_sig = kill_sig  # type: ignore[attr-defined]
    _live.append(proc)
    return proc


def _signal_group(proc: subprocess.Popen, sig: int) -> None:
    try:
        if IS_WINDOWS:
            proc.send_signal(signal.CTRL_BREAK_EVENT if sig != signal.SIGTERM else signal.SIGTERM)  # type: ignore[attr-defined]
        else:
            os.killpg(proc.pid, sig)
    except (ProcessLookupError, PermissionError, OSError):
        pass


def ask_to_stop(proc: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    """Send `sig` to the group and return at once (stop() later waits, bounded): several children can
    then shut down at the same time instead of one after the other."""
    if proc.poll() is None:
        _signal_group(proc, sig)


def stop(proc: subprocess.Popen, grace_s: float, sig: int = signal.SIGTERM) -> int | None:
    """Ask the group to stop with `sig`; after `grace_s` kill the whole group. Returns the exit code."""
    if proc.poll() is None:
        _signal_group(proc, sig)
        try:
            proc.wait(grace_s)
        except subprocess.TimeoutExpired:
            pass
    # Whatever the main process did, nothing of its group may remain (prefork children, ...).
    if not IS_WINDOWS:
        _signal_group(proc, signal.SIGKILL)
    elif proc.poll() is None:
        proc.kill()
    try:
        proc.wait(2)
    except subprocess.TimeoutExpired:
        pass
    log_file = getattr(proc, "log_file", None)
    if log_file:
        log_file.close()
    if proc in _live:
        _live.remove(proc)
    return proc.returncode


def stop_runner(proc: subprocess.Popen, grace_s: float) -> int | None:
    """Stop a child runner, which stops its own workers: SIGTERM (a bounded clean stop), then a second
    SIGTERM (it kills its workers at once), then SIGKILL for the runner itself."""
    if proc.poll() is None:
        _signal_group(proc, signal.SIGTERM)
        try:
            proc.wait(grace_s)
        except subprocess.TimeoutExpired:
            _signal_group(proc, signal.SIGTERM)
            try:
                proc.wait(2)
            except subprocess.TimeoutExpired:
                pass
    return stop(proc, 0)


def kill_all() -> None:
    """Last resort on the way out (second Ctrl+C, SIGTERM): kill every group we started, now."""
    for proc in list(_live):
        _signal_group(proc, getattr(proc, "kill_sig", None) or (signal.SIGKILL if not IS_WINDOWS else signal.SIGTERM))
        if proc in _live:
            _live.remove(proc)


def tail(log: Path, lines: int = 15) -> str:
    try:
        text = Path(log).read_text(errors="replace")
    except OSError:
        return ""
    return "\n".join(text.rstrip().splitlines()[-lines:])
