"""Exercise 24 (classroom d), reference solution: two workers share the tasks; observe who ran what.

Usage::

    python runner.py check 24 --solutions --broker redis
"""
import time
from collections import Counter

from celery import Celery

app = Celery("ex24")
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


# One running + at most one reserved each: a burst of 8 is shared out, about 4 each.
EACH_WORKER_RUNS = 4


def live_workers():
    """Stretch: the sorted names of the workers that answer a ping."""
    replies = app.control.ping(timeout=1.0)          # [{"w1@host": {"ok": "pong"}}, ...]
    return sorted(name for reply in replies for name in reply)
