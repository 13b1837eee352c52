"""Lesson 10 on Redis: the priority-step lists kombu creates (`<queue>\\x06\\x16<step>`) carry the run's key
prefix and are deleted by the run's namespace cleanup (classroom/runtime/namespace.py), like every other key of the run."""
import pytest
import redis
from kombu import Connection, Exchange, Queue

from classroom import catalog
from classroom.brokers import Broker
from classroom.runtime.namespace import Namespace

from .helpers import REDIS_URL

LESSON = catalog.get(10)


@pytest.mark.broker
@pytest.mark.timeout(30)
def test_priority_step_lists_are_namespaced_and_cleaned(redis_url):
    space = Namespace(Broker("redis", REDIS_URL, REDIS_URL, ""), "lesson10-cleanup-test")   # as a Session's
    assert space.open() == REDIS_URL
    options = {**LESSON.celery["broker_transport_options"], **space.settings()["broker_transport_options"]}
    assert options["global_keyprefix"] == f"{space.run_id}:"
    queue = Queue("prioritized", Exchange("prioritized"), routing_key="prioritized")
    with Connection(REDIS_URL, transport_options=options) as conn:
        producer = conn.Producer()
        for priority in (0, 3, 9):               # no consumer: the messages stay in their step lists
            producer.publish({"p": priority}, exchange=queue.exchange, routing_key="prioritized",
                             declare=[queue], priority=priority, retry=False)
    client = redis.Redis.from_url(REDIS_URL)
    keys = set(client.scan_iter(match=f"{space.run_id}:*"))
    steps = {f"{space.run_id}:prioritized{sep}".encode() for sep in ("", "\x06\x163", "\x06\x169")}
    assert steps <= keys, keys
    space.close()
    assert not list(client.scan_iter(match=f"{space.run_id}:*"))
