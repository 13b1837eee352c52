"""Exercise 3 (lesson 3): send each task to the queue of the worker that should run it.

Usage::

    # check it: the checker starts a worker "images" (queue images) and "default" (queues celery, urgent)
    python runner.py check 3

    # by hand, in two terminals:
    celery -A exercises.ex03_routing worker -n images@%h -Q images -l info
    celery -A exercises.ex03_routing worker -n default@%h -Q celery,urgent -l info
"""
from celery import Celery

app = Celery("ex03")
app.config_from_object("classroom.celeryconfig")

# TODO 2: route the task resize to the queue "images" with app.conf.task_routes (keyed by task name),
#         so that only the "images" worker runs it. send_email stays on the default queue "celery".
#         用 app.conf.task_routes（以任务名为键）把 resize 路由到队列 "images"，让它只由 "images" worker 执行；
#         send_email 仍留在默认队列 "celery"。


@app.task
def resize(path, width):
    return f"{path} resized to {width}px"


@app.task
def send_email(to):
    return f"email sent to {to}"


def send_urgent(to):
    """Send send_email(to) to the queue "urgent", for this one call only."""
    # TODO 3: choose the queue for this call: send_email.apply_async((to,), queue="urgent")
    #         为这一次调用指定队列：send_email.apply_async((to,), queue="urgent")
    return send_email.delay(to)
