"""Exercise 2 (lesson 2), reference solution: a long task that reports its progress with update_state.

Usage::

    python runner.py check 2 --solutions
"""
import time

from celery import Celery

app = Celery("ex02")
app.config_from_object("classroom.celeryconfig")


@app.task(bind=True)
def count_to(self, total, pause=0.1):
    """Counts to `total`, one number every `pause` seconds."""
    for current in range(1, total + 1):
        time.sleep(pause)
        self.update_state(state="PROGRESS", meta={"current": current, "total": total})
    return {"current": total, "total": total, "status": "done"}
