"""Exercise 8 (classroom a): your own Celery app with at least three tasks.

Usage::

    # check it on a real worker (from the repository root)
    python runner.py check 8
"""
from celery import Celery

app = Celery("ex08")
app.config_from_object("classroom.celeryconfig")


@app.task
def greet(name):
    return f"Hello, {name}!"


# TODO 2: write at least two more tasks of your own below (any names, any work; arguments and
#         results must be JSON: numbers, strings, lists, dicts, True/False/None).
#         在下面再写至少两个你自己的任务（名字、功能随意；参数和返回值必须能用 JSON 表示：
#         数字、字符串、列表、字典、True/False/None）。


# One example call per task: (task, arguments, the result you expect). The checker runs each
# example on a real worker and compares.
EXAMPLES = [
    (greet, ("Ada",), "Hello, Ada!"),
    # TODO 3: add one example for each task you wrote.
    #         为你写的每个任务各加一个示例。
]
