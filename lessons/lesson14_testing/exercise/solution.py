"""Exercise 14 (lesson 14): a test that catches the bug eager mode hides (a solution).

Usage::

    python runner.py check 14
"""
import sqlite3
from unittest import mock

from celery import Celery

app = Celery("ex14")          # the checker needs an app; the tests use the fixtures
app.config_from_object("classroom.celeryconfig")


def test_receipt_is_sent(place_order, worker):
    result = place_order("lamp")
    # The worker reads the order with its own connection: before the commit, it is not there.
    assert result.get(timeout=5) == "receipt for lamp"


# Eagerly the task runs inside .delay(), in the caller's thread, on the caller's connection,
# which sees its own uncommitted row: the test passes and the bug stays hidden.
EAGER_OUTCOME = "passed"


def test_sent_after_commit(place_order, shop):
    def committed(order_id):
        other = sqlite3.connect(shop.DB_PATH)            # what a worker would see
        row = other.execute("SELECT item FROM orders WHERE id = ?", (order_id,)).fetchone()
        assert row is not None, "the task was sent before the order was committed"
        return mock.Mock(id="fake-id")

    with mock.patch.object(shop.send_receipt, "delay", side_effect=committed):
        place_order("lamp")
