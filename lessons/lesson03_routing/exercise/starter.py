"""Exercise 3 (lesson 3): send each task to the queue of the worker that should run it.

Usage::

    # check it: the checker starts a worker "images" (queue images) and "default" (queues celery, urgent)
    python runner.py check 3

    # by hand, in two terminals:
    celery -A exercises.ex03_routing worker -n images@%h -Q images -l info
    celery -A exercises.ex03_routing worker -n default@%h -Q celery,urgent -l info

Stretch (optional, no TODO): write resize_soon(path, width): resize on the images worker, 0.3 s
from now; return the AsyncResult.
附加挑战（可选，没有 TODO）：写 resize_soon(path, width)：0.3 秒后在 images worker 上执行 resize，返回 AsyncResult。
"""
from celery import Celery

app = Celery("ex03")
app.config_from_object("classroom.celeryconfig")

# TODO 2: every call of resize must go to the queue "images", so that only the "images" worker runs
#         it, through the app's route table keyed by task name; send_email stays on the default
#         queue "celery" (see lesson 3, step 1).
#         通过应用的路由表（以任务名为键）让 resize 的每一次调用都进入队列 "images"，只由 "images"
#         worker 执行；send_email 仍留在默认队列 "celery"（见第 3 课第 1 步）。


@app.task
def resize(path, width):
    return f"{path} resized to {width}px"


@app.task
def send_email(to):
    return f"email sent to {to}"


def send_urgent(to):
    """Send send_email(to) to the queue "urgent", for this one call only."""
    # TODO 3: choose the queue "urgent" for this one call, without touching the route table
    #         (see lesson 3, step 4).
    #         只为这一次调用指定队列 "urgent"，不改路由表（见第 3 课第 4 步）。
    return send_email.delay(to)


# TODO 4: a question: resize is routed to "images", but one call names the queue "celery" itself.
#         Which worker runs that call: "images" or "default"? (see lesson 3, steps 1 and 4)
#         问题：resize 被路由到 "images"，但某一次调用自己指定了队列 "celery"。
#         这一次由哪个 worker 执行："images" 还是 "default"？（见第 3 课第 1、4 步）
OVERRIDE_WORKER = None
