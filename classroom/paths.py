"""Where the runner writes logs and progress: `.classroom/` in the repository, else a temp dir."""
from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path

from classroom import ROOT

STATE_ENV = "CLASSROOM_STATE_DIR"
_state: Path | None = None
_lock = threading.Lock()          # `check --class` asks from several threads at once
fallback_used: Path | None = None  # set when the preferred place was not writable


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
