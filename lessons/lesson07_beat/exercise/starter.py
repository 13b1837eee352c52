"""Exercise 7 (lesson 7): a beat schedule: every 0.3 seconds, and every day at 07:30.

Usage::

    # check it: the checker runs a real beat and a real worker for about 1.5 s
    python runner.py check 7

    # by hand, in two terminals:
    celery -A exercises.ex07_beat worker -l info
    celery -A exercises.ex07_beat beat -l info
"""
import time

from celery import Celery
from celery.schedules import crontab  # noqa: F401 - you will need it

app = Celery("ex07")
app.config_from_object("classroom.celeryconfig")


@app.task
def heartbeat():
    return time.time()


@app.task
def daily_report():
    return "report sent"


app.conf.beat_schedule = {
    # TODO 2: an entry "heartbeat" that runs this module's heartbeat task every 0.3 seconds:
    #         {"task": heartbeat.name, "schedule": 0.3}
    #         添加条目 "heartbeat"，每 0.3 秒运行一次本模块的 heartbeat 任务：{"task": heartbeat.name, "schedule": 0.3}
    # TODO 3: an entry "daily-report" that runs daily_report every day at 07:30: crontab(hour=7, minute=30)
    #         添加条目 "daily-report"，每天 07:30 运行 daily_report：crontab(hour=7, minute=30)
}
