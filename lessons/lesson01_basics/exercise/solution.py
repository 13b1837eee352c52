"""Exercise 1 (lesson 1), reference solution: a result, a countdown and a state looked up by id.

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
