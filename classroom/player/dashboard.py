"""A live terminal dashboard built on Celery's own event machinery (lesson 8 and `runner.py top`).

`app.events.Receiver` reads the event stream the workers send with `-E` (the one `celery events`
and Flower read); `app.events.State()` folds it into workers and tasks. This module only draws
that state with rich: workers (online, active, processed), tasks by state, the last tasks with
their runtimes. `lag` is how far behind the dashboard is: the time between a worker sending an
event and the dashboard having applied it.
"""
from __future__ import annotations

import threading
import time
from collections import Counter
from typing import Callable

from rich.console import Group
from rich.table import Table
from rich.text import Text

from classroom.messages import t
from classroom.runtime import bounds

STATE_STYLE = {"SUCCESS": "green", "FAILURE": "red", "STARTED": "yellow", "RECEIVED": "cyan",
               "REVOKED": "magenta", "RETRY": "yellow", "PENDING": "dim"}


class Monitor:
    """Events in, `State` out. `accept(hostname)`: which workers this dashboard is about (a run's own
    workers on a shared RabbitMQ vhost; everyone for `top`)."""

    def __init__(self, app, accept: Callable[[str], bool] | None = None, max_tasks: int = 10_000) -> None:
        self.app = app
        self.accept = accept or (lambda _h: True)
        self.state = app.events.State(max_tasks_in_memory=max_tasks)
        self.lock = threading.Lock()
        self.events = 0
        self.lags: list[float] = []            # seconds between a task event's sending and its use here
        self.ready = threading.Event()
        self.failed: str | None = None
        self._receiver = None
        self._thread: threading.Thread | None = None

    def on_event(self, event: dict) -> None:
        if not self.accept(event.get("hostname", "")):
            return
        with self.lock:
            self.state.event(event)
            self.events += 1
            if event.get("type", "").startswith("task-") and event.get("timestamp"):
                self.lags.append(time.time() - event["timestamp"])

    def start(self, seconds: float = bounds.BROKER_CONNECT_S + bounds.BROKER_SOCKET_S) -> bool:
        """Start reading events in a thread; True once its queue is bound (events sent before are lost:
        the celeryev topic exchange keeps nothing: each monitor binds a queue of its own)."""
        def run() -> None:
            try:
                with self.app.connection_for_read() as conn:
                    self._receiver = self.app.events.Receiver(conn, handlers={"*": self.on_event})
                    self._receiver.on_consume_ready = lambda *a, **k: self.ready.set()
                    self._receiver.capture(limit=None, timeout=None, wakeup=True)
            except Exception as exc:       # shown by the caller; the dashboard never crashes a lesson
                self.failed = f"{type(exc).__name__}: {exc}"
                self.ready.set()

        self._thread = threading.Thread(target=run, daemon=True, name="classroom-dashboard")
        self._thread.start()
        return self.ready.wait(seconds) and self.failed is None

    def stop(self) -> None:
        if self._receiver is not None:
            self._receiver.should_stop = True
        if self._thread is not None:
            self._thread.join(bounds.BROKER_SOCKET_S)

    # --- what it knows ---
    def snapshot(self, last: int = 8) -> dict:
        with self.lock:
            tasks = [task for _, task in self.state.tasks_by_time()]   # newest first
            workers = {}
            for name, worker in self.state.workers.items():
                mine = [task for task in tasks if task.worker is not None and task.worker.hostname == name]
                workers[name] = {"online": bool(worker.alive),
                                 "active": sum(task.state == "STARTED" for task in mine),
                                 "processed": sum(task.state in ("SUCCESS", "FAILURE") for task in mine)}
            by_state = Counter(task.state for task in tasks)
            recent = [{"id": task.uuid, "name": (task.name or "?").rsplit(".", 1)[-1], "state": task.state,
                       "runtime": task.runtime, "worker": task.worker.hostname if task.worker else ""}
                      for task in tasks[:last]]
            return {"workers": workers, "states": dict(by_state), "recent": recent, "events": self.events,
                    "lag_max_s": max(self.lags, default=0.0)}


def render(snap: dict, title: str = "") -> Group:
    """The dashboard as rich tables; fits 60 columns (ids shortened, names cut)."""
    workers = Table(title=title or t("dash.workers"), title_justify="left")
    for head in (t("dash.worker"), t("dash.online"), t("dash.active"), t("dash.processed")):
        workers.add_column(head, overflow="fold")
    for name, info in sorted(snap["workers"].items()):
        workers.add_row(name, "✓" if info["online"] else "·", str(info["active"]), str(info["processed"]))
    states = Text("  ".join(f"{state} {count}" for state, count in sorted(snap["states"].items())) or "-")
    recent = Table(title=t("dash.recent"), title_justify="left")
    for head in ("id", t("dash.task"), t("dash.state"), t("dash.runtime")):
        recent.add_column(head, no_wrap=True)
    for task in snap["recent"]:
        runtime = f"{task['runtime'] * 1000:.0f} ms" if task["runtime"] is not None else "-"
        recent.add_row(task["id"][:8], task["name"][:18], Text(task["state"], style=STATE_STYLE.get(task["state"], "")),
                       runtime)
    return Group(workers, Text(t("dash.states") + ": ", style="bold") + states, recent)


class LiveView:
    """Redraws the dashboard a few times a second on a terminal; in a pipe (or a recorded run) it only
    keeps the last snapshot, which the caller prints once."""

    def __init__(self, monitor: Monitor, title: str = "", refresh_s: float = 0.25) -> None:
        self.monitor, self.title, self.refresh_s = monitor, title, refresh_s
        self._live = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> "LiveView":
        from classroom import ui
        if ui.is_interactive():
            from rich.live import Live
            self._live = Live(render(self.monitor.snapshot(), self.title), console=ui.console,
                              auto_refresh=False, transient=True)
            self._live.start()
            self._thread = threading.Thread(target=self._loop, daemon=True, name="classroom-dashboard-view")
            self._thread.start()
        return self

    def _loop(self) -> None:
        while not self._stop.wait(self.refresh_s):
            self._live.update(render(self.monitor.snapshot(), self.title), refresh=True)

    def finish(self) -> dict:
        """Stop redrawing; the last snapshot."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(self.refresh_s * 4)
        if self._live is not None:
            self._live.stop()
            self._live = None
        return self.monitor.snapshot()

    def __exit__(self, *exc) -> None:
        self.finish()


def live(monitor: Monitor, title: str = "") -> LiveView:
    return LiveView(monitor, title)
