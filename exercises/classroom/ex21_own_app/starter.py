"""Exercise 21 (classroom a): your own Celery app with at least three tasks.

Usage::

    # check it on a real worker (from the repository root)
    python runner.py check 21
"""
from celery import Celery

app = Celery("ex21")
app.config_from_object("classroom.celeryconfig")


@app.task
def greet(name):
    return f"Hello, {name}!"


# TODO 2: write at least two more tasks of your own below (any names, any work); arguments and
#         results must travel as JSON: numbers, strings, lists, dicts, True/False/None
#         (see lesson 1, step 1: a task is a decorated function).
#         在下面再写至少两个你自己的任务（名字、功能随意）；参数和返回值必须能用 JSON 传输：
#         数字、字符串、列表、字典、True/False/None（见第 1 课第 1 步：任务就是加了装饰器的函数）。


# One example call per task: (task, arguments, the result you expect). The checker runs each
# example on a real worker and compares.
EXAMPLES = [
    (greet, ("Ada",), "Hello, Ada!"),
    # TODO 3: add one example for each task you wrote: the task, a tuple of its arguments, and
    #         the result you expect (see lesson 1, step 1).
    #         为你写的每个任务各加一个示例：任务、它的参数元组、你期望的结果（见第 1 课第 1 步）。
]

# TODO 5: predict: a task returns the tuple (1, 2); what value does the caller's result get back?
#         Write that value here; the checker has a real worker return (1, 2) and compares
#         (see lesson 1, step 1: the result travels from the worker through the result backend).
#         预测：一个任务返回元组 (1, 2)，调用方从结果里拿到的是什么值？把这个值写在这里；检查程序会让真实的
#         worker 返回 (1, 2) 并进行对比（见第 1 课第 1 步：结果从 worker 经由结果后端传回来）。
TUPLE_COMES_BACK_AS = None

# Stretch (optional, no TODO): FAILING_EXAMPLES, a list of (task, arguments, exception class name)
# for inputs that make one of your tasks raise on purpose, e.g. a string where a number belongs;
# the checker expects FAILURE with that exception on the worker (lesson 1, step 6).
# 挑战（可选，没有 TODO）：FAILING_EXAMPLES，一个 (任务, 参数, 异常类名) 的列表，列出会让你的某个任务
# 故意抛出异常的输入；检查程序期望它在 worker 上以 FAILURE 结束，异常就是那个类（第 1 课第 6 步）。
