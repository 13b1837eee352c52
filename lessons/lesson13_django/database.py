"""The lesson's throwaway SQLite database, as a service (lesson.toml: kind = "lessons.lesson13_django.database:make").

start(): Django is set up in the runner and every migration is applied to a new file (DJANGO_DB_PATH,
in the runner's state folder). The file is deleted in after_workers(), once the workers, which write
task results to it, have stopped; a second Ctrl+C deletes it too (reaper.on_kill_all).
"""
from __future__ import annotations

import os
from pathlib import Path

from classroom.runtime import reaper


class ThrowawayDatabase:
    def __init__(self, session, spec) -> None:
        self.name = spec.name
        self.path = Path(os.environ["DJANGO_DB_PATH"])    # lesson.toml [env], per run
        self.info = {"kind": "sqlite", "path": str(self.path)}

    def start(self) -> None:
        import django
        from django.core.management import call_command
        from django.db import connections

        self.path.parent.mkdir(parents=True, exist_ok=True)
        reaper.on_kill_all.append(self.remove)
        django.setup()
        call_command("migrate", interactive=False, verbosity=0)
        connections.close_all()

    def request_stop(self) -> None:
        pass

    def stop(self) -> None:
        pass                        # the workers may still store a result: see after_workers()

    def after_workers(self) -> None:
        from django.db import connections
        connections.close_all()
        self.remove()

    def remove(self) -> None:
        for path in self.path.parent.glob(self.path.name + "*"):     # -journal, -wal, -shm
            path.unlink(missing_ok=True)
        if self.remove in reaper.on_kill_all:
            reaper.on_kill_all.remove(self.remove)

    def alive(self) -> bool:
        return self.path.exists()

    def log_tail(self, lines: int = 15) -> str:
        return ""


def make(session, spec) -> ThrowawayDatabase:
    return ThrowawayDatabase(session, spec)
