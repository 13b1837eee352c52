"""Exercise 13 (lesson 13): send a task from web code, the safe way.

Usage::

    # check it: the checker calls your functions inside real Django transactions
    # (commit and rollback) and a real worker runs what they sent
    python runner.py check 13
"""
import time

from celery import Celery
from django.db import transaction  # noqa: F401 - you will need it

app = Celery("ex13")
app.config_from_object("classroom.celeryconfig")


@app.task
def build_report(report_id):
    time.sleep(0.05)                     # the slow part
    return {"report": report_id}


def start_build(report):
    """A view calls this inside transaction.atomic(), with a Report model instance (it has .id)."""
    # TODO 2: give the task what a JSON message can carry and lets the worker read the row itself
    #         (see lesson 13, step "Pass ids, not model instances").
    #         只交给任务 JSON 消息装得下、又能让 worker 自己去读这一行的东西（见第 13 课“传 id，而不是模型实例”一步）。
    # TODO 3: send it only if the transaction commits: nothing at all after a rollback
    #         (see lesson 13, step 4: on_commit versus delay in a transaction that rolls back).
    #         只在事务提交时才发送：回滚之后什么也不发（见第 13 课第 4 步：回滚的事务里 on_commit 与 delay 的区别）。
    build_report.delay(report)


# The block for TODO 4 (it rolls back) / TODO 4 要预测的代码块（它最终回滚）:
#     with transaction.atomic():
#         build_report.delay(1)
#         transaction.on_commit(lambda: build_report.delay(2))
#         raise Rollback

# TODO 4: predict: how many build_report tasks does the worker run after the block above?
#         Answer with a whole number; the checker runs the block on a real worker (lesson 13, step 4).
#         预测：上面这个代码块执行之后，worker 会运行几个 build_report 任务？
#         用一个整数回答；检查程序会在真实的 worker 上运行这段代码（第 13 课第 4 步）。
RUNS_AFTER_ROLLBACK = None

# Stretch (optional, no TODO): start_tracked(report), like start_build but returning the task id at
# once, before the transaction commits, so that a view can answer with it (lesson 13, step 2).
# 挑战（可选，没有 TODO）：写 start_tracked(report)，和 start_build 一样，但立即返回任务 id（在事务提交之前），
# 让视图能在响应里带上它（第 13 课第 2 步）。
