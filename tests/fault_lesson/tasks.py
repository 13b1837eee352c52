"""Tasks for the fault drills (tests only)."""
import time

from celery import Celery

app = Celery("faults")
app.config_from_object("classroom.celeryconfig")


@app.task
def add(x, y):
    return x + y


@app.task
def sleepy(seconds):
    time.sleep(seconds)
    return seconds


@app.task(ignore_result=True)
def fire_and_forget(x):
    return x


@app.task(time_limit=1, soft_time_limit=0.5)
def limited(seconds):
    time.sleep(seconds)
    return seconds


@app.task
def boom():
    raise ValueError("boom on purpose")
