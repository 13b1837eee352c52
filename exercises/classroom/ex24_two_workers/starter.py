"""Exercise 24 (classroom d): two workers share the tasks; observe who ran what.

Usage::

    # check it: the checker starts two workers, w1 and w2, one process each
    python runner.py check 24 --broker redis

    # by hand, in two terminals (then send tasks from a third):
    celery -A exercises.ex24_two_workers worker -n w1@%h -c 1 -l info
    celery -A exercises.ex24_two_workers worker -n w2@%h -c 1 -l info
"""
import time

from celery import Celery

app = Celery("ex24")
app.config_from_object("classroom.celeryconfig")


@app.task(bind=True)
def work(self, i):
    """Takes a moment, so that one worker cannot take every task; says who ran it."""
    time.sleep(0.1)
    # TODO 2: also return, under the key "worker", the name of the worker that ran it, read from
    #         the bound task's own request (see lesson 3, step 3: who ran what).
    #         同时在键 "worker" 下返回执行它的 worker 的名字，从绑定任务自己的 request 中读取
    #         （见第 3 课第 3 步：谁执行了什么）。
    return {"i": i}


def distribute(n):
    """Send work(0) .. work(n-1) at once, wait for them (at most 5 s each), and count the tasks each
    worker ran: {"w1@host": 5, "w2@host": 3}."""
    # TODO 3: send all n tasks before waiting for any, then wait for each (at most 5 s) and count
    #         how many each worker name appears (see lesson 6, step 4: two workers share a burst).
    #         先把 n 个任务全部发出再等待，然后逐个等待（每个最多 5 秒），统计每个 worker 名字出现的次数
    #         （见第 6 课第 4 步：两个 worker 分担一批任务）。
    return {}


# TODO 5: predict: 8 tasks are sent at once to these two workers (one process each, each may
#         reserve one more task); about how many does EACH worker run? Answer with a whole number;
#         the checker compares with the real counts (see lesson 6, step 4).
#         预测：一次向这两个 worker（各一个进程，各自还可以再预留一个任务）发送 8 个任务，
#         每个 worker 大约执行多少个？用一个整数回答；检查程序会与实际的计数对比（见第 6 课第 4 步）。
EACH_WORKER_RUNS = None

# Stretch (optional, no TODO): live_workers() returns the sorted names of the workers that
# answer a ping right now (lesson 3, step 2: asking the workers).
# 挑战（可选，没有 TODO）：live_workers() 返回此刻回应 ping 的 worker 名字，排好序（第 3 课第 2 步：询问 worker）。
