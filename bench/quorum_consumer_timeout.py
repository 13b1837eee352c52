"""Lesson 17's note on quorum queues and RabbitMQ's consumer_timeout, measured on the local server.

    python bench/quorum_consumer_timeout.py [--runs 2]

Two prefork workers on quorum queues of a temporary vhost: `topicq` on a topic exchange (Celery 5.5+'s
native delayed delivery: a countdown waits in the broker's celery_delayed_* queues) and `directq` on a
direct exchange (the worker receives the countdown task at once and holds it unacked until its ETA).
Their channels open while the runner's kit has lowered consumer_timeout to 2 s (and the channel tick to
1 s, as lesson 9 does); each gets `add(2, 3)` with countdown=6. Prints when each worker received its task,
whether its channel was closed, and when the result came. The vhost is deleted and the settings restored.
Needs a local RabbitMQ with rabbitmqctl, and Redis on 127.0.0.1:6379 (db 14) for results.
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path

from celery import Celery
from kombu import Exchange, Queue

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

QUORUM = {"x-queue-type": "quorum"}     # task_default_queue_type covers only the queue Celery makes itself
app = Celery("quorum_consumer_timeout", broker=os.environ.get("QQ_URL"), backend="redis://127.0.0.1:6379/14")
app.conf.update(
    task_default_queue_type="quorum", worker_prefetch_multiplier=1, broker_connection_retry_on_startup=False,
    broker_transport_options={"confirm_publish": True},
    task_queues=[Queue("topicq", Exchange("topicx", type="topic"), routing_key="topicq", queue_arguments=QUORUM),
                 Queue("directq", Exchange("directx", type="direct"), routing_key="directq", queue_arguments=QUORUM)],
    task_default_queue="topicq", task_default_exchange="topicx", task_default_exchange_type="topic",
    task_default_routing_key="topicq",
)


@app.task
def add(x, y):
    return x + y


def one_run() -> dict:
    from classroom.lessonkit.server import rabbitmq_setting
    vhost = f"qqct-{uuid.uuid4().hex[:6]}"
    ctl = ["rabbitmqctl", "-q"]
    subprocess.run([*ctl, "add_vhost", vhost], check=True, capture_output=True, timeout=30)
    subprocess.run([*ctl, "set_permissions", "-p", vhost, "guest", ".*", ".*", ".*"], check=True,
                   capture_output=True, timeout=30)
    url = f"amqp://guest:guest@127.0.0.1:5672/{vhost}"
    app.conf.broker_url = os.environ["QQ_URL"] = url
    workers, logs, out = {}, {}, {}
    try:
        with rabbitmq_setting(url, "channel_tick_interval", 1000):
            with rabbitmq_setting(url, "consumer_timeout", 2000):
                for q in ("topicq", "directq"):
                    logs[q] = HERE / f".{vhost}-{q}.log"
                    workers[q] = subprocess.Popen(
                        [sys.executable, "-m", "celery", "-A", "quorum_consumer_timeout", "worker", "-Q", q, "-c", "1",
                         "-n", f"{q}@%h", "--loglevel", "INFO"], cwd=HERE, env=dict(os.environ),
                        stdout=logs[q].open("w"), stderr=subprocess.STDOUT)
                deadline = time.monotonic() + 40
                while time.monotonic() < deadline and len(app.control.ping(timeout=1) or []) < 2:
                    pass
            sent = time.time()
            results = {"topicq": add.apply_async((2, 3), countdown=6, queue="topicq"),
                       "directq": add.apply_async((2, 3), countdown=6, queue="directq", exchange="directx",
                                                  routing_key="directq")}
            for q, result in results.items():
                try:
                    value = result.get(timeout=12 if q == "topicq" else 4)
                    out[q] = {"result": value, "result_s": round(time.time() - sent, 2)}
                except Exception as exc:                      # the direct one: its worker has exited
                    out[q] = {"result": type(exc).__name__}
    finally:
        for proc in workers.values():
            if proc.poll() is None:
                proc.terminate()
        for q, proc in workers.items():
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
            text = logs[q].read_text()
            logs[q].unlink()
            stamps = {what: re.search(rf"\[(\d+-\d+-\d+ [\d:,]+): \w+/MainProcess\] {pat}", text)
                      for what, pat in (("received", r"Task .*\] received"), ("closed", "Unrecoverable error"))}
            for what, found in stamps.items():
                if found:
                    at = time.mktime(time.strptime(found.group(1).split(",")[0], "%Y-%m-%d %H:%M:%S"))
                    out.setdefault(q, {})[f"{what}_s"] = round(at + int(found.group(1).split(",")[1]) / 1000 - sent, 2)
            out.setdefault(q, {})["exit_code"] = proc.returncode
        subprocess.run([*ctl, "delete_vhost", vhost], capture_output=True, timeout=30)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:                      # one run per process: the app's connections belong to one vhost
        for q, seen in one_run().items():
            print(f"{q:8} {seen}", flush=True)
        return
    for number in range(1, args.runs + 1):
        print(f"run {number}", flush=True)
        subprocess.run([sys.executable, __file__, "--one"], timeout=150)


if __name__ == "__main__":
    main()
