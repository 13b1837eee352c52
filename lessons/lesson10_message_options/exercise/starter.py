"""Exercise 10 (lesson 10): priority numbers that work on your broker.

Usage::

    # check it on a real worker (from the repository root); try both brokers
    python runner.py check 10 --broker redis
    python runner.py check 10 --broker rabbitmq

Stretch (optional, no TODO): make the task `alert` run ahead of bulk and normal jobs on either broker
without the caller passing a priority.
附加挑战（可选，没有 TODO）：让任务 `alert` 在两种消息代理上都排在批量和普通任务前面，
而调用方不必传入优先级。
"""
import time

from celery import Celery
from kombu import Queue

app = Celery("ex10")
app.config_from_object("classroom.celeryconfig")
app.conf.task_default_queue = "jobs"

# TODO 2: RabbitMQ must order this queue by priority (numbers 0 to 10): declare it so
#         (see lesson 10, step 1). Redis ignores this; the lesson's priority_steps setting does it there.
#         RabbitMQ 必须按优先级（0 到 10）排序这个队列：照此声明它（见第 10 课第 1 步）。
#         Redis 会忽略这一点；在 Redis 上起作用的是本课的 priority_steps 设置。
app.conf.task_queues = [Queue("jobs", routing_key="jobs", auto_delete=True)]


@app.task
def busy(seconds):
    """The checker keeps the one worker process busy with this, so that jobs queue up behind it."""
    time.sleep(seconds)


@app.task
def job(label):
    return label


@app.task
def alert(label):
    return label


# TODO 3: urgent jobs must run before normal ones and normal before bulk, on the broker this app
#         uses (app.conf.broker_url): return the right three numbers (see lesson 10, step 1).
#         在本 app 使用的消息代理（app.conf.broker_url）上，紧急任务要先于普通任务、普通任务先于批量任务：
#         返回正确的三个数字（见第 10 课第 1 步）。
def priorities():
    """The priority numbers for urgent, normal and bulk jobs on this app's broker."""
    return {"urgent": 9, "normal": 5, "bulk": 1}      # what the old tutorial says


# TODO 4: a question: a job sent with no priority at all, and one sent with priority 5, wait behind
#         a busy worker. Which runs first? Write "before" or "after" (the one without a priority
#         runs ... the one with 5) for each broker (see lesson 10, step 1).
#         问题：一个完全不带优先级的任务和一个优先级为 5 的任务，排在忙碌的 worker 后面。哪个先执行？
#         为每种消息代理写 "before" 或 "after"（不带优先级的那个在优先级 5 的那个之前/之后执行）（见第 10 课第 1 步）。
NO_PRIORITY_VS_5 = {"redis": None, "rabbitmq": None}
