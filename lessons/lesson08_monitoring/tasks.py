"""Lesson 8: see and steer a running cluster.

Usage::

    # terminal 1 and 2, from the repository root: two workers with names, sending events (-E)
    celery -A lessons.lesson08_monitoring.tasks worker -l info -n worker1@%h -E -c 1
    celery -A lessons.lesson08_monitoring.tasks worker -l info -n worker2@%h -E -c 1

    # terminal 3: who is there, what do they hold?
    celery -A lessons.lesson08_monitoring.tasks inspect ping --timeout 1
    celery -A lessons.lesson08_monitoring.tasks inspect active --timeout 1
    celery -A lessons.lesson08_monitoring.tasks inspect reserved --timeout 1

    # steer them: consume one more queue, grow the pool, stop a task, stop one worker
    celery -A lessons.lesson08_monitoring.tasks control add_consumer reports --destination=worker2@$(hostname)
    celery -A lessons.lesson08_monitoring.tasks control pool_grow 1 --destination=worker1@$(hostname)
    celery -A lessons.lesson08_monitoring.tasks control revoke <task-id>
    celery -A lessons.lesson08_monitoring.tasks control shutdown --destination=worker2@$(hostname)

    # watch it live: the course's dashboard, Celery's own curses monitor, or Flower in a browser
    python runner.py top --broker redis
    celery -A lessons.lesson08_monitoring.tasks events
    python runner.py flower --broker redis
"""
import time

from celery import Celery

app = Celery("lesson08")
app.config_from_object("classroom.celeryconfig")
# The "reports" queue exists, but no worker consumes it at start: add_consumer changes that at run time.
app.conf.task_routes = {"lessons.lesson08_monitoring.tasks.report": {"queue": "reports"}}


@app.task
def add(x, y):
    return x + y


@app.task
def work(seconds):
    """Busy for `seconds`: long enough to be seen in `inspect active`."""
    time.sleep(seconds)
    return seconds


@app.task(bind=True)
def runaway(self, seconds):
    """A task that would run far too long: it reports how far it got, so a stop mid-way is visible."""
    steps = int(seconds / 0.05)
    for i in range(steps):
        self.update_state(state="PROGRESS", meta={"done": i, "of": steps})
        time.sleep(0.05)
    return steps


@app.task
def report(n):
    """Routed to the "reports" queue (task_routes above)."""
    time.sleep(0.05)
    return f"report {n}"
