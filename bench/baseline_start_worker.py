"""Baseline: lesson 1's calls in a minimal hand-written script with Celery's own `start_worker` helper.

    python bench/baseline_start_worker.py [memory|redis://...]
"""
import sys
import time

from celery import Celery
from celery.contrib.testing.worker import start_worker

url = sys.argv[1] if len(sys.argv) > 1 else "memory"
if url == "memory":
    app = Celery("baseline", broker="memory://", backend="cache+memory://")
    app.conf.broker_transport_options = {"polling_interval": 0.02}
else:
    app = Celery("baseline", broker=url, backend=url)
app.conf.task_track_started = True


@app.task
def add(x, y):
    return x + y


@app.task
def slow_add(x, y, seconds=0.3):
    time.sleep(seconds)
    return x + y


@app.task
def divide(x, y):
    return x / y


app.loader.import_module("celery.contrib.testing.tasks")  # start_worker pings with this task
with start_worker(app, pool="threads" if url == "memory" else "solo", perform_ping_check=True):
    assert add.delay(2, 3).get(timeout=5, interval=0.02) == 5
    started = time.monotonic()
    assert add.apply_async((6, 7), countdown=0.5).get(timeout=5, interval=0.02) == 13
    assert time.monotonic() - started >= 0.5
    assert slow_add.delay(1, 2).get(timeout=5, interval=0.02) == 3
    result = add.delay(20, 22)
    assert app.AsyncResult(result.id).get(timeout=5, interval=0.02) == 42
    try:
        divide.delay(1, 0).get(timeout=5, interval=0.02)
    except ZeroDivisionError:
        pass
