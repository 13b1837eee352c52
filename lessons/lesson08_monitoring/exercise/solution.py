"""Exercise 8 (lesson 8): find the runaway task with inspect, stop it, and prove the others finished.

Usage::

    # check it on real workers (from the repository root)
    python runner.py check 8 --broker redis

Stretch (optional): make find_runaway answer in under 0.5 s, however long its timeout.
附加挑战（可选）：让 find_runaway 在 0.5 秒内给出答案，无论它的超时设得多长。
"""
import time

from celery import Celery

app = Celery("ex08")
app.config_from_object("classroom.celeryconfig")


@app.task
def job(item, seconds):
    """Process one item; one of them, given bad data, takes far too long."""
    time.sleep(seconds)
    return item


def find_runaway(app, workers):
    """The id of the task that has been running the longest on these workers."""
    # limit= returns as soon as every named worker replied (the stretch), timeout= bounds the wait.
    active = app.control.inspect(destination=workers, timeout=1.0, limit=len(workers)).active() or {}
    running = [task for tasks in active.values() for task in tasks]
    return min(running, key=lambda task: task["time_start"])["id"]


def stop(app, task_id):
    """Stop that task now, while it runs."""
    app.control.revoke(task_id, terminate=True, signal="SIGTERM")


def others_finished(results, runaway_id):
    """{id: state} of every result except the runaway, once each is done (bounded waits)."""
    states = {}
    for result in results:
        if result.id != runaway_id:
            result.get(timeout=5)
            states[result.id] = result.state
    return states


# revoke() adds the id to each worker's revoked set, and a worker that holds the task without
# running it also stores REVOKED in the result backend at once (Celery 5.7, celery/worker/control.py
# _revoke): the state is REVOKED within milliseconds, long before the ETA; the message is discarded then.
STATE_RIGHT_AFTER_REVOKE = "REVOKED"
