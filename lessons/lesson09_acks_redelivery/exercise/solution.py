"""Exercise 9 (lesson 9), reference solution: a task that is safe to redeliver.

Usage::

    python runner.py check 9 --solutions --broker redis

Stretch: refund, idempotent the same way.
"""
import sqlite3
import time

from celery import Celery

app = Celery("ex09")
app.config_from_object("classroom.celeryconfig")


def book(path, order, amount):
    """Write the payment of `amount` for `order` to the SQLite ledger at `path`."""
    with sqlite3.connect(path, timeout=5) as db:
        # One row per order: the PRIMARY KEY refuses a second one, INSERT OR IGNORE skips it.
        db.execute("CREATE TABLE IF NOT EXISTS ledger (payment TEXT PRIMARY KEY, amount INTEGER)")
        db.execute("INSERT OR IGNORE INTO ledger VALUES (?, ?)", (order, amount))


# Late ack, and the message back in the queue when the pool process is lost.
@app.task(bind=True, acks_late=True, reject_on_worker_lost=True)
def charge(self, path, order, amount, seconds=0.0):
    """Book `amount` for `order` in the ledger, then do the rest of the work."""
    book(path, order, amount)
    time.sleep(seconds)
    return order

# The run that was killed, then the redelivered one that finished.
RUNS_AFTER_ONE_KILL = 2


@app.task(bind=True, acks_late=True, reject_on_worker_lost=True)
def refund(self, path, order):
    """Stretch: one refund per order, however often it is delivered."""
    with sqlite3.connect(path, timeout=5) as db:
        db.execute("CREATE TABLE IF NOT EXISTS refunds (payment TEXT PRIMARY KEY)")
        db.execute("INSERT OR IGNORE INTO refunds VALUES (?)", (order,))
    return order
