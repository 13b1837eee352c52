"""Calls the demo's tasks and prints what the worker did. Every wait has a timeout: it never hangs.

Usage::

    # terminal 1, in demos/celery_demo
    celery -A tasks worker -Q celery,fast_queue,slow_queue -c 4 -l info

    # terminal 2, in demos/celery_demo (LANG=zh_CN.UTF-8 for Chinese messages)
    python client.py
"""
import os
import sys
import time

from celery import chain, chord, group
from celery.exceptions import TimeoutError as CeleryTimeout
from kombu.exceptions import OperationalError

from tasks import (add, app, combine_results, long_task, make_thumbnail, mul, process_data, report_daily,
                   send_notification, validate_data, xsum)

TIMEOUT_S = 10          # the longest we wait for any one result
QUEUES = {"celery", "fast_queue", "slow_queue"}
ZH = os.environ.get("LANG", "").lower().startswith("zh")


def say(en, zh):
    print(zh if ZH else en)


def show(label, result, value):
    print(f"{label:<34} -> {value!r}  [{result.state}, {result.worker}, {result.id[:8]}]")


def check_workers():
    """Ask the workers (1 s at most) which queues they consume; stop early if one is missing."""
    replies = app.control.inspect(timeout=1).active_queues() or {}
    consumed = {q["name"] for queues in replies.values() for q in queues}
    if not replies:
        say("No worker answered within 1 s. Start one in another terminal:",
            "1 秒内没有 worker 应答。请在另一个终端里启动一个：")
    elif QUEUES - consumed:
        say(f"No worker consumes {sorted(QUEUES - consumed)}: tasks sent there would wait forever. Restart it with:",
            f"没有 worker 消费 {sorted(QUEUES - consumed)}：发到那里的任务会永远等待。请这样重启它：")
    else:
        return True
    print("    celery -A tasks worker -Q celery,fast_queue,slow_queue -c 4 -l info")
    return False


def follow_progress(result):
    """Poll state and meta until ready, for TIMEOUT_S at most (lesson 2)."""
    deadline, last = time.monotonic() + TIMEOUT_S, None
    while not result.ready() and time.monotonic() < deadline:
        if result.state == "PROGRESS" and result.info != last:
            last = result.info
            print(f"    PROGRESS {last['current']}/{last['total']}")
        time.sleep(0.05)
    return result.get(timeout=1)


def run_all():
    r = add.delay(2, 3)
    show("add(2, 3)", r, r.get(timeout=TIMEOUT_S))

    r = long_task.delay(10, 0.1)
    show("long_task(10)", r, follow_progress(r))

    fast, slow = make_thumbnail.delay(1), report_daily.delay("mon")
    show("make_thumbnail(1) -> fast_queue", fast, fast.get(timeout=TIMEOUT_S))
    show("report_daily('mon') -> slow_queue", slow, slow.get(timeout=TIMEOUT_S))

    r = group(mul.s(i, i) for i in range(1, 5)).apply_async()
    print(f"{'group(mul(i, i))':<34} -> {r.get(timeout=TIMEOUT_S)!r}")
    r = (add.s(2, 2) | mul.s(4) | add.s(1)).apply_async()
    show("add(2, 2) | mul(4) | add(1)", r, r.get(timeout=TIMEOUT_S))
    r = chord(mul.s(i, i) for i in range(1, 5))(xsum.s())
    show("chord(mul(i, i))(xsum)", r, r.get(timeout=TIMEOUT_S))

    workflow = (group(chain(process_data.s(f"batch_{i}"), validate_data.s()) for i in range(3))
                | combine_results.s() | send_notification.s())
    r = workflow.apply_async()
    show("workflow", r, r.get(timeout=TIMEOUT_S))


def main():
    try:
        if not check_workers():
            return 1
        run_all()
    except OperationalError as exc:
        say(f"Cannot reach the broker at {app.conf.broker_url}: {exc}",
            f"无法连接到 {app.conf.broker_url} 上的消息代理：{exc}")
        return 1
    except CeleryTimeout:
        say(f"No result within {TIMEOUT_S} s: is the worker still running? (celery -A tasks inspect ping)",
            f"{TIMEOUT_S} 秒内没有结果：worker 还在运行吗？（celery -A tasks inspect ping）")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
