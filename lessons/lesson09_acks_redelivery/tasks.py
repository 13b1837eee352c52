"""Lesson 9: when a worker dies: acknowledgements and redelivery.

Usage::

    # terminal 1, from the repository root: a worker (Redis on 127.0.0.1:6379 by default)
    celery -A lessons.lesson09_acks_redelivery.tasks worker -l info -c 2

    # terminal 2: a long task, then kill -9 the worker in terminal 1 while it runs
    python -c "from lessons.lesson09_acks_redelivery.tasks import late_ack; late_ack.delay('/tmp/runs.db', 30)"

Every task here records each run it starts in a small SQLite file (the path is its first argument),
so that the lesson can count runs across worker processes, even runs that a kill cut short.
"""
import os
import sqlite3
import time

from celery import Celery
from kombu import Queue

app = Celery("lesson09")
app.config_from_object("classroom.celeryconfig")
# "celery" is the shared default queue. The lesson's own queues go away with their last consumer
# (auto_delete), so a RabbitMQ run leaves none behind; no worker consuming them is ever killed.
app.conf.task_queues = [Queue("celery"), Queue("standby", auto_delete=True),
                        Queue("hoard4", auto_delete=True), Queue("hoard1", auto_delete=True),
                        # RabbitMQ's consumer_timeout step: the message of a worker that exits stays in its
                        # queue (auto_delete would drop both); the queue goes 5 s after its last consumer.
                        Queue("strict", expires=5), Queue("retrying", expires=5)]


def record_run(task, path):
    """One row per run that starts: which worker process, and whether the broker said 'redelivered'."""
    with sqlite3.connect(path, timeout=5) as db:
        db.execute("CREATE TABLE IF NOT EXISTS runs (task_id TEXT, host TEXT, pid INTEGER,"
                   " redelivered INTEGER, started REAL)")
        db.execute("INSERT INTO runs VALUES (?, ?, ?, ?, ?)",
                   (task.request.id, task.request.hostname, os.getpid(),
                    int(bool(task.request.delivery_info.get("redelivered"))), time.time()))


def runs(path, result=None, table="runs"):
    """The rows of the run log (each run a task started), of one task or all: a killed run counts too."""
    try:
        with sqlite3.connect(path, timeout=5) as db:
            db.row_factory = sqlite3.Row
            rows = db.execute(f"SELECT * FROM {table}").fetchall()        # noqa: S608 - our own table names
    except sqlite3.OperationalError:                                         # no run has created it yet
        return []
    return [dict(r) for r in rows if result is None or r["task_id"] == result.id]


@app.task(bind=True)
def early_ack(self, path, seconds):
    """Early ack (the default): the message is acknowledged as the task starts."""
    record_run(self, path)
    time.sleep(seconds)
    return seconds


@app.task(bind=True, acks_late=True, reject_on_worker_lost=True)
def late_ack(self, path, seconds):
    """Late ack: acknowledged when the task returns. A lost pool process puts it back (reject)."""
    record_run(self, path)
    time.sleep(seconds)
    return seconds


@app.task(bind=True)
def later(self, path):
    """A task sent with a countdown: the worker holds it, unacknowledged, until it is due."""
    record_run(self, path)
    return time.time()


@app.task(bind=True, acks_late=True, reject_on_worker_lost=True)
def pay(self, path, order, amount):
    """Not idempotent: every run that gets this far adds a payment, a redelivered one too."""
    record_run(self, path)
    with sqlite3.connect(path, timeout=5) as db:
        db.execute("CREATE TABLE IF NOT EXISTS ledger (payment TEXT, amount INTEGER)")
        db.execute("INSERT INTO ledger VALUES (?, ?)", (order, amount))
    time.sleep(2.0)                   # the rest of the work: a kill here loses the ack, not the payment
    return order


@app.task(bind=True, acks_late=True, reject_on_worker_lost=True)
def pay_once(self, path, order, amount):
    """Idempotent: the payment is keyed by the order, and the database keeps one row per key."""
    record_run(self, path)
    with sqlite3.connect(path, timeout=5) as db:
        db.execute("CREATE TABLE IF NOT EXISTS paid (payment TEXT PRIMARY KEY, amount INTEGER)")
        db.execute("INSERT OR IGNORE INTO paid VALUES (?, ?)", (order, amount))
    time.sleep(2.0)
    return order


@app.task
def work(seconds):
    """Plain work for the prefetch steps: sleeps, returns how long."""
    time.sleep(seconds)
    return seconds
