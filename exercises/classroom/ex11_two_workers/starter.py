"""Exercise 11 (classroom d): two workers share the tasks; observe who ran what.

Usage::

    # check it: the checker starts two workers, w1 and w2, one process each
    python runner.py check 11 --broker redis

    # by hand, in two terminals (then send tasks from a third):
    celery -A exercises.ex11_two_workers worker -n w1@%h -c 1 -l info
    celery -A exercises.ex11_two_workers worker -n w2@%h -c 1 -l info
"""
import time

from celery import Celery

app = Celery("ex11")
app.config_from_object("classroom.celeryconfig")


@app.task(bind=True)
def work(self, i):
    """Takes a moment, so that one worker cannot take every task; says who ran it."""
    time.sleep(0.1)
    # TODO 2: also return the name of the worker that ran it: {"i": i, "worker": self.request.hostname}
    #         同时返回执行它的 worker 的名字：{"i": i, "worker": self.request.hostname}
    return {"i": i}


def distribute(n):
    """Send work(0) .. work(n-1) at once, wait for them (at most 5 s each), and count the tasks each
    worker ran: {"w1@host": 5, "w2@host": 3}."""
    # TODO 3: send all n first, then get(timeout=5) each result and count result["worker"].
    #         先把 n 个任务全部发出，再对每个结果调用 get(timeout=5)，统计 result["worker"]。
    return {}
