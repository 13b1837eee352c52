"""Exercise 14 (lesson 14): a test that catches the bug eager mode hides.

Usage::

    # check it (from the repository root): your tests run in a real pytest session, on a real
    # worker, against a buggy place_order and a fixed one
    python runner.py check 14

The fixtures your tests can ask for (the checker's pytest plugin gives them):
  place_order  the view under test: place_order(item) saves an order and sends
               send_receipt.delay(order_id), which returns "receipt for <item>";
               the checker hands you a buggy one (it sends before it commits) or a fixed one
  worker       a real worker (celery_session_worker), or none under task_always_eager
  shop         the module with the tasks (shop.send_receipt) and shop.DB_PATH, the database file

Stretch (optional, no TODO): add test_sent_after_commit(place_order, shop) that catches the same
bug without any worker: mock shop.send_receipt.delay and check, when it is called, that the
order can already be read from another database connection.
附加挑战（可选，没有 TODO）：加一个 test_sent_after_commit(place_order, shop)，不用任何 worker
也能发现同一个 bug：mock 掉 shop.send_receipt.delay，在它被调用的那一刻，检查另一个数据库连接已经能读到订单。
"""
from celery import Celery

app = Celery("ex14")          # the checker needs an app; your tests use the fixtures below
app.config_from_object("classroom.celeryconfig")


def test_receipt_is_sent(place_order, worker):
    # TODO 2: this test passes against the buggy place_order too. Make it check what the worker
    #         really returns for the receipt, so that it fails while the task is sent before the
    #         commit (see lesson 14, step 2: test_receipt_after_placing_an_order).
    #         这个测试对有 bug 的 place_order 也能通过。让它检查 worker 为收据真正返回的结果，
    #         这样只要任务在提交之前就发出，它就会失败（见第 14 课第 2 步：test_receipt_after_placing_an_order）。
    result = place_order("lamp")
    assert result.id


# TODO 4: a question: run under task_always_eager against the buggy place_order, does your test
#         pass or fail? Write "passed" or "failed" (see lesson 14, step 2, the eager run).
#         问题：在 task_always_eager 下、针对有 bug 的 place_order，你的测试是通过还是失败？
#         写 "passed" 或 "failed"（见第 14 课第 2 步 eager 那一轮）。
EAGER_OUTCOME = None
