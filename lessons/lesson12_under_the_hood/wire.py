"""Reading the broker itself: a message split into headers/properties/body, the result key, the Redis
keys of this run and what made each one, RabbitMQ queue depth by a passive declare."""
from __future__ import annotations

import json

from classroom.runtime import bounds, waits

from .measure import prefix

# Which setting (or call) makes each kind of key; the lesson prints it beside the key. The first prefix
# that a key starts with wins, so the longer prefixes ("unacked_index") come before "unacked".
SETTINGS = {
    "unacked_index": {"en": "delivery time of each unacked tag: what visibility_timeout is measured from",
                      "zh": "每个未确认投递标签的投递时间：visibility_timeout 从这里开始计时"},
    "unacked_mutex": {"en": "held by the worker that restores expired unacked messages",
                      "zh": "由正在把超时的未确认消息放回队列的 worker 持有"},
    "unacked": {"en": "delivered, not yet acked (acks_late, prefetch); restored after visibility_timeout",
                "zh": "已投递、尚未确认（acks_late、预取）；超过 visibility_timeout 后放回队列"},
    "_kombu.binding_deadlines": {"en": "deadline of each exchange's bindings to expiring queues: swept unless "
                                       "a consumer refreshes them (kombu >= 5.7)",
                                 "zh": "各交换机到会过期的队列的绑定的截止时间：没有消费者续期就会被清理（kombu >= 5.7）"},
    "_kombu.binding.": {"en": "exchange → queue bindings: task_queues, queue=, task_create_missing_queues",
                        "zh": "交换机 → 队列的绑定：task_queues、queue=、task_create_missing_queues"},
    "_kombu.binding_permanent.": {"en": "bindings of queues without x-expires (kombu >= 5.7)",
                                  "zh": "没有 x-expires 的队列的绑定（kombu >= 5.7）"},
    "queue": {"en": "a queue: task_default_queue / task_queues / apply_async(queue=)",
              "zh": "一个队列：task_default_queue / task_queues / apply_async(queue=)"},
}
NONE = {"en": "", "zh": ""}


def split(message) -> tuple[dict, dict, object]:
    """A kombu Message as three parts: the task headers, the AMQP-style properties, the decoded body."""
    headers = dict(message.headers or {})
    properties = {k: v for k, v in (message.properties or {}).items()
                  if k not in ("application_headers", "delivery_info")}
    properties.update(content_type=message.content_type, content_encoding=message.content_encoding)
    return headers, properties, json.loads(message.body)


def result_key(app, task_id: str) -> dict:
    """The backend's key for this result, its TTL and stored fields (Redis); other backends say why not."""
    backend = app.backend
    key = backend.get_key_for_task(task_id).decode() if hasattr(backend, "get_key_for_task") else None
    client = getattr(backend, "client", None)
    if key and hasattr(client, "ttl"):
        ttl = client.ttl(key)
        meta = json.loads(client.get(key) or "{}")
        fields = {k: meta.get(k) for k in ("status", "result", "name", "args", "worker", "date_done") if k in meta}
        return {"key": key, "ttl_s": ttl, "meta": fields,
                "say": {"en": f"{key}: TTL {ttl} s, {json.dumps(fields, default=str)[:160]}",
                        "zh": f"{key}：TTL {ttl} 秒，{json.dumps(fields, default=str)[:160]}"}}
    kind = type(backend).__name__
    return {"key": key, "ttl_s": None, "meta": {},
            "say": {"en": f"the {kind} keeps results without a key to read here (Redis shows one: --broker redis)",
                    "zh": f"{kind} 保存结果时没有可以在这里读取的键（Redis 上能看到：--broker redis）"}}


def broker_keys(app) -> list[dict]:
    """Every Redis key of this run (SCAN <prefix>*), its type and size, and the setting behind it."""
    import redis
    pre = prefix(app)
    client = redis.Redis.from_url(app.conf.broker_url, socket_timeout=bounds.BROKER_SOCKET_S)
    rows = []
    try:
        for raw in sorted(client.scan_iter(match=f"{pre}*", count=500)):
            key = raw.decode()
            name, kind = key[len(pre):], client.type(raw).decode()
            row = {"key": key, "name": name, "type": kind}
            if kind == "list":
                row["size"] = client.llen(raw)
                row["what"] = {"en": f"list, {row['size']} message(s)", "zh": f"列表，{row['size']} 条消息"}
            elif kind == "hash":
                row["size"] = client.hlen(raw)
                row["tags"] = [json.loads(v)[0]["headers"].get("id") for v in client.hvals(raw)]
                row["what"] = {"en": f"hash, {row['size']} entr(ies)", "zh": f"哈希，{row['size']} 项"}
            elif kind == "zset":
                row["size"] = client.zcard(raw)
                row["what"] = {"en": f"sorted set, {row['size']}", "zh": f"有序集合，{row['size']} 项"}
            elif kind == "set":
                members = [m.decode().replace("\x06\x16", "|") for m in client.smembers(raw)]
                row["size"], row["members"] = len(members), sorted(members)
                row["what"] = {"en": f"set {sorted(members)[:3]}", "zh": f"集合 {sorted(members)[:3]}"}
            else:
                row["size"], row["what"] = None, {"en": kind, "zh": kind}
            row["setting"] = next((text for start, text in SETTINGS.items() if name.startswith(start)),
                                  SETTINGS["queue"] if kind == "list" else NONE)
            rows.append(row)
    finally:
        client.close()
    return rows


def passive_depth(app, queues: list[str]) -> list[dict]:
    """queue_declare(passive=True) for each queue: (ready messages, consumers), or the broker's refusal."""
    rows = []
    with app.connection_for_read() as conn:
        for name in queues:
            channel = conn.channel()                    # a refused passive declare closes its channel
            try:
                _, messages, consumers = waits.call_with_deadline(
                    lambda: channel.queue_declare(queue=name, passive=True), bounds.BROKER_SOCKET_S)
                rows.append({"key": name, "name": name, "messages": messages, "consumers": consumers,
                             "what": {"en": f"{messages} ready, {consumers} consumer(s)",
                                      "zh": f"{messages} 条就绪，{consumers} 个消费者"},
                             "setting": SETTINGS["queue"]})
            except Exception as exc:                    # 404 NOT_FOUND: the queue does not exist
                rows.append({"key": name, "name": name, "messages": None, "consumers": None,
                             "what": {"en": f"{type(exc).__name__}: {str(exc)[:70]}", "zh": f"{type(exc).__name__}: {str(exc)[:70]}"},
                             "setting": {"en": "passive=True never creates", "zh": "passive=True 从不创建队列"}})
            finally:
                try:
                    channel.close()
                except Exception:
                    pass
    return rows
