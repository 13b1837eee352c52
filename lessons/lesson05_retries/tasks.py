"""Lesson 5: retries and error handling.

Usage::

    # terminal 1, from the repository root: a worker (Redis on 127.0.0.1:6379 by default).
    # Time limits need the prefork pool (the default on Linux/macOS), not -P threads or solo.
    celery -A lessons.lesson05_retries.tasks worker -l info

    # terminal 2: a task that fails twice, then succeeds; watch terminal 1 log each retry
    python -c "from lessons.lesson05_retries.tasks import fetch; print(fetch.delay('https://example.com').get(timeout=10))"
"""
import time

from celery import Celery, Task
from celery.exceptions import SoftTimeLimitExceeded
from celery.utils.log import get_task_logger

app = Celery("lesson05")
app.config_from_object("classroom.celeryconfig")
logger = get_task_logger(__name__)


@app.task(bind=True, max_retries=3)
def fetch(self, url, fail_times=2):
    """Like a flaky server: the first `fail_times` attempts fail, then it answers."""
    try:
        if self.request.retries < fail_times:       # self.request.retries: 0 on the first attempt
            raise ConnectionError(f"{url} did not answer")
        return f"{url}: 200 OK after {self.request.retries} retries"
    except ConnectionError as exc:
        # raise: retry() raises Retry, which ends this attempt; the worker re-sends the task.
        raise self.retry(exc=exc, countdown=0.3)


@app.task(bind=True, autoretry_for=(ConnectionError,), retry_backoff=1, retry_backoff_max=2,
          retry_jitter=False, retry_kwargs={"max_retries": 2})
def sync_account(self, account_id, fail_times=2):
    """autoretry_for: no try/except needed. Waits 1 s, then 2 s (doubling, capped at 2 s)."""
    if self.request.retries < fail_times:
        raise ConnectionError(f"account service busy (attempt {self.request.retries + 1})")
    return f"account {account_id} synced"


@app.task(bind=True, max_retries=2)
def charge(self, order_id):
    """Always fails: after max_retries the original exception ends the task in FAILURE."""
    try:
        raise ConnectionError(f"payment gateway down for order {order_id}")
    except ConnectionError as exc:
        raise self.retry(exc=exc, countdown=0.1)


class CallbackTask(Task):
    """A base class: its hooks run in the worker after each attempt of every task that uses it."""

    def on_success(self, retval, task_id, args, kwargs):
        logger.info("CallbackTask.on_success %s: %r", task_id, retval)

    def on_retry(self, exc, task_id, args, kwargs, einfo):
        logger.warning("CallbackTask.on_retry %s: %r", task_id, exc)

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        logger.error("CallbackTask.on_failure %s: %r", task_id, exc)


@app.task(base=CallbackTask, bind=True, max_retries=1)
def send_report(self, fail_times=1):
    if self.request.retries < fail_times:
        raise self.retry(exc=ConnectionError("mail server busy"), countdown=0.1)
    return "report sent"


@app.task
def report_error(request, exc, traceback):
    """An errback for link_error: the worker calls it with the failed task's request and exception."""
    logger.error("report_error: task %s failed with %r", request.id, exc)


@app.task(soft_time_limit=0.5, time_limit=1.5)
def crunch(seconds):
    """Soft limit: SoftTimeLimitExceeded is raised inside the task, which can clean up and return."""
    started = time.monotonic()
    try:
        time.sleep(seconds)                          # the long work
        return "finished"
    except SoftTimeLimitExceeded:
        # close files, release locks, save partial work... then end normally
        return f"stopped after {time.monotonic() - started:.1f} s by the soft limit, cleaned up"


@app.task(time_limit=0.5)
def stuck(seconds):
    """Hard limit only: at 0.5 s the worker kills the process running it (no cleanup possible)."""
    time.sleep(seconds)
    return "finished"


def _network_drops_first_reply(task):
    # The work is done, but the reply is "lost" on the first attempt, so the task is retried.
    if task.request.retries == 0:
        raise task.retry(exc=ConnectionError("reply lost"), countdown=0.1)


@app.task(bind=True, max_retries=1)
def record_payment(self, ledger, order_id, amount):
    """NOT idempotent: every attempt appends a line, so a retry pays twice."""
    with open(ledger, "a", encoding="utf-8") as fh:
        fh.write(f"{order_id} {amount}\n")
    _network_drops_first_reply(self)
    return "recorded"


@app.task(bind=True, max_retries=1)
def record_payment_once(self, ledger, order_id, amount):
    """Idempotent: the order id is a key; an attempt that finds it already written does nothing."""
    with open(ledger, "a+", encoding="utf-8") as fh:
        fh.seek(0)
        if not any(line.split()[0] == order_id for line in fh if line.strip()):
            fh.write(f"{order_id} {amount}\n")
    _network_drops_first_reply(self)
    return "recorded"
