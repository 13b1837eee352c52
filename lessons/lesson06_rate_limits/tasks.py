"""Lesson 6: rate limits.

Usage::

    # terminal 1, from the repository root: a worker (Redis on 127.0.0.1:6379 by default)
    celery -A lessons.lesson06_rate_limits.tasks worker -l info -Q celery,shared

    # terminal 2: send a burst of 10; the worker starts at most 5 of them per second
    python -c "from lessons.lesson06_rate_limits.tasks import limited; [limited.delay(i) for i in range(10)]"

    # terminal 2: change the limit on every running worker, without a restart
    celery -A lessons.lesson06_rate_limits.tasks control rate_limit lessons.lesson06_rate_limits.tasks.limited 10/s
"""
import time

from celery import Celery

app = Celery("lesson06")
app.config_from_object("classroom.celeryconfig")

# A limit set from configuration, without touching the task's code: task_annotations maps a task
# name (or "*" for every task) to attributes to set on it. "4/s": at most 4 starts a second.
app.conf.task_annotations = {
    "lessons.lesson06_rate_limits.tasks.annotated": {"rate_limit": "4/s"},
}


@app.task
def unlimited(n):
    """No limit: a burst starts as fast as the worker's processes are free."""
    time.sleep(0.05)
    return n


@app.task(rate_limit="5/s")
def limited(n):
    """At most 5 starts a second on each worker ("10/m" would be 10 a minute, "100/h" 100 an hour)."""
    time.sleep(0.05)
    return n


@app.task
def annotated(n):
    """No limit in the code: task_annotations above gives it one."""
    time.sleep(0.05)
    return n
