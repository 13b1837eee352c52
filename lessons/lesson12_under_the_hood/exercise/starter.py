"""Exercise 12 (lesson 12): a lighter message, a binary format, and the body on the wire.

Usage::

    # check it on a real worker (from the repository root)
    python runner.py check 12

Stretch (optional, no TODO): add a function square_all(numbers) that returns the squares of 1000
numbers computed by the task square, sending at most 10 task messages (lesson 12, step 3: chunks).
附加挑战（可选，没有 TODO）：加一个函数 square_all(numbers)，用任务 square 算出 1000 个数的平方并返回，
但最多只发送 10 条任务消息（第 12 课第 3 步：chunks）。
"""
from celery import Celery

app = Celery("ex12")
app.config_from_object("classroom.celeryconfig")


# TODO 2: nobody reads notify's return value: make the worker store no result for it at all, so that
#         no backend write happens for each call (see lesson 12, step 3).
#         没有人读取 notify 的返回值：让 worker 完全不为它存储结果，每次调用都省掉一次后端写入（见第 12 课第 3 步）。
@app.task
def notify(user):
    return f"sent to {user}"


# TODO 3: send pack's messages as msgpack instead of JSON, and let the worker accept msgpack as well
#         as JSON (and still never pickle) (see lesson 12, step 4).
#         让 pack 的消息用 msgpack 而不是 JSON 发送，并让 worker 除 JSON 之外也接受 msgpack
#         （但仍然绝不接受 pickle）（见第 12 课第 4 步）。
@app.task
def pack(record):
    return sorted(record)


@app.task
def add(x, y):
    return x + y


@app.task
def square(n):
    return n * n


# TODO 4: a question: what is the decoded body of the message that a call of add with 2 and 3
#         puts on the broker? Write it as a Python value (see lesson 12, step 1).
#         问题：用 2 和 3 调用 add 时放到消息代理上的那条消息，body 解码后是什么？写成 Python 值（见第 12 课第 1 步）。
BODY_OF_ADD = None
