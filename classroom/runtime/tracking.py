"""What really happened to each task: when it was sent, which worker ran it, when it started and ended.

Sent: the ``after_task_publish`` signal in this process. Ran: Celery *events* from the workers
(``worker_send_task_events``), received here with ``app.events.Receiver``: the same stream that
``celery events`` and Flower show. The timeline is drawn from these records only.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from celery.signals import after_task_publish

# A worker stores a result (which may send the next task of a chain or chord) and frees its process a
# moment *before* it emits the task's "succeeded" event, so event times can show the next task starting
# a few ms "early". Comparisons of event times allow this much slack.
EVENT_SLACK_S = 0.05


@dataclass
class TaskRecord:
    id: str
    name: str = ""
    queue: str = ""
    sent: float | None = None
    hostname: str = ""
    pid: int | None = None
    received: float | None = None
    started: float | None = None
    ended: float | None = None
    state: str = "PENDING"
    retries: int = 0
    attempts: list = field(default_factory=list)  # (start, end, state) for each try


FINAL = ("SUCCESS", "FAILURE", "REJECTED", "REVOKED")


class Tracker:
    def __init__(self) -> None:
        self.tasks: dict[str, TaskRecord] = {}
        self.lock = threading.Lock()
        self._receiver = None
        self._thread: threading.Thread | None = None
        self.events_ok = False

    def record(self, task_id: str) -> TaskRecord:
        with self.lock:
            return self.tasks.setdefault(task_id, TaskRecord(task_id))

    # --- sent ---
    def on_publish(self, sender=None, headers=None, routing_key=None, **_kw) -> None:
        if not headers or "id" not in headers:
            return
        rec = self.record(headers["id"])
        rec.name = headers.get("task") or sender or rec.name
        rec.queue = routing_key or rec.queue
        rec.sent = rec.sent or time.time()

    # --- ran (events) ---
    def on_event(self, event: dict) -> None:
        kind = event.get("type", "")
        if not kind.startswith("task-") or "uuid" not in event:
            return
        rec = self.record(event["uuid"])
        ts = event.get("timestamp") or time.time()
        if kind == "task-received":
            rec.received = ts
            rec.name = event.get("name") or rec.name
            rec.hostname = event.get("hostname", rec.hostname)
            rec.state = "RECEIVED"
        elif kind == "task-started":
            rec.started = ts
            rec.pid = event.get("pid", rec.pid)
            rec.hostname = event.get("hostname", rec.hostname)
            rec.state = "STARTED"
            rec.attempts.append([ts, None, "STARTED"])
        elif kind in ("task-succeeded", "task-failed", "task-retried", "task-rejected", "task-revoked"):
            rec.ended = ts
            rec.state = {"task-succeeded": "SUCCESS", "task-failed": "FAILURE", "task-retried": "RETRY",
                         "task-rejected": "REJECTED", "task-revoked": "REVOKED"}[kind]
            rec.hostname = event.get("hostname", rec.hostname) or rec.hostname
            if kind == "task-retried":
                rec.retries += 1
            if rec.attempts and rec.attempts[-1][1] is None:
                rec.attempts[-1][1] = ts
                rec.attempts[-1][2] = rec.state

    def start(self, app) -> None:
        after_task_publish.connect(self.on_publish, weak=False)
        ready = threading.Event()

        def run() -> None:
            try:
                with app.connection() as conn:
                    self._receiver = app.events.Receiver(conn, handlers={"*": self.on_event})
                    # Ready once its queue is bound: events sent before that are lost (fanout).
                    self._receiver.on_consume_ready = lambda *a, **k: (setattr(self, "events_ok", True), ready.set())
                    self._receiver.capture(limit=None, timeout=None, wakeup=False)
            except Exception:  # the timeline is extra: a lost event stream must never fail a lesson
                self.events_ok = False
                ready.set()

        self._thread = threading.Thread(target=run, daemon=True, name="classroom-events")
        self._thread.start()
        ready.wait(3)

    def settle(self, ids, seconds: float = 1.0) -> None:
        """Wait (bounded) until the events of `ids` have arrived; they trail the results slightly.
        A retried task has not ended until its last attempt has (state RETRY or STARTED again)."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            with self.lock:
                if all(self.tasks.get(i) and self.tasks[i].state in FINAL for i in ids):
                    return
            time.sleep(0.02)

    def stop(self) -> None:
        after_task_publish.disconnect(self.on_publish)
        if self._receiver is not None:
            self._receiver.should_stop = True


tracker = Tracker()
