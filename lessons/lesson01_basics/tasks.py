"""Lesson 1: basic tasks.

Usage::

    # terminal 1, from the repository root: a worker (Redis on 127.0.0.1:6379 by default)
    celery -A lessons.lesson01_basics.tasks worker -l info

    # terminal 2, from the repository root: send a task and wait (at most 10 s) for its result
    python -c "from lessons.lesson01_basics.tasks import add; print(add.delay(2, 3).get(timeout=10))"
"""
import time

from celery import Celery

# The app: its name, and where its settings come from. The broker and result backend are read
# from the environment there (CLASSROOM_BROKER_URL); in your own project you would write e.g.
# Celery("proj", broker="redis://127.0.0.1:6379/0", backend="redis://127.0.0.1:6379/0").
app = Celery("lesson01")
app.config_from_object("classroom.celeryconfig")


@app.task
def add(x, y):
    return x + y


@app.task
def multiply(x, y):
    return x * y


@app.task
def slow_add(x, y, seconds=0.3):
    """Takes a while, so that you can see the task STARTED before it is a SUCCESS."""
    time.sleep(seconds)
    return x + y


@app.task
def divide(x, y):
    """divide(1, 0) raises ZeroDivisionError on the worker: the task ends in FAILURE."""
    return x / y


@app.task(bind=True)
def whoami(self):
    """bind=True gives the task `self`: self.request says how and where it is running."""
    if self.request.called_directly:
        return "called directly: no message, no worker"
    return f"run by a worker for task {self.request.id[:8]}"
