"""The run's environment variables in this process: set while the run lasts, restored when it ends.

The learner's own calls in the runner's process must see the run's broker and settings (and a Django
settings module read later must too), so they go into os.environ; nothing of a run stays there after it.
"""
from __future__ import annotations

import os


class RunEnvironment:
    def __init__(self) -> None:
        self._before: dict[str, str | None] = {}

    def set(self, values: dict[str, str]) -> None:
        for key, value in values.items():
            self._before.setdefault(key, os.environ.get(key))
            os.environ[key] = value

    def restore(self) -> None:
        for key, value in self._before.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        self._before.clear()
