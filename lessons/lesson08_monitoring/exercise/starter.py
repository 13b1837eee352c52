"""Exercise 8 (lesson 8): find the runaway task with inspect, stop it, and prove the others finished.

Usage::

    # check it on real workers (from the repository root)
    python runner.py check 8 --broker redis

Stretch (optional, no TODO): make find_runaway answer in under 0.5 s, however long its timeout.
附加挑战（可选，没有 TODO）：让 find_runaway 在 0.5 秒内给出答案，无论它的超时设得多长。
"""
import time

from celery import Celery

app = Celery("ex08")
app.config_from_object("classroom.celeryconfig")


@app.task
def job(item, seconds):
    """Process one item; one of them, given bad data, takes far too long."""
    time.sleep(seconds)
    return item


# TODO 2: return the id of the task that has been running the longest on `workers`: ask the workers
#         what they run right now, with a bound on the wait, and compare when each task started
#         (see lesson 8, step 1).
#         返回在 `workers` 上已经运行最久的那个任务的 id：询问 worker 此刻在执行什么（等待要有上限），
#         比较每个任务开始的时间（见第 8 课第 1 步）。
def find_runaway(app, workers):
    """The id of the task that has been running the longest on these workers."""
    return None


# TODO 3: stop that task now, while it runs, not only the next time a worker would pick it up
#         (see lesson 8, step 6).
#         立即停下这个正在执行的任务，而不是等 worker 下次取到它时才丢弃（见第 8 课第 6 步）。
def stop(app, task_id):
    """Stop that task now, while it runs."""


# TODO 4: prove that the other tasks finished: wait for each (bounded) and return {id: state} for
#         every result except the runaway (see lesson 8, step 1).
#         证明其他任务都完成了：逐个等待（要有上限），为除失控任务以外的每个结果返回 {id: 状态}（见第 8 课第 1 步）。
def others_finished(results, runaway_id):
    """{id: state} of every result except the runaway, once each is done (bounded waits)."""
    return {}


# TODO 5: a question: a task waits for its countdown in a worker and you revoke it (no terminate).
#         What does its state say soon after the call, before its countdown is over? Write the state's
#         name (see lesson 8, step 5).
#         问题：一个任务正在 worker 里等它的 countdown，你撤销了它（不带 terminate）。
#         调用之后不久、countdown 结束之前，它的状态是什么？写出状态名（见第 8 课第 5 步）。
STATE_RIGHT_AFTER_REVOKE = None
