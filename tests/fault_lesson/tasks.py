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


@app.task(bind=True, max_retries=1)
def swallowed_retry(self):
    """The trap in lesson 5's "Common problems": a broad except around self.retry() catches Retry."""
    self.backend.client.incr(f"runs:{self.request.id}")      # count the runs (Redis mode)
    try:
        raise self.retry(countdown=0.1)
    except Exception:                  # catches celery.exceptions.Retry too
        return f"attempt {self.request.retries}: swallowed"


@app.task(rate_limit="1/m")
def throttled(x):
    """Held back by its rate limit: the second call waits a minute on the worker."""
    return x
