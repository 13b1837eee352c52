"""The tasks of the Celery Classroom lessons, in one conventional module.

Usage::

    # terminal 1, in demos/celery_demo: a worker for every queue the demo uses
    celery -A tasks worker -Q celery,fast_queue,slow_queue -c 4 -l info

    # terminal 2, in demos/celery_demo: every call has a timeout, so this never hangs
    python client.py
"""
import time

from celery import Celery

app = Celery("tasks")
app.config_from_object("celeryconfig")


# Lesson 1: basic tasks
@app.task
def add(x, y):
    return x + y


@app.task
def mul(x, y):
    return x * y


@app.task
def xsum(numbers):
    return sum(numbers)


# Lesson 2: progress, reported with update_state
@app.task(bind=True)
def long_task(self, total=10, step_seconds=0.1):
    for i in range(total):
        time.sleep(step_seconds)
        self.update_state(state="PROGRESS", meta={"current": i + 1, "total": total})
    return {"current": total, "total": total, "status": "done"}


# Lesson 3: routed by celeryconfig.task_routes
@app.task
def make_thumbnail(image_id, seconds=0.1):
    time.sleep(seconds)
    return f"thumbnail {image_id}"


@app.task
def report_daily(day, seconds=0.4):
    time.sleep(seconds)
    return f"daily report {day}"


# Lesson 4: the tasks of the canvas workflow
@app.task
def process_data(batch, seconds=0.2):
    time.sleep(seconds)
    return {"batch": batch, "rows": 100 * (int(batch.rsplit("_", 1)[1]) + 1)}


@app.task
def validate_data(data):
    return {**data, "valid": data["rows"] > 0}


@app.task
def combine_results(results):
    return {"batches": [r["batch"] for r in results], "rows": sum(r["rows"] for r in results),
            "valid": all(r["valid"] for r in results)}


@app.task
def send_notification(summary):
    return f"report ready: {summary['rows']} rows from {len(summary['batches'])} batches"
