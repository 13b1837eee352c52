"""What lesson 12's report must show on a real worker (the message's headers and body, the broker's keys or
queue depths, the benchmark's measured tiers, msgpack vs JSON, pickle refused with nothing run).

tests/test_lessons.py plays the lesson in every mode and calls check(report, mode); the step count,
exit code, skips and "nothing left behind" are checked there for every lesson alike.
"""
from classroom.lessonkit import report_step as step

SKIPPED = {"memory": {"redis_keys", "rabbitmq_queues", "benchmark"},   # raw broker access / worker processes
           "redis": {"rabbitmq_queues"}, "rabbitmq": {"redis_keys"}}


def check(report: dict, mode: str) -> None:
    wire = step(report, "wire")["data"]
    headers = wire["headers"]
    assert headers["id"] == headers["root_id"] == wire["task_id"] and headers["parent_id"] is None
    assert headers["task"].endswith(".add") and headers["argsrepr"] == "(2, 3)" and headers["retries"] == 0
    assert headers["eta"] and headers["expires"]
    assert wire["body"][:2] == [[2, 3], {}] and wire["value"] == 5
    assert wire["properties"]["correlation_id"] == wire["task_id"]
    if mode == "redis":
        assert wire["redis_fields"] == ["body", "content-encoding", "content-type", "headers", "properties"]
    if wire["result_key"] and wire["ttl_s"] is not None:
        assert wire["result_key"] == f"celery-task-meta-{wire['task_id']}" and 0 < wire["ttl_s"] <= 60
        assert wire["result_extended"] and {"name", "args", "worker"} <= set(wire["stored"])   # result_extended
    if mode != "memory":
        held = step(report, "redis_keys" if mode == "redis" else "rabbitmq_queues")["data"]
        assert held["prefetch_count"] == 2
        bench = step(report, "benchmark")["data"]
        rate = {name: tier["rate"] for name, tier in bench["best"].items()}
        assert min(rate["raw"], rate["kombu"]) > rate["celery"] > rate["get_each"]
        if mode == "redis":                   # LPUSH/BRPOP beat kombu there; on RabbitMQ basic_get loses to a consumer
            assert rate["raw"] > rate["kombu"]
        assert rate["chunks"] > 3 * rate["tuned"] and 0 < bench["ratio_tuned_kombu"] < 1
    ser = step(report, "serialization")["data"]
    assert ser["sizes"]["msgpack"] < ser["sizes"]["json"] and ser["speed"]["msgpack"] > ser["speed"]["json"]
    assert ser["refused_lines"] >= 1 and "ContentDisallowed" in ser["refused"]
    assert ser["pickled_state"] == "PENDING" and not ser["pickled_events"] and ser["json_value"] == 5
