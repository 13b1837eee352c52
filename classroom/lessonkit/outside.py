"""What a lesson sees from outside the run's Python process: the real `celery` command line, an HTTP
request (Flower, a web app) and a live events dashboard. Each call is bounded; `Run` exposes them as
``run.celery(...)``, ``run.http(...)`` and ``run.dashboard()``."""
from __future__ import annotations

from typing import Any

from classroom.player import dashboard as _dashboard
from classroom.runtime import bounds, cli
from classroom.runtime.flower import api as _http


def celery(session, *commands: list[str], timeout: float = bounds.CLI_S) -> list[tuple[int | None, str]]:
    """`celery -A <lesson app> ARGS` for each command, side by side, with the run's environment (same
    broker, settings and key prefix): their (exit code, or None when the bound ran out; output)."""
    return cli.run_side_by_side(session, list(commands), timeout)


def celery_shown(session, args: list[str]) -> str:
    """The command as a learner types it against this broker (password hidden)."""
    return cli.shown(session, args)


def http(method: str, url: str, form: dict | None = None, auth: tuple[str, str] | None = None,
         timeout: float = bounds.HTTP_S) -> tuple[int, Any]:
    """(status, decoded JSON or text) of one bounded HTTP request; an HTTP error is a status, not a raise."""
    return _http(url, method, "", form, auth, timeout)


class Dashboard:
    """Task events folded into workers and tasks (app.events.State), drawn live on a terminal while the
    step runs; `finish()` gives the last snapshot and shows it with the step's outcome."""

    def __init__(self, run, workers: list[str]) -> None:
        self._run = run
        self.monitor = _dashboard.Monitor(run.app, accept=lambda hostname: hostname in workers)
        self._view = None
        self.snap: dict | None = None

    def __enter__(self) -> "Dashboard":
        self.monitor.start()
        self._view = _dashboard.live(self.monitor).__enter__()
        return self

    def snapshot(self) -> dict:
        return self.monitor.snapshot()

    def finish(self) -> dict:
        if self.snap is None:
            self.snap = self._view.finish()
            self.monitor.stop()
            self._run.render(_dashboard.render(self.snap))
        return self.snap

    def __exit__(self, *exc) -> None:
        self.finish()
