"""Task runs as the workers' events report them: who ran what, when, and how runs relate in time.

Built from the session's tracker (``after_task_publish`` here, Celery events from the workers): the same
stream ``celery events`` and Flower show. Lessons compare these numbers; they never read the tracker.
"""
from __future__ import annotations

from dataclasses import dataclass

from classroom.runtime.tracking import EVENT_SLACK_S, TaskRecord


def short(hostname: str) -> str:
    """worker1@lesson3-ab12 -> worker1: the name the lesson gave the worker."""
    return (hostname or "").split("@", 1)[0]


@dataclass(frozen=True)
class TaskRun:
    """One task: its id, short task name, worker (short name) and host (full), pool process, queue,
    event times (epoch seconds: sent, received, started, ended), final state and each attempt."""
    id: str
    name: str
    worker: str
    host: str
    pid: int | None
    queue: str
    sent: float | None
    received: float | None
    started: float | None
    ended: float | None
    state: str
    retries: int
    attempts: tuple

    @classmethod
    def of(cls, rec: TaskRecord) -> "TaskRun":
        return cls(rec.id, rec.name.rsplit(".", 1)[-1], short(rec.hostname), rec.hostname, rec.pid, rec.queue,
                   rec.sent, rec.received, rec.started, rec.ended, rec.state, rec.retries,
                   tuple(tuple(a) for a in rec.attempts))

    @property
    def seconds(self) -> float | None:
        """How long it ran: start to end of its last attempt."""
        return self.ended - self.started if self.started and self.ended and self.ended >= self.started else None


class TaskRuns(list):
    """A list of TaskRun (in the order asked for, or by start) with the comparisons lessons make."""

    def ran(self) -> "TaskRuns":
        """Only those a worker started."""
        return TaskRuns(r for r in self if r.started)

    def by_start(self) -> "TaskRuns":
        return TaskRuns(sorted(self.ran(), key=lambda r: r.started))

    def named(self, *names: str) -> "TaskRuns":
        return TaskRuns(r for r in self if r.name in names)

    def on(self, worker: str) -> "TaskRuns":
        return TaskRuns(r for r in self if r.worker == short(worker))

    def in_queue(self, queue: str) -> "TaskRuns":
        return TaskRuns(r for r in self if r.queue == queue)

    def by_worker(self) -> dict[str, "TaskRuns"]:
        """Short worker name -> its runs, by start."""
        found: dict[str, TaskRuns] = {}
        for run in self.by_start():
            found.setdefault(run.worker, TaskRuns()).append(run)
        return dict(sorted(found.items()))

    def count_by_worker(self) -> dict[str, int]:
        return {name: len(runs) for name, runs in self.by_worker().items()}

    def workers(self) -> list[str]:
        return sorted({r.worker for r in self if r.worker})

    def spans(self) -> list[tuple[float, float]]:
        """(started, ended) of each finished run, by start."""
        return [(r.started, r.ended) for r in self.by_start() if r.ended]

    def starts(self) -> list[float]:
        return [r.started for r in self.by_start()]

    def gaps(self) -> list[float]:
        """Seconds from each start to the next (rounded to ms)."""
        starts = self.starts()
        return [round(b - a, 3) for a, b in zip(starts, starts[1:])]

    def overlaps(self) -> int:
        """How many runs overlapped another in time (beyond the events' slack): parallel work."""
        spans = self.spans()
        return sum(any(a < d - EVENT_SLACK_S and c < b - EVENT_SLACK_S for j, (c, d) in enumerate(spans) if j != i)
                   for i, (a, b) in enumerate(spans))

    def one_after_another(self) -> bool:
        """Each run started after the previous one ended (allowing the events' slack)."""
        spans = self.spans()
        return all(nxt[0] >= cur[1] - EVENT_SLACK_S for cur, nxt in zip(spans, spans[1:]))

    def span(self) -> float:
        """Seconds from the first start to the last end."""
        spans = self.spans()
        return round(max(e for _, e in spans) - min(s for s, _ in spans), 3) if spans else 0.0
