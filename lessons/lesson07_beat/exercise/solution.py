"""Exercise 7 (lesson 7), reference solution: a beat schedule.

Usage::

    python runner.py check 7 --solutions
"""
import time
from datetime import timedelta

from celery import Celery
from celery.schedules import crontab

app = Celery("ex07")
app.config_from_object("classroom.celeryconfig")


@app.task
def heartbeat():
    return time.time()


@app.task
def daily_report():
    return "report sent"


app.conf.beat_schedule = {
    "heartbeat": {"task": heartbeat.name, "schedule": 0.3},
    "daily-report": {"task": daily_report.name, "schedule": crontab(hour=7, minute=30)},
}

# The first heartbeat is due 0.3 s after beat starts (not at once): 0.3, 0.6, 0.9, 1.2 s.
HEARTBEATS_IN_1_4_S = 4


def next_report(after):
    """Stretch: when daily-report is next due, strictly after the UTC datetime `after`."""
    due = after.replace(hour=7, minute=30, second=0, microsecond=0)
    return due if due > after else due + timedelta(days=1)
