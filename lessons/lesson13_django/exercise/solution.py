"""Exercise 13 (lesson 13), reference solution: send a task from web code, the safe way.

Usage::

    python runner.py check 13 --solutions
"""
import time

from celery import Celery
from celery.utils import uuid
from django.db import transaction

app = Celery("ex13")
app.config_from_object("classroom.celeryconfig")


@app.task
def build_report(report_id):
    time.sleep(0.05)                     # the slow part
    return {"report": report_id}


def start_build(report):
    """A view calls this inside transaction.atomic(), with a Report model instance (it has .id)."""
    report_id = report.id                # an id: JSON, and the worker reads the committed row
    transaction.on_commit(lambda: build_report.delay(report_id))


# delay(1) was sent at once and runs; the on_commit callback was dropped with the rollback.
RUNS_AFTER_ROLLBACK = 1


def start_tracked(report):
    """Stretch: the id is chosen now; the message goes out at commit with that id."""
    task_id = uuid()
    report_id = report.id
    transaction.on_commit(lambda: build_report.apply_async((report_id,), task_id=task_id))
    return task_id
