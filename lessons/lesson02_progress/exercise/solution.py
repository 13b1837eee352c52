"""Exercise 2 (lesson 2), reference solution: a long task that reports its progress with update_state.

Stretch: percent(task_id) turns the stored state and meta into 0..100.

Usage::

    python runner.py check 2 --solutions
"""
import time

from celery import Celery

app = Celery("ex02")
app.config_from_object("classroom.celeryconfig")


@app.task(bind=True)
def count_to(self, total, pause=0.1):
    """Counts to `total`, one number every `pause` seconds."""
    for current in range(1, total + 1):
        time.sleep(pause)
        self.update_state(state="PROGRESS", meta={"current": current, "total": total})
    return {"current": total, "total": total, "status": "done"}


@app.task(ignore_result=True)
def quiet():
    """Runs on the worker like any task, but asks it not to store a result."""
    return "done"


# Nothing is ever written for it, so the backend cannot tell it from a task not run yet.
QUIET_STATE = "PENDING"


def percent(task_id):
    """Stretch: how far the task with this id got, 0..100, from the result backend alone."""
    result = app.AsyncResult(task_id)
    if result.state == "SUCCESS":
        return 100
    if result.state == "PROGRESS" and isinstance(result.info, dict):
        return int(100 * result.info["current"] / result.info["total"])
    return 0
