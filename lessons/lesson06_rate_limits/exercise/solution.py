"""Exercise 6 (lesson 6), reference solution: a rate limit on one task, on each worker.

Usage::

    python runner.py check 6 --solutions
"""
import time

from celery import Celery

app = Celery("ex06")
app.config_from_object("classroom.celeryconfig")


@app.task(rate_limit="5/s")
def call_api(i):
    """Pretend to call the API; returns the moment it ran (time.time())."""
    return time.time()


@app.task
def health(i):
    """Not rate limited: returns the moment it ran."""
    return time.time()
