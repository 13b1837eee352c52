"""Lesson 7: beat, the scheduler that sends periodic tasks.

Usage::

    # terminal 1, from the repository root: a worker runs the tasks
    celery -A lessons.lesson07_beat.tasks worker -l info

    # terminal 2: beat only sends them on schedule (run ONE beat per schedule, never two).
    # -s: where beat keeps its schedule file (default: ./celerybeat-schedule)
    celery -A lessons.lesson07_beat.tasks beat -l info -s /tmp/celerybeat-schedule
"""
from datetime import timedelta

from celery import Celery
from celery.schedules import crontab

app = Celery("lesson07")
app.config_from_object("classroom.celeryconfig")


@app.task
def tick():
    return f"tick at {app.now():%H:%M:%S}"


@app.task
def report(kind):
    return f"{kind} report at {app.now():%H:%M:%S}"


@app.task
def heartbeat(service):
    return f"{service} is alive at {app.now():%H:%M:%S}"


@app.task
def cleanup():
    return "old files removed"


# Connected before anything reads the configuration: Celery calls it once the app is configured,
# and the entry joins beat_schedule (useful when the task and the schedule live together).
@app.on_after_configure.connect
def setup_periodic_tasks(sender, **kwargs):
    sender.add_periodic_task(2.0, heartbeat.s("database"), name="heartbeat-every-2-seconds")


app.conf.beat_schedule = {
    # A number: every that many seconds (real schedules are minutes or hours; this is a lesson).
    "tick-every-second": {"task": "lessons.lesson07_beat.tasks.tick", "schedule": 1.0},
    # A timedelta says the same thing more readably: every 1.5 seconds.
    "report-every-1.5-seconds": {
        "task": "lessons.lesson07_beat.tasks.report",
        "schedule": timedelta(seconds=1.5),
        "args": ("sales",),
    },
    # crontab: wall-clock times, like cron. Every 15 minutes: 00, 15, 30 and 45 past each hour.
    "cleanup-every-15-minutes": {"task": "lessons.lesson07_beat.tasks.cleanup", "schedule": crontab(minute="*/15")},
}
# crontab times are read in this timezone; enable_utc keeps messages and ETAs in UTC.
app.conf.timezone = "Asia/Shanghai"
app.conf.enable_utc = True
