"""Task runs for an exercise's checker: what the workers' events say about one task.

    from classroom.lessonkit import task_run
    run = task_run(result)            # TaskRun: .worker (short name), .queue, .state, .attempts ...

A scenario has ``run.task(result)``; a checker (exercise/check.py) has no Run, so it asks here.
"""
from __future__ import annotations

from classroom.lessonkit.taskruns import TaskRun
from classroom.runtime.tracking import TaskRecord, tracker


def task_run(result, settle_s: float = 1.0) -> TaskRun:
    """The run of `result` (an AsyncResult or an id) as the workers' events report it, waiting up to
    `settle_s` seconds for its final event (a task still running comes back as it is now)."""
    task_id = getattr(result, "id", result)
    tracker.settle([task_id], settle_s)
    with tracker.lock:
        return TaskRun.of(tracker.tasks.get(task_id) or TaskRecord(task_id))
