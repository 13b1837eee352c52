"""Lesson 10: message options: priority, expires, callbacks and order.

Usage::

    # terminal 1, from the repository root: one process, one message at a time (-c 1)
    celery -A lessons.lesson10_message_options.tasks worker -l info \
        -Q prioritized,in_order -c 1 -n single@%h

    # terminal 2: the default queue (lesson10), two processes
    celery -A lessons.lesson10_message_options.tasks worker -l info \
        -Q lesson10 -c 2 -n worker1@%h

    # terminal 3: a task that expires before the busy worker can take it
    python -c "from lessons.lesson10_message_options.tasks import busy, ping; \
busy.apply_async((1,), queue='in_order'); ping.apply_async(queue='in_order', expires=0.3)"

Priorities on Redis also need the [celery] settings of lesson.toml (priority_steps): run
`eval "$(python runner.py env 10)"` in each terminal first.
"""
import os
import time
from pathlib import Path

from celery import Celery, Task
from celery.utils.log import get_task_logger
from kombu import Queue

app = Celery("lesson10")
app.config_from_object("classroom.celeryconfig")
logger = get_task_logger(__name__)

# This lesson's own queues, not the shared "celery": a RabbitMQ vhost is shared by every run on it.
app.conf.task_default_queue = "lesson10"
app.conf.task_queues = [
    Queue("lesson10", routing_key="lesson10", auto_delete=True),
    # RabbitMQ orders a queue by priority only if it is declared with x-max-priority (0..10 here).
    # Redis ignores this argument: there, priority_steps in lesson.toml [celery] does the work.
    # auto_delete: the queue goes away with its last consumer, so a run leaves nothing behind.
    Queue("prioritized", routing_key="prioritized", max_priority=10, auto_delete=True),
    Queue("in_order", routing_key="in_order", auto_delete=True),
]


@app.task
def busy(seconds):
    """Keeps a worker process busy, so that the messages behind it wait in the queue."""
    time.sleep(seconds)
    return seconds


@app.task
def job(label):
    """One unit of work: returns its label (the order of their task-started events is the order)."""
    return label


@app.task
def ping():
    return "pong"


# --- callbacks ---------------------------------------------------------------------------------

class Audited(Task):
    """on_success is a method of the task: it runs in the same worker process, right after it."""

    def on_success(self, retval, task_id, args, kwargs):
        logger.info("on_success of %s in pid %s", task_id, os.getpid())


@app.task(base=Audited)
def place_order(order_id):
    if order_id.startswith("BAD"):
        raise ValueError(f"order {order_id} is invalid (pid {os.getpid()})")
    return {"order": order_id, "pid": os.getpid()}


@app.task
def send_receipt(order):
    """A link (success callback): a new task that receives the parent's return value."""
    return f"receipt for {order['order']}, sent from pid {os.getpid()}"


@app.task
def alert(request, exc, traceback):
    """A link_error with (request, exc, traceback): called inside the failed task's worker process."""
    logger.error("alert: %s failed with %r, handled in pid %s", request.id, exc, os.getpid())


# --- order ---------------------------------------------------------------------------------------

def _append(journal, label):
    with open(journal, "a", encoding="utf-8") as fh:
        fh.write(f"{label}\n")


@app.task(bind=True, max_retries=1)
def write(self, journal, label, seconds=0.02, fail_first=False):
    """Appends `label` to the journal: the journal's lines are the order the work really happened."""
    if fail_first and self.request.retries == 0:
        raise self.retry(exc=ConnectionError("database busy"), countdown=0.1)
    time.sleep(seconds)
    _append(journal, label)
    return label


@app.task(bind=True, max_retries=50)
def apply_in_sequence(self, journal, seq):
    """A sequence number checked by the task: number `seq` waits (retries) until seq - 1 is applied."""
    applied = len(Path(journal).read_text(encoding="utf-8").split())
    if seq != applied + 1:
        raise self.retry(countdown=0.05)
    _append(journal, seq)
    return seq
