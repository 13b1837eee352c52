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
    # TODO 2: an entry "heartbeat" that makes beat send this module's heartbeat task every 0.3
    #         seconds (see lesson 7, step 1).
    #         添加条目 "heartbeat"，让 beat 每 0.3 秒发送一次本模块的 heartbeat 任务（见第 7 课第 1 步）。
    # TODO 3: an entry "daily-report" that sends daily_report every day at 07:30, a wall-clock
    #         schedule (see lesson 7, step 2).
    #         添加条目 "daily-report"，每天 07:30 发送 daily_report，这是按钟表时间的调度（见第 7 课第 2 步）。
}

# TODO 4: predict: one beat with your schedule runs for 1.4 s from a fresh start; how many times
#         does it send heartbeat? Answer with a whole number; the checker counts the real runs
#         (see lesson 7, step 1: when is an interval entry first due?).
#         预测：一个使用你的调度表、刚刚启动的 beat 运行 1.4 秒，会发送多少次 heartbeat？
#         用一个整数回答；检查程序会统计实际的执行次数（见第 7 课第 1 步：按间隔的条目第一次什么时候到期？）。
HEARTBEATS_IN_1_4_S = None

# Stretch (optional, no TODO): a function next_report(after) that returns the datetime at which
# daily-report is next due, strictly after the UTC datetime `after` (lesson 7, step 2).
# 挑战（可选，没有 TODO）：写一个函数 next_report(after)，返回 daily-report 在 UTC 时间 `after` 之后
# 下一次到期的时间（第 7 课第 2 步）。
