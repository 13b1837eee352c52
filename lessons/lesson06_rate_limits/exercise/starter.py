"""Exercise 6 (lesson 6): a rate limit on one task, on each worker.

Usage::

    # check it on a real worker (from the repository root)
    python runner.py check 6
"""
import time

from celery import Celery

app = Celery("ex06")
app.config_from_object("classroom.celeryconfig")


# TODO 2: the API behind call_api allows 5 calls per second: give the task rate_limit="5/s",
#         so that each worker starts at most 5 of them per second (the others wait in the worker).
#         call_api 背后的 API 每秒只允许调用 5 次：给任务加上 rate_limit="5/s"，
#         让每个 worker 每秒最多开始执行 5 个（其余的在 worker 里等待）。
@app.task
def call_api(i):
    """Pretend to call the API; returns the moment it ran (time.time())."""
    return time.time()


@app.task
def health(i):
    """Not rate limited: returns the moment it ran."""
    return time.time()
