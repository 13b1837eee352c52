"""The code under test: a tiny shop with Celery tasks and a function that stands for a web view.

The tasks are @shared_task: they belong to whichever app is current, so the tests' celery_app
fixture (a fresh test app per test) and a production app both find them.
"""
import sqlite3
import threading
import time

from celery import shared_task

DB_PATH = "shop.sqlite3"          # the tests point this at a temporary file
_local = threading.local()        # one connection per thread, as Django keeps them


def connection():
    """This thread's database connection (opened on first use)."""
    conn = getattr(_local, "conn", None)
    if conn is None or getattr(_local, "path", None) != DB_PATH:
        conn = _local.conn = sqlite3.connect(DB_PATH, timeout=1)
        _local.path = DB_PATH
        conn.execute("CREATE TABLE IF NOT EXISTS orders (id INTEGER PRIMARY KEY, item TEXT)")
        conn.commit()
    return conn


@shared_task
def add(x, y):
    return x + y


@shared_task
def count_tags(tags):
    return len(tags)


@shared_task
def unique_tags(tags):
    return set(tags)                  # a set: fine in Python, not in JSON


@shared_task
def price(item_id):
    return item_id * 10


@shared_task
def total(prices):
    return sum(prices)


@shared_task(bind=True, max_retries=3)
def charge(self, order_id):
    """The payment service is down on the first attempt: retry in 2 seconds."""
    if self.request.retries == 0:
        raise self.retry(exc=ConnectionError("payment service down"), countdown=2)
    return f"charged order {order_id}"


@shared_task
def send_receipt(order_id):
    """Reads the order with this thread's own connection, as a worker would."""
    row = connection().execute("SELECT item FROM orders WHERE id = ?", (order_id,)).fetchone()
    if row is None:
        raise LookupError(f"order {order_id} not found")
    return f"receipt for {row[0]}"


def place_order(item):
    """Stands for a view: save the order, send the receipt task, commit. BUG: sent before the commit."""
    db = connection()
    with db:                                          # one transaction, committed at the end
        order_id = db.execute("INSERT INTO orders (item) VALUES (?)", (item,)).lastrowid
        result = send_receipt.delay(order_id)         # a worker may run it now: the row is not committed
        time.sleep(0.3)                               # the rest of the request (stock, e-mail, ...)
    return result


def place_order_fixed(item):
    """The same view, sending the task after the commit (Django: transaction.on_commit)."""
    db = connection()
    with db:
        order_id = db.execute("INSERT INTO orders (item) VALUES (?)", (item,)).lastrowid
        time.sleep(0.3)
    return send_receipt.delay(order_id)


def checkout(payload):
    """A tiny web handler: JSON in, JSON out; the real work goes to a task."""
    result = place_order_fixed(payload["item"])
    return {"status": 202, "task_id": result.id}
