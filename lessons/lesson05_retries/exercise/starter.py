"""Exercise 5 (lesson 5): retry a task when a service is down, by hand and automatically.

Usage::

    # check it on a real worker (from the repository root)
    python runner.py check 5

Stretch (optional, no TODO): write a task fetch_or_offline that calls a service that is always down,
retries twice 0.1 s apart, and then, instead of failing, returns "offline after 2 retries".
附加挑战（可选，没有 TODO）：写任务 fetch_or_offline：调用一个永远不可用的服务，间隔 0.1 秒重试两次，
之后不再失败，而是返回 "offline after 2 retries"。
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
    # TODO 2: when the service is down (ConnectionError), retry this task by hand 0.1 s later, at most
    #         3 times, keeping the error (see lesson 5, step 1).
    #         服务不可用（ConnectionError）时，手动重试这个任务：0.1 秒后重试，最多 3 次，并保留这个错误（见第 5 课第 1 步）。
    answer = flaky_service(attempt)
    return f"{answer} after {attempt} retries"


# TODO 3: let Celery itself retry fetch_auto on a ConnectionError, 0.1 s apart, at most 3 times,
#         with options in the decorator and no try/except (see lesson 5, step 2).
#         让 Celery 在 ConnectionError 时自动重试 fetch_auto：间隔 0.1 秒，最多 3 次；
#         用装饰器里的选项，不写 try/except（见第 5 课第 2 步）。
@app.task(bind=True)
def fetch_auto(self):
    attempt = self.request.retries
    return f"{flaky_service(attempt)} after {attempt} retries"


# TODO 4: a service that is always down: retry it automatically like fetch_auto, but give up after
#         2 retries; the task then ends in FAILURE with the last ConnectionError (see lesson 5, step 3).
#         一个永远不可用的服务：像 fetch_auto 一样自动重试，但重试 2 次（max_retries 为 2）后放弃；
#         任务最终以 FAILURE 结束，异常是最后一次的 ConnectionError（见第 5 课第 3 步）。
@app.task(bind=True)
def always_down(self):
    raise ConnectionError(f"service down (attempt {self.request.retries})")


# TODO 5: a question: how many times does the worker run the body of fetch in all, the first run
#         and every retry together? Write the number (see lesson 5, step 1).
#         问题：把第一次运行和每一次重试都算上，worker 一共运行了几次 fetch 的函数体？写出这个数（见第 5 课第 1 步）。
FETCH_RUNS = None
