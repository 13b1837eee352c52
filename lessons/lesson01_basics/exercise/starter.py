"""Exercise 1 (lesson 1): a result, a countdown and a state looked up by id.

Stretch (optional, no TODO): write result_of(task_id, timeout=5) that returns the VALUE of a task
from its id alone (as another process would); the checker shows a star when it works.
附加挑战（可选，没有 TODO）：写一个 result_of(task_id, timeout=5)，只凭 id 取回任务的结果值。

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
    # TODO 2: make the worker store the sum of x and y as this task's result (see lesson 1, step 1).
    #         让 worker 把 x 与 y 的和保存为这个任务的结果（见第 1 课第 1 步）。
    return None


def send_later(x, y):
    """Send add(x, y) so that a worker runs it half a second from now; return the AsyncResult."""
    # TODO 3: send add so that the worker runs it half a second from now, and hand back the result
    #         object at once (see lesson 1, step 2).
    #         发送 add，让 worker 半秒之后才执行它，并立即返回结果对象（见第 1 课第 2 步）。
    return add.delay(x, y)


def state_of(task_id):
    """The state of the task with this id (PENDING, STARTED, SUCCESS, FAILURE), from the id alone."""
    # TODO 4: find the task from its id alone, as another process would, and return the state the
    #         result backend holds for it (see lesson 1, step 4).
    #         只凭 id 找到这个任务（就像另一个进程那样），返回结果后端里记录的状态（见第 1 课第 4 步）。
    return "PENDING"


# TODO 5: a question: what state does the result backend report for an id that nobody ever sent?
#         Write the state's name as a string (see lesson 1, steps 3 and 4).
#         问题：对一个从来没人发送过的 id，结果后端报告的是什么状态？把状态名写成字符串（见第 1 课第 3、4 步）。
UNKNOWN_STATE = None
