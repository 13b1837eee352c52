"""Exercise 9 (classroom b): call tasks with different arguments and collect their results.

Usage::

    # check it on a real worker (from the repository root)
    python runner.py check 9
"""
from celery import Celery

app = Celery("ex09")
app.config_from_object("classroom.celeryconfig")


@app.task
def add(x, y):
    return x + y


@app.task
def shout(text):
    return text.upper() + "!"


@app.task
def word_count(text):
    return len(text.split())


def send_all():
    """Send each of the three tasks at least twice, with different arguments; return the AsyncResults."""
    # TODO 2: call add, shout and word_count with .delay(...), each with two different sets of
    #         arguments, and return the six AsyncResults in a list (do not wait for them here).
    #         用 .delay(...) 调用 add、shout 和 word_count，每个都用两组不同的参数，
    #         把六个 AsyncResult 放在列表里返回（这里不要等待结果）。
    return []


def collect(results):
    """The results' values, in the same order: wait for each one, at most 5 seconds."""
    # TODO 3: result.get(timeout=5) for each result (never a get() without a timeout).
    #         对每个结果调用 result.get(timeout=5)（永远不要调用不带 timeout 的 get()）。
    return []
