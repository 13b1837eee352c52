"""Lesson 4: canvas, building workflows out of tasks.

Usage::

    # terminal 1, from the repository root: a worker with 4 processes (Redis on 127.0.0.1:6379)
    celery -A lessons.lesson04_canvas.tasks worker -c 4 -l info

    # terminal 2: a chord, 1² + 2² + 3² + 4², waiting at most 10 s
    python -c "from celery import chord; from lessons.lesson04_canvas.tasks import square, xsum; \
print(chord(square.s(i) for i in range(1, 5))(xsum.s()).get(timeout=10))"
"""
import math
import time

from celery import Celery

app = Celery("lesson04")
app.config_from_object("classroom.celeryconfig")


@app.task
def add(x, y):
    return x + y


@app.task
def sub(x, y):
    """Not symmetric, so you can see where a partial signature puts its arguments."""
    return x - y


@app.task
def mul(x, y):
    return x * y


@app.task
def square(x, seconds=0.0):
    time.sleep(seconds)
    return x * x


@app.task
def root(x):
    """root(-1) raises ValueError (math domain error): used to break a chord."""
    return math.sqrt(x)


@app.task
def xsum(numbers):
    """A chord callback: called once, with the list of all the header's results."""
    return sum(numbers)


# The original tutorial's workflow: process and validate each batch, then combine, then notify.
@app.task
def process_data(batch, seconds=0.2):
    time.sleep(seconds)
    return {"batch": batch, "rows": 100 * (int(batch.rsplit("_", 1)[1]) + 1)}


@app.task
def validate_data(data, seconds=0.1):
    time.sleep(seconds)
    return {**data, "valid": data["rows"] > 0}


@app.task
def combine_results(results):
    return {"batches": [r["batch"] for r in results], "rows": sum(r["rows"] for r in results),
            "valid": all(r["valid"] for r in results)}


@app.task
def send_notification(summary):
    return f"report ready: {summary['rows']} rows from {len(summary['batches'])} batches"
