"""Exercise 23 (classroom c): a task that fails on purpose, and what the caller sees of it.

Usage::

    # check it on a real worker (from the repository root)
    python runner.py check 23
"""
from celery import Celery

app = Celery("ex23")
app.config_from_object("classroom.celeryconfig")


@app.task
def parse_age(text):
    """'42' -> 42. Anything that is not a whole number from 0 to 150 is an error."""
    # TODO 2: fail on purpose when text is not a whole number from 0 to 150 ("abc", "-5" and
    #         "200" all fail): raise a ValueError whose message is  not an age: 'abc'  (the text as
    #         Python's repr shows it, quotes included); see lesson 1, step 6.
    #         当 text 不是 0 到 150 之间的整数时故意失败（"abc"、"-5" 和 "200" 都应失败）：抛出 ValueError，
    #         消息为  not an age: 'abc'  （text 按 Python 的 repr 显示，带引号）；见第 1 课第 6 步。
    return int(text)


def explain(result):
    """What happened to a task, without raising: {"state": ..., "error": ..., "message": ...}.

    For a failed task: state "FAILURE", error the exception's class name ("ValueError"), message
    its text. For a task that succeeded: state "SUCCESS", error and message None.
    """
    # TODO 4: wait (at most 5 s) without letting the task's exception be raised here, then read
    #         the result's state and its value, which is the exception object when the task
    #         failed (see lesson 1, step 6: propagate=False).
    #         等待（最多 5 秒），但不要让任务的异常在这里被抛出，然后读取结果的状态和值；任务失败时，
    #         这个值就是那个异常对象（见第 1 课第 6 步：propagate=False）。
    return {"state": "?", "error": None, "message": None}


# TODO 5: predict: YOUR parse_age gets the text " 42 " (spaces around the number); what state
#         does that task end in on the worker, "SUCCESS" or "FAILURE"? The checker runs it and
#         compares (see lesson 1, steps 3 and 6).
#         预测：你自己写的 parse_age 收到文本 " 42 "（数字两边有空格），这个任务在 worker 上以什么状态结束，
#         "SUCCESS" 还是 "FAILURE"？检查程序会真的运行它并进行对比（见第 1 课第 3 步和第 6 步）。
PADDED_AGE_STATE = None

# Stretch (optional, no TODO): ages(texts) sends parse_age for every text at once and returns
# {text: the age, or None where the task failed}, never raising (lesson 1, step 6).
# 挑战（可选，没有 TODO）：ages(texts) 一次为每个 text 发送 parse_age，返回
# {text: 年龄；任务失败的为 None}，自身绝不抛出异常（第 1 课第 6 步）。
