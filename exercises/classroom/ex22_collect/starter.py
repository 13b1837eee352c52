"""Exercise 22 (classroom b): call tasks with different arguments and collect their results.

Usage::

    # check it on a real worker (from the repository root)
    python runner.py check 22
"""
from celery import Celery

app = Celery("ex22")
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
    # TODO 2: send add, shout and word_count to the workers, each with two different sets of
    #         arguments, and return the six AsyncResults in a list without waiting for any of
    #         them (see lesson 1, step 1).
    #         把 add、shout 和 word_count 发送给 worker，每个都用两组不同的参数，把六个 AsyncResult
    #         放在列表里返回，这里一个也不要等待（见第 1 课第 1 步）。
    return []


def collect(results):
    """The results' values, in the same order: wait for each one, at most 5 seconds."""
    # TODO 3: wait for each result's value in turn, never longer than 5 seconds each, and return
    #         the values in the same order (see lesson 1, step 1: waiting with a timeout).
    #         依次等待每个结果的值，每个最多等 5 秒，并按同样的顺序返回这些值（见第 1 课第 1 步：带超时的等待）。
    return []


# TODO 4: predict: you look up a result by an id that no task ever had; what state does the
#         result backend report for it? Write the state's name here; the checker asks the real
#         backend (see lesson 1, step 4).
#         预测：你用一个从来没有任务用过的 id 去查结果，结果后端会报告什么状态？把状态名写在这里；
#         检查程序会去问真实的结果后端（见第 1 课第 4 步）。
UNKNOWN_ID_STATE = None

# Stretch (optional, no TODO): send_group(), the same six calls sent as one group (lesson 4,
# step 2); return the group's result without waiting, and the checker collects it.
# 挑战（可选，没有 TODO）：send_group()，把同样的六个调用作为一个 group 发送（第 4 课第 2 步）；
# 不等待，直接返回 group 的结果，由检查程序来收集。
