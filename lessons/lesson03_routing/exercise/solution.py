"""Exercise 3 (lesson 3), reference solution: send each task to the queue of the worker that should run it.

Usage::

    python runner.py check 3 --solutions

Stretch: resize_soon(path, width) sends resize to the images worker, 0.3 s from now.
"""
from celery import Celery

app = Celery("ex03")
app.config_from_object("classroom.celeryconfig")

# Keyed by the task's name (module + function); the route table applies to every call.
app.conf.task_routes = {f"{__name__}.resize": {"queue": "images"}}


@app.task
def resize(path, width):
    return f"{path} resized to {width}px"


@app.task
def send_email(to):
    return f"email sent to {to}"


def send_urgent(to):
    """Send send_email(to) to the queue "urgent", for this one call only."""
    return send_email.apply_async((to,), queue="urgent")


# An option given for one call wins over the route table: queue="celery" goes to the default worker.
OVERRIDE_WORKER = "default"


def resize_soon(path, width):
    """Stretch: resize(path, width) on the images worker, 0.3 s from now."""
    return resize.apply_async((path, width), countdown=0.3)
