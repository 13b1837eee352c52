"""Exercise 1 (lesson 1): a result, a countdown and a state looked up by id.

Usage::

    # check it on a real worker (from the repository root)
    python runner.py check 1

    # or by hand: terminal 1, a worker for this file (Redis on 127.0.0.1:6379)
    celery -A exercises.ex01_results worker -l info
    # terminal 2
    python -c "from exercises.ex01_results import add; print(add.delay(2, 3).get(timeout=10))"
"""
from celery import Celery

app = Celery("ex01")
app.config_from_object("classroom.celeryconfig")


@app.task
def add(x, y):
    # TODO 2: return the sum of x and y (the worker stores it as the task's result).
    #         返回 x 与 y 的和（worker 会把它保存为任务的结果）。
    return None


def send_later(x, y):
    """Send add(x, y) so that a worker runs it half a second from now; return the AsyncResult."""
    # TODO 3: use add.apply_async with countdown=0.5 and return what it returns.
    #         改用 add.apply_async，设置 countdown=0.5，并返回它的返回值。
    return add.delay(x, y)


def state_of(task_id):
    """The state of the task with this id (PENDING, STARTED, SUCCESS, FAILURE), from the id alone."""
    # TODO 4: look the task up with app.AsyncResult(task_id) and return its .state
    #         用 app.AsyncResult(task_id) 找到这个任务，返回它的 .state
    return "PENDING"
