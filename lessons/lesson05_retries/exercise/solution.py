"""Exercise 5 (lesson 5), reference solution: retry a task when a service is down.

Usage::

    python runner.py check 5 --solutions

Stretch: fetch_or_offline falls back to an answer once its retries are used up.
"""
from celery import Celery

app = Celery("ex05")
app.config_from_object("classroom.celeryconfig")


def flaky_service(attempt):
    """A pretend remote service: down for attempts 0 and 1, it answers from attempt 2 on."""
    if attempt < 2:
        raise ConnectionError(f"service down (attempt {attempt})")
    return "pong"


@app.task(bind=True)
def fetch(self):
    """self.request.retries counts the retries so far: 0 on the first run."""
    attempt = self.request.retries
    try:
        answer = flaky_service(attempt)
    except ConnectionError as exc:
        raise self.retry(exc=exc, countdown=0.1, max_retries=3)
    return f"{answer} after {attempt} retries"


@app.task(bind=True, autoretry_for=(ConnectionError,), retry_kwargs={"max_retries": 3, "countdown": 0.1})
def fetch_auto(self):
    attempt = self.request.retries
    return f"{flaky_service(attempt)} after {attempt} retries"


@app.task(bind=True, autoretry_for=(ConnectionError,), retry_kwargs={"max_retries": 2, "countdown": 0.1})
def always_down(self):
    raise ConnectionError(f"service down (attempt {self.request.retries})")


# The first run (retries 0) and two retries (1, 2): the service answers on the third run.
FETCH_RUNS = 3


@app.task(bind=True, max_retries=2)
def fetch_or_offline(self):
    """Stretch: retry twice, then give a fallback answer instead of a FAILURE."""
    try:
        raise ConnectionError(f"service down (attempt {self.request.retries})")
    except ConnectionError as exc:
        if self.request.retries >= self.max_retries:
            return f"offline after {self.request.retries} retries"
        raise self.retry(exc=exc, countdown=0.1)
