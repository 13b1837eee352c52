"""Exercise 15 (lesson 15), reference solution: a health check and a task that survives a kill.

Stretch: healthy_all(hostnames) asks every worker with one ping.

Usage::

    # check it on real workers (from the repository root)
    python runner.py check 15 --solutions --broker redis
"""
import time

from celery import Celery

app = Celery("ex15")
app.config_from_object("classroom.celeryconfig")


def healthy(hostname):
    """The health check an orchestrator runs: True if the worker `hostname` answers, else False."""
    # Only that worker is asked; replies that come within 2 s are returned (a list, empty if none).
    return bool(app.control.ping(destination=[hostname], timeout=2))


def healthy_all(hostnames):
    """{hostname: answered?} for several workers, with one ping to all of them (about 2 s in all)."""
    replies = app.control.ping(destination=list(hostnames), timeout=2)
    answered = {host for reply in replies for host in reply}
    return {host: host in answered for host in hostnames}


# acks_late: the message is acked when the task ends, so a killed run leaves it to the broker;
# reject_on_worker_lost: when the pool process dies, the worker gives the message back at once.
@app.task(acks_late=True, reject_on_worker_lost=True)
def export_report(name, seconds=0.0):
    """Build the report `name` (here: wait `seconds`) and return where it was written."""
    time.sleep(seconds)
    return f"reports/{name}.pdf"


# A list of replies, one {hostname: {'ok': 'pong'}} per worker that answered: empty when none did.
NOBODY_ANSWERED = []
