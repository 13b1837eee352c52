"""Lesson 12: under the hood and tuning.

Usage::

    # terminal 1, from the repository root: a worker for the lesson's queue (Redis on 127.0.0.1:6379)
    celery -A lessons.lesson12_under_the_hood.tasks worker -l info -Q lesson12

    # terminal 2: one task to a queue nobody consumes, then read the message as the broker holds it
    python -c "from lessons.lesson12_under_the_hood.tasks import add; add.apply_async((2, 3), queue='wire')"
    redis-cli lrange wire 0 -1
"""
import time

from celery import Celery
from kombu import Queue

app = Celery("lesson12")
app.config_from_object("classroom.celeryconfig")

# The lesson's queues. auto_delete: RabbitMQ drops the queue when its last consumer (the worker) goes,
# so a run leaves no queue behind (on Redis an empty list is no key at all). "wire" and "idle" have
# no consumer: steps 1 and 2 leave messages there to look at, then delete the queue themselves.
app.conf.task_default_queue = "lesson12"
app.conf.task_queues = [Queue("lesson12", auto_delete=True), Queue("fast", auto_delete=True),
                        Queue("wire"), Queue("idle")]


@app.task
def add(x, y):
    """The task whose message step 1 reads on the wire."""
    return x + y


@app.task(ignore_result=True)
def noop(i=0):
    """The benchmark's unit of work: nothing, so what is measured is the cost of the message itself."""


@app.task
def noop_result(i=0):
    """The same, with a result stored in the backend (and sent back to whoever calls get())."""
    return i


@app.task
def mark():
    """Sent after a burst of noop tasks: when its result arrives, the burst before it has run."""
    return time.time()


@app.task(acks_late=True)
def hold(seconds):
    """acks_late: its message stays unacknowledged until it ends (step 2 looks at it meanwhile)."""
    time.sleep(seconds)
    return seconds
