"""Lesson 17: secure and survive the broker.

Usage::

    # terminal 1, from the repository root: a worker (Redis on 127.0.0.1:6379 by default)
    celery -A lessons.lesson17_secure.tasks worker -l info

    # terminal 2: send a task and wait (at most 10 s) for its result
    python -c "from lessons.lesson17_secure.tasks import add; print(add.delay(2, 3).get(timeout=10))"

The lesson points the same app at its own redis-server (TLS, or one it stops and starts again)
through CLASSROOM_BROKER_URL; in your own project: Celery("proj", broker="rediss://...").
"""
import time

from celery import Celery

app = Celery("lesson17")
app.config_from_object("classroom.celeryconfig")


@app.task
def add(x, y):
    return x + y


@app.task(acks_late=True)
def slow(seconds):
    """Runs for a while: long enough for the broker to go away under it. acks_late: the message is
    acknowledged only when the task returns."""
    time.sleep(seconds)
    return seconds


@app.task
def note(path, text, seconds=0):
    """Sleeps, appends `text` to a file and returns it: the file says that the task ran to its end,
    whatever becomes of its result."""
    time.sleep(seconds)
    with open(path, "a", encoding="utf-8") as f:
        f.write(text + "\n")
    return text
