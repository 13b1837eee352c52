"""Exercise 10 (classroom c): a task that fails on purpose, and what the caller sees of it.

Usage::

    # check it on a real worker (from the repository root)
    python runner.py check 10
"""
from celery import Celery

app = Celery("ex10")
app.config_from_object("classroom.celeryconfig")


@app.task
def parse_age(text):
    """'42' -> 42. Anything that is not a whole number from 0 to 150 is an error."""
    # TODO 2: fail on purpose with raise ValueError(f"not an age: {text!r}") when text is not
    #         a whole number from 0 to 150 ("abc", "-5" and "200" all fail).
    #         当 text 不是 0 到 150 之间的整数时，故意失败：raise ValueError(f"not an age: {text!r}")
    #         （"abc"、"-5" 和 "200" 都应失败）。
    return int(text)


def explain(result):
    """What happened to a task, without raising: {"state": ..., "error": ..., "message": ...}.

    For a failed task: state "FAILURE", error the exception's class name ("ValueError"), message
    its text. For a task that succeeded: state "SUCCESS", error and message None.
    """
    # TODO 4: wait with result.get(timeout=5, propagate=False), then read result.state and
    #         result.result (the exception object when the task failed).
    #         用 result.get(timeout=5, propagate=False) 等待，然后读取 result.state 和
    #         result.result（任务失败时它就是那个异常对象）。
    return {"state": "?", "error": None, "message": None}
