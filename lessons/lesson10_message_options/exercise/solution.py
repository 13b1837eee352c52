"""Exercise 10 (lesson 10), reference solution: priority numbers that work on your broker.

Usage::

    python runner.py check 10 --solution --broker redis
    python runner.py check 10 --solution --broker rabbitmq

Stretch: alert carries the urgent priority itself (a task attribute, used when the caller gives none).
"""
import time

from celery import Celery
from kombu import Queue

app = Celery("ex10")
app.config_from_object("classroom.celeryconfig")
app.conf.task_default_queue = "jobs"

# x-max-priority=10: RabbitMQ keeps the queue sorted by priority (0-10). Redis ignores it.
app.conf.task_queues = [Queue("jobs", routing_key="jobs", max_priority=10, auto_delete=True)]


def priorities():
    """The priority numbers for urgent, normal and bulk jobs on this app's broker."""
    if app.conf.broker_url.startswith(("redis://", "rediss://")):
        return {"urgent": 0, "normal": 5, "bulk": 9}       # Redis serves 0 first
    return {"urgent": 10, "normal": 5, "bulk": 0}          # RabbitMQ serves the highest first


URGENT = priorities()["urgent"]


@app.task
def busy(seconds):
    """The checker keeps the one worker process busy with this, so that jobs queue up behind it."""
    time.sleep(seconds)


@app.task
def job(label):
    return label


@app.task(priority=URGENT)
def alert(label):
    return label


# No priority counts as 0 on both: first on Redis, last on RabbitMQ.
NO_PRIORITY_VS_5 = {"redis": "before", "rabbitmq": "after"}
