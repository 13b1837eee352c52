"""What lesson 10's report must show on real workers (the measured priority order on each broker, expired
tasks never run, where link / link_error / on_success run, order lost and kept).

tests/test_lessons.py plays the lesson in every mode and calls check(report, mode); the step count,
exit code, skips and "nothing left behind" are checked there for every lesson alike.
"""
from classroom.lessonkit import report_step as step

SKIPPED = {"memory": {"priority_order"}}     # the memory transport has no priorities


def check(report: dict, mode: str) -> None:
    if mode != "memory":
        prio = step(report, "priority_order")["data"]
        assert sorted(prio["sent"]) == sorted(prio["ran"]) and len(prio["ran"]) == 30
        assert prio["queued_in_time"] and prio["fifo"]              # all queued first; FIFO within a priority
        assert prio["ran"] == sorted(prio["sent"], reverse=(mode == "rabbitmq"))   # Redis: 0 first; RabbitMQ: 9
    exp = step(report, "expires")["data"]
    assert exp["states"][1:] == ["SUCCESS", "REVOKED"]             # aware ran; naive (UTC-5) already past
    assert exp["logged"][1] and not any(exp["started"]) and exp["queued"] == 0
    if mode == "rabbitmq":                                          # the message TTL: dropped by the broker
        assert exp["states"][0] == "PENDING" and not exp["received"][0] and not exp["logged"][0]
    else:                                                           # received late: discarded by the worker
        assert exp["states"][0] == "REVOKED" and exp["logged"][0]
    assert 7.9 < exp["late_at_utc_plus_8_h"] < 8.1
    where = step(report, "callbacks")["data"]
    assert where["receipts"] == 1 and where["receipt_worker"] == "single" and where["order_worker"] == "worker1"
    assert where["alert_tasks"] == 0 and where["alert_same_pid"] and where["on_success_same_pid"]
    two = step(report, "two_processes")["data"]["journal"]
    assert sorted(two) == list(range(1, 7)) and two[-1] == 1        # the slow task 1 finished last
    one = step(report, "one_process")["data"]
    assert one["kept"] == list(range(1, 7))
    assert sorted(one["retried"]) == list(range(1, 7)) and one["retried"].index(2) > one["retried"].index(3)
    kept = step(report, "keep_order")["data"]
    assert kept["chain"] == kept["sequence"] == list(range(1, 7))
