"""Where the runner writes logs and progress: `.classroom/` in the repository, else a temp dir."""
from __future__ import annotations

import os
import re
import shutil
import tempfile
import threading
from pathlib import Path

from classroom import ROOT

STATE_ENV = "CLASSROOM_STATE_DIR"
_state: Path | None = None
_lock = threading.Lock()          # `check --class` asks from several threads at once
fallback_used: Path | None = None  # set when the preferred place was not writable
KEEP_RUNS = 5                      # runs whose logs and folders (multi/<run id>/) prune() keeps
RUN_ID = re.compile(r"(?:lesson|ex)\d+-[0-9a-f]{4}")   # session.py / practice/child.py name runs so


def _writable(path: Path) -> bool:
    try:
        path.mkdir(parents=True, exist_ok=True)
        # a probe of our own: two threads or processes testing at once must not delete each other's
        probe = path / f".write-test-{os.getpid()}-{threading.get_ident()}"
        probe.write_text("ok")
        probe.unlink()
        return True
    except OSError:
        return False


def state_dir() -> Path:
    """A writable folder for logs and progress; never fails (a lesson must still run)."""
    with _lock:
        return _choose_state_dir()


def _choose_state_dir() -> Path:
    global _state, fallback_used
    if _state is None:
        preferred = Path(os.environ.get(STATE_ENV) or ROOT / ".classroom")
        if _writable(preferred):
            _state = preferred
        else:
            _state = Path(tempfile.gettempdir()) / f"celery-classroom-{os.getuid() if hasattr(os, 'getuid') else 'user'}"
            fallback_used = preferred
            if not _writable(_state):
                _state = Path(tempfile.mkdtemp(prefix="celery-classroom-"))
    return _state


def log_dir() -> Path:
    path = state_dir() / "logs"
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        return state_dir()
    return path


def prune(state: Path | None = None, keep: int = KEEP_RUNS) -> None:
    """Keep the files of the newest `keep` runs in the state folder: logs/ files named after a run id
    and multi/<run id>/ folders (`celery multi` nodes' pid and log files); older ones are deleted.
    Files named after no run (flower.log, check-*.log) are overwritten by the next run and stay.
    A run still under way writes its files now: it is among the newest. Never raises."""
    state = state or state_dir()
    newest: dict[str, float] = {}
    found: list[tuple[str, Path]] = []
    for folder in (state / "logs", state / "multi"):
        try:
            entries = list(folder.iterdir())
        except OSError:
            continue
        for path in entries:
            match = RUN_ID.search(path.name)
            if not match:
                continue
            try:
                mtime = path.stat().st_mtime
            except OSError:
                continue
            newest[match.group()] = max(newest.get(match.group(), 0.0), mtime)
            found.append((match.group(), path))
    old = set(sorted(newest, key=newest.__getitem__, reverse=True)[keep:])
    for run_id, path in found:
        if run_id in old:
            try:
                if path.is_dir():
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    path.unlink(missing_ok=True)
            except OSError:             # another user's file, a Windows lock: it stays
                pass
