"""Exercise 7 (lesson 7), reference solution: a beat schedule.

Usage::

    python runner.py check 7 --solutions
"""
import time

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
