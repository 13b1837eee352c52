"""Reading the broker itself: a message split into headers/properties/body, the result key, the Redis
keys of this run, and RabbitMQ queues by a passive declare. Facts only: the lesson's words about them
are in steps.toml."""
from __future__ import annotations

import json

from classroom.lessonkit import bounded, bounds

from .measure import prefix


def split(message) -> tuple[dict, dict, object]:
    """A kombu Message as three parts: the task headers, the AMQP-style properties, the decoded body."""
    headers = dict(message.headers or {})
    properties = {k: v for k, v in (message.properties or {}).items()
                  if k not in ("application_headers", "delivery_info")}
    properties.update(content_type=message.content_type, content_encoding=message.content_encoding)
    return headers, properties, json.loads(message.body)


def result_key(app, task_id: str) -> dict:
    """The backend's key for this result, its TTL and stored fields (a Redis backend; others: ttl_s None)."""
    backend = app.backend
    key = backend.get_key_for_task(task_id).decode() if hasattr(backend, "get_key_for_task") else None
    client = getattr(backend, "client", None)
    if key and hasattr(client, "ttl"):
        meta = json.loads(client.get(key) or "{}")
        fields = {k: meta.get(k) for k in ("status", "result", "name", "args", "worker", "date_done") if k in meta}
        return {"key": key, "ttl_s": client.ttl(key), "meta": fields, "kind": type(backend).__name__}
    return {"key": key, "ttl_s": None, "meta": {}, "kind": type(backend).__name__}


def broker_keys(app) -> list[dict]:
    """Every Redis key of this run (SCAN <prefix>*): its name without the prefix, type and size."""
    import redis
    pre = prefix(app)
    client = redis.Redis.from_url(app.conf.broker_url, socket_timeout=bounds.BROKER_SOCKET_S)
    rows = []
    try:
        for raw in sorted(client.scan_iter(match=f"{pre}*", count=500)):
            key = raw.decode()
            row = {"key": key, "name": key[len(pre):], "type": client.type(raw).decode(), "size": None}
            if row["type"] == "list":
                row["size"] = client.llen(raw)
            elif row["type"] == "hash":
                row["size"] = client.hlen(raw)
                row["tags"] = [json.loads(v)[0]["headers"].get("id") for v in client.hvals(raw)]
            elif row["type"] == "zset":
                row["size"] = client.zcard(raw)
            elif row["type"] == "set":
                row["members"] = sorted(m.decode().replace("\x06\x16", "|") for m in client.smembers(raw))
                row["size"] = len(row["members"])
            rows.append(row)
    finally:
        client.close()
    return rows


def passive_depth(app, queues: list[str]) -> list[dict]:
    """queue_declare(passive=True) for each queue: ready messages and consumers, or the broker's refusal.
    (The kit's run.queue_depth asks the same, but says neither the consumers nor the refusal.)"""
    rows = []
    with app.connection_for_read() as conn:
        for name in queues:
            channel = conn.channel()                    # a refused passive declare closes its channel
            try:
                _, messages, consumers = bounded(lambda: channel.queue_declare(queue=name, passive=True),
                                                 bounds.BROKER_SOCKET_S)
                rows.append({"name": name, "messages": messages, "consumers": consumers, "error": None})
            except Exception as exc:                    # 404 NOT_FOUND: the queue does not exist
                rows.append({"name": name, "messages": None, "consumers": None,
                             "error": f"{type(exc).__name__}: {str(exc)[:100]}"})
            finally:
                try:
                    channel.close()
                except Exception:
                    pass
    return rows
