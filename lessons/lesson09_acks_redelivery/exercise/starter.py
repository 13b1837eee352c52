"""Exercise 9 (lesson 9): a task that is safe to redeliver.

Usage::

    # check it on real workers (from the repository root); the checker kills a worker process
    python runner.py check 9 --broker redis

Stretch (optional, no TODO): add a task refund(path, order) that books a refund of the order in a
table `refunds` of the same file, once, however often the message is delivered.
附加挑战（可选，没有 TODO）：加一个任务 refund(path, order)，在同一个文件的 `refunds` 表里为这个订单记一笔退款，
无论消息投递多少次，都只记一次。
"""
import sqlite3
import time

from celery import Celery

app = Celery("ex09")
app.config_from_object("classroom.celeryconfig")


def book(path, order, amount):
    """Write the payment of `amount` for `order` to the SQLite ledger at `path`."""
    with sqlite3.connect(path, timeout=5) as db:
        # TODO 2: the same message may be delivered twice. Make a second run book nothing: one row
        #         per order in the ledger, however often charge runs for it (see lesson 9, step 8).
        #         同一条消息可能被投递两次。让第二次运行什么也不记：无论 charge 为同一个订单运行多少次，
        #         账本里每个订单只有一行（见第 9 课第 8 步）。
        db.execute("CREATE TABLE IF NOT EXISTS ledger (payment TEXT, amount INTEGER)")
        db.execute("INSERT INTO ledger VALUES (?, ?)", (order, amount))


# TODO 3: the checker kills the pool process running charge. Make the message survive it: the task
#         must run again, to SUCCESS, instead of ending in FAILURE with WorkerLostError
#         (see lesson 9, step 1).
#         检查程序会杀掉正在运行 charge 的池进程。让消息挺过这一劫：任务必须再运行一次并 SUCCESS，
#         而不是以 WorkerLostError 的 FAILURE 结束（见第 9 课第 1 步）。
@app.task(bind=True)
def charge(self, path, order, amount, seconds=0.0):
    """Book `amount` for `order` in the ledger, then do the rest of the work."""
    book(path, order, amount)
    time.sleep(seconds)
    return order

# TODO 4: a question: with both TODOs done, the checker kills charge's pool process once while it
#         sleeps. How many times does charge start, in all? Write the number (see lesson 9, step 1).
#         问题：两个 TODO 都完成后，检查程序在 charge 睡眠时杀掉它的池进程一次。charge 一共开始运行几次？
#         写出这个数（见第 9 课第 1 步）。
RUNS_AFTER_ONE_KILL = None
