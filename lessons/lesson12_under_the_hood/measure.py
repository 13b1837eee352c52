"""The benchmark's tiers, from the raw broker up to tuned Celery: each sends `n` messages and waits
until all of them have been consumed (or run), and returns what it measured.

Used by step 3 of the lesson (small sizes) and by bench/bench_wire.py (larger ones). Every wait is
bounded; every queue a tier declares is deleted before it returns.
"""
from __future__ import annotations

import time
from contextlib import nullcontext

from kombu import Connection, Consumer, Producer, Queue

from classroom.lessonkit import bounds

PAYLOAD = b'{"i": 0, "pad": "' + b"x" * 80 + b'"}'     # about the size of a small task's body


def rate(name: str, count: int, seconds: float, unit: str = "msgs") -> dict:
    return {"tier": name, "count": count, "seconds": round(seconds, 4),
            "rate": round(count / seconds, 1) if seconds > 0 else 0.0, "unit": unit}


def prefix(app) -> str:
    """The run's Redis key prefix (the runner sets global_keyprefix so that runs never collide)."""
    return (app.conf.broker_transport_options or {}).get("global_keyprefix", "")


def raw_broker(app, n: int, name: str = "bench.raw") -> dict:
    """Redis: redis-py LPUSH then BRPOP, one command each. RabbitMQ: py-amqp basic_publish, basic_get."""
    url = app.conf.broker_url
    if url.startswith(("redis://", "rediss://")):
        import redis
        client = redis.Redis.from_url(url, socket_timeout=bounds.BROKER_SOCKET_S)
        key = prefix(app) + name
        try:
            began = time.perf_counter()
            for _ in range(n):
                client.lpush(key, PAYLOAD)
            got = sum(1 for _ in range(n) if client.brpop(key, timeout=bounds.BROKER_SOCKET_S))
            took = time.perf_counter() - began
        finally:
            client.delete(key)
            client.close()
        return rate("raw broker", got, took)
    import amqp
    with Connection(url, connect_timeout=bounds.BROKER_CONNECT_S) as conn:
        channel = conn.connection.channel()          # py-amqp's own channel, under kombu
        channel.queue_declare(name, durable=False, auto_delete=False)
        try:
            began = time.perf_counter()
            for _ in range(n):
                channel.basic_publish(amqp.Message(PAYLOAD), exchange="", routing_key=name)
            got, deadline = 0, time.monotonic() + bounds.RESULT_S
            while got < n and time.monotonic() < deadline:
                got += channel.basic_get(name, no_ack=True) is not None
            took = time.perf_counter() - began
        finally:
            channel.queue_delete(name)
            channel.close()
    return rate("raw broker", got, took)


def kombu_roundtrip(app, n: int, name: str = "bench.kombu") -> dict:
    """kombu Producer.publish (JSON, one by one), then a Consumer drains them all."""
    with app.connection_for_write() as conn:
        queue = Queue(name, routing_key=name, auto_delete=False, durable=False)
        channel = conn.channel()
        queue(channel).declare()
        got = []
        try:
            producer = Producer(channel)
            began = time.perf_counter()
            for i in range(n):
                producer.publish({"i": i}, routing_key=name, serializer="json")
            with Consumer(channel, [queue], callbacks=[lambda body, message: (got.append(1), message.ack())],
                          accept=["json"], prefetch_count=100):
                deadline = time.monotonic() + bounds.RESULT_S
                while len(got) < n and time.monotonic() < deadline:
                    try:
                        conn.drain_events(timeout=min(bounds.BROKER_SOCKET_S, max(deadline - time.monotonic(), 0.01)))
                    except TimeoutError:
                        break
            took = time.perf_counter() - began
        finally:
            queue(channel).delete()
            channel.close()
    return rate("kombu", len(got), took)


def _wait_mark(app, sent_mark) -> None:
    sent_mark.get(timeout=bounds.RESULT_S)
    sent_mark.forget()


def celery_no_result(app, noop, mark, n: int, queue: str | None = None) -> dict:
    """noop.delay() n times (ignore_result=True), then one `mark` whose result says the burst has run."""
    began = time.perf_counter()
    for i in range(n):
        noop.apply_async((i,), queue=queue)
    sent = time.perf_counter() - began
    _wait_mark(app, mark.apply_async(queue=queue))
    return {**rate("celery", n, time.perf_counter() - began), "send_s": round(sent, 4)}


def celery_get_each(app, task, n: int) -> dict:
    """delay() then get() for each task in turn: a round trip through the worker and the result backend."""
    ids = []
    began = time.perf_counter()
    for i in range(n):
        result = task.delay(i)
        result.get(timeout=bounds.RESULT_S)
        ids.append(result)
    took = time.perf_counter() - began
    for result in ids:
        result.forget()                       # no celery-task-meta-* keys left after the run
    return rate("get() each", n, took)


def celery_batch(app, noop, mark, n: int, queue: str) -> dict:
    """All n on one producer (one connection), buffered by kombu's Producer.batch() where the transport
    has it (Redis, kombu >= 5.7: the LPUSHes go in one pipeline); then the mark."""
    began = time.perf_counter()
    with app.producer_or_acquire() as producer:
        batch = producer.batch() if hasattr(producer, "batch") else nullcontext()
        with batch:
            for i in range(n):
                noop.apply_async((i,), queue=queue, producer=producer)
    sent = time.perf_counter() - began
    _wait_mark(app, mark.apply_async(queue=queue))
    return {**rate("batch", n, time.perf_counter() - began), "send_s": round(sent, 4),
            "batched": hasattr(producer, "batch") and producer.supports_batch_publish}


def celery_tuned(app, worker: str, noop, mark, n: int, queue: str) -> dict:
    """The tuned tier: a worker with a deep prefetch, its task events off while it runs, and the burst
    sent on one producer in a batch (ignore_result is on the task already)."""
    control = dict(destination=[worker], reply=True, timeout=bounds.INSPECT_S)
    app.control.disable_events(**control)
    try:
        return {**celery_batch(app, noop, mark, n, queue), "tier": "tuned"}
    finally:
        app.control.enable_events(**control)


def best_of(tiers: dict, rounds: int) -> dict:
    """Every tier once per round, `rounds` times, interleaved: a burst of load on a shared machine slows
    one round of one tier, not all of them. Each tier keeps its best round, plus the spread."""
    seen: dict = {name: [] for name in tiers}
    for _ in range(rounds):
        for name, tier in tiers.items():
            seen[name].append(tier())
    best = {}
    for name, runs in seen.items():
        best[name] = {**max(runs, key=lambda r: r["rate"]), "rates": [r["rate"] for r in runs],
                      "count": sum(r["count"] for r in runs)}
        if "send_s" in runs[0]:              # the client's side alone: its fastest round
            best[name]["send_s"] = min(r["send_s"] for r in runs)
    return best


def celery_chunks(app, noop, n: int, size: int, queue: str) -> dict:
    """noop.chunks(): n calls in n/size messages; each message runs `size` calls in a worker process."""
    began = time.perf_counter()
    group = noop.chunks(((i,) for i in range(n)), size).apply_async(queue=queue)
    for result in group.results:
        result.get(timeout=bounds.RESULT_S)
    took = time.perf_counter() - began
    for result in group.results:
        result.forget()
    return rate("chunks", n, took, unit="calls")


def tasks_run(app, worker: str) -> dict:
    """How many tasks of each name `worker` has accepted since it started (inspect stats: 'total')."""
    replies = app.control.inspect(destination=[worker], timeout=bounds.INSPECT_S).stats() or {}
    return dict(replies.get(worker, {}).get("total", {}))
