"""Exercise 6 (lesson 6): a rate limit on one task, on each worker.

Usage::

    # check it on a real worker (from the repository root)
    python runner.py check 6

Stretch (optional, no TODO): add a task bulk_api(i) that returns time.time() like call_api, limited
to 10 per second from the configuration (not its decorator).
附加挑战（可选，没有 TODO）：加一个任务 bulk_api(i)，像 call_api 一样返回 time.time()，
但通过配置（而不是装饰器）限速为每秒 10 个。
"""
import time

from celery import Celery

app = Celery("ex06")
app.config_from_object("classroom.celeryconfig")


# TODO 2: the API behind call_api allows 5 calls per second: give this task (and only this one) a
#         limit so that each worker starts at most 5 of them per second, the others waiting in the
#         worker (see lesson 6, step 1).
#         call_api 背后的 API 每秒只允许调用 5 次：只给这个任务加上限速，让每个 worker 每秒最多开始执行 5 个，
#         其余的在 worker 里等待（见第 6 课第 1 步）。
@app.task
def call_api(i):
    """Pretend to call the API; returns the moment it ran (time.time())."""
    return time.time()


@app.task
def health(i):
    """Not rate limited: returns the moment it ran."""
    return time.time()


# TODO 4: a question: with the limit of TODO 2, ten call_api tasks are sent at once to one worker.
#         About how many seconds pass between the first start and the last? Write the number
#         (see lesson 6, step 1).
#         问题：有了 TODO 2 的限速，一次向一个 worker 发送十个 call_api 任务。
#         从第一个开始到最后一个开始，大约相隔几秒？写出这个数（见第 6 课第 1 步）。
TEN_SPAN_S = None
