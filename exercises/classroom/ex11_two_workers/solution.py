"""Exercise 11 (classroom d), reference solution: two workers share the tasks; observe who ran what.

Usage::

    python runner.py check 11 --solutions --broker redis
"""
import time
from collections import Counter

from celery import Celery

app = Celery("ex11")
app.config_from_object("classroom.celeryconfig")


@app.task(bind=True)
def work(self, i):
    """Takes a moment, so that one worker cannot take every task; says who ran it."""
    time.sleep(0.1)
    return {"i": i, "worker": self.request.hostname}


def distribute(n):
    """Send work(0) .. work(n-1) at once, wait for them (at most 5 s each), count the tasks per worker."""
    results = [work.delay(i) for i in range(n)]          # all sent before the first wait
    return dict(Counter(result.get(timeout=5)["worker"] for result in results))
