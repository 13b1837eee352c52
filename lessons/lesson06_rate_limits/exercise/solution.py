"""Exercise 6 (lesson 6), reference solution: a rate limit on one task, on each worker.

Usage::

    python runner.py check 6 --solutions

Stretch: bulk_api, limited to 10/s by task_annotations.
"""
import time

from celery import Celery

app = Celery("ex06")
app.config_from_object("classroom.celeryconfig")
# Stretch: a limit from configuration, keyed by the task's name.
app.conf.task_annotations = {f"{__name__}.bulk_api": {"rate_limit": "10/s"}}


@app.task(rate_limit="5/s")
def call_api(i):
    """Pretend to call the API; returns the moment it ran (time.time())."""
    return time.time()


@app.task
def health(i):
    """Not rate limited: returns the moment it ran."""
    return time.time()


# The first starts at once, then one every 0.2 s: nine gaps of 0.2 s.
TEN_SPAN_S = 1.8


@app.task
def bulk_api(i):
    """Stretch: limited to 10/s by task_annotations; returns the moment it ran."""
    return time.time()
