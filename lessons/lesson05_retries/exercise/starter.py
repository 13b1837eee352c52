"""Exercise 5 (lesson 5): retry a task when a service is down, by hand and automatically.

Usage::

    # check it on a real worker (from the repository root)
    python runner.py check 5
"""
from celery import Celery

app = Celery("ex05")
app.config_from_object("classroom.celeryconfig")


def flaky_service(attempt):
    """A pretend remote service: down for attempts 0 and 1, it answers from attempt 2 on."""
    if attempt < 2:
        raise ConnectionError(f"service down (attempt {attempt})")
    return "pong"


@app.task(bind=True)
def fetch(self):
    """self.request.retries counts the retries so far: 0 on the first run."""
    attempt = self.request.retries
    # TODO 2: catch the ConnectionError and retry 0.1 s later, at most 3 times:
    #         raise self.retry(exc=exc, countdown=0.1, max_retries=3)
    #         捕获 ConnectionError，0.1 秒后重试，最多 3 次：raise self.retry(exc=exc, countdown=0.1, max_retries=3)
    answer = flaky_service(attempt)
    return f"{answer} after {attempt} retries"


# TODO 3: let Celery retry fetch_auto by itself: autoretry_for=(ConnectionError,),
#         retry_kwargs={"max_retries": 3, "countdown": 0.1} in the decorator.
#         让 Celery 自动重试 fetch_auto：在装饰器里加上 autoretry_for=(ConnectionError,)、
#         retry_kwargs={"max_retries": 3, "countdown": 0.1}。
@app.task(bind=True)
def fetch_auto(self):
    attempt = self.request.retries
    return f"{flaky_service(attempt)} after {attempt} retries"


# TODO 4: a service that is always down: retry it automatically like fetch_auto, but give up after
#         2 retries (max_retries 2); the task then ends in FAILURE with the last ConnectionError.
#         一个永远不可用的服务：像 fetch_auto 一样自动重试，但重试 2 次（max_retries 为 2）后放弃；
#         任务最终以 FAILURE 结束，异常是最后一次的 ConnectionError。
@app.task(bind=True)
def always_down(self):
    raise ConnectionError(f"service down (attempt {self.request.retries})")
