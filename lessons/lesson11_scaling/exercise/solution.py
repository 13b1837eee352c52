"""Exercise 11 (lesson 11), reference solution: the right pool for the job.

Usage::

    python runner.py check 11 --solutions

Stretch: resize_image goes to "cpu" too.
"""
import os
import time

from celery import Celery

app = Celery("ex11")
app.config_from_object("classroom.celeryconfig")

# Waiting work to the threads worker, computing work to the prefork worker: by task name.
app.conf.task_routes = {
    f"{__name__}.fetch_page": {"queue": "io"},
    f"{__name__}.crunch": {"queue": "cpu"},
    f"{__name__}.resize_image": {"queue": "cpu"},
}


@app.task
def fetch_page(url):
    """Waits 0.2 s, as a slow web page would; returns the pid that ran it."""
    time.sleep(0.2)
    return os.getpid()


@app.task
def crunch(n):
    """Pure-Python arithmetic: needs a core the whole time."""
    return sum(i * i % 7 for i in range(n))


@app.task
def resize_image(size):
    """Stretch: computes too."""
    return sum(i % 3 for i in range(size))


# Eight threads wait side by side: one 0.2 s wait for all eight, plus a little overhead.
EIGHT_PAGES_S = 0.2
