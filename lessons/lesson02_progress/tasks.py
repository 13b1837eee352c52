"""Lesson 2: progress and task states.

Usage::

    # terminal 1, from the repository root: a worker (Redis on 127.0.0.1:6379 by default)
    celery -A lessons.lesson02_progress.tasks worker -l info

    # terminal 2, from the repository root: start a long job, read its progress half a second later
    python -c "import time; from lessons.lesson02_progress.tasks import long_job; \
r = long_job.delay(10); time.sleep(0.5); print(r.state, r.info)"
"""
import time

from celery import Celery

app = Celery("lesson02")
app.config_from_object("classroom.celeryconfig")


@app.task(bind=True)
def long_job(self, total=10, step_seconds=0.1):
    """Works in `total` steps and stores its progress after each one.

    update_state() writes state + meta to the result backend, where any client can read them with
    AsyncResult(id).state and .info: it calls backend.store_result(), as Celery itself does for STARTED.
    """
    for i in range(total):
        time.sleep(step_seconds)  # one unit of real work
        self.update_state(state="PROGRESS", meta={"current": i + 1, "total": total})
    return {"current": total, "total": total, "status": "done"}


@app.task(track_started=False)
def quiet_job(seconds=0.3):
    """Like any task, but with track_started=False: nobody ever sees it STARTED."""
    time.sleep(seconds)
    return "done"


@app.task(bind=True)
def resize_image(self, name, seconds=0.3):
    """A custom state: any string works, with any JSON meta. ready() stays False while in it."""
    self.update_state(state="RESIZING", meta={"image": name, "width": 1024})
    time.sleep(seconds)
    return {"image": name, "width": 256}


@app.task(ignore_result=True)
def send_welcome_email(user_id):
    """Fire and forget: the worker runs it but stores no state and no result."""
    return f"email sent to user {user_id}"
