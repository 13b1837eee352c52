"""Testing the code that *sends* a task: mock .delay, no broker and no worker needed."""
import sqlite3
from unittest import mock

import shop


def test_checkout_sends_one_receipt_task():
    with mock.patch.object(shop.send_receipt, "delay") as delay:
        delay.return_value.id = "fake-id"
        response = shop.checkout({"item": "book"})
    assert response == {"status": 202, "task_id": "fake-id"}
    delay.assert_called_once_with(1)                          # the order's id, not the order


def test_the_task_is_sent_after_the_commit():
    def row_is_visible(order_id):                             # what a worker would see
        other = sqlite3.connect(shop.DB_PATH)
        assert other.execute("SELECT item FROM orders WHERE id = ?", (order_id,)).fetchone()
        return mock.Mock(id="fake-id")

    with mock.patch.object(shop.send_receipt, "delay", side_effect=row_is_visible):
        shop.checkout({"item": "book"})
