"""Exercise 1 (lesson 1), reference solution: a result, a countdown and a state looked up by id.

Stretch: result_of(task_id, timeout=5) returns a task's value from its id alone.

Usage::

    # check it on a real worker (from the repository root)
    python runner.py check 1 --solutions
"""
from celery import Celery

app = Celery("ex01")
app.config_from_object("classroom.celeryconfig")


@app.task
def add(x, y):
    return x + y


def send_later(x, y):
    """Send add(x, y) so that a worker runs it half a second from now; return the AsyncResult."""
    return add.apply_async((x, y), countdown=0.5)


def state_of(task_id):
    """The state of the task with this id (PENDING, STARTED, SUCCESS, FAILURE), from the id alone."""
    return app.AsyncResult(task_id).state


# Celery cannot tell "never sent" from "waiting": an id it knows nothing about is PENDING.
UNKNOWN_STATE = "PENDING"


def result_of(task_id, timeout=5):
    """Stretch: the value of the task with this id, waiting at most `timeout` seconds."""
    return app.AsyncResult(task_id).get(timeout=timeout)
