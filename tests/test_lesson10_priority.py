"""Lesson 10 on Redis: the priority-step lists kombu creates (`<queue>\\x06\\x16<step>`) carry the run's key
prefix and are deleted by the session's namespace cleanup, like every other key of the run."""
import pytest
import redis
from kombu import Connection, Exchange, Queue

from classroom import catalog
from classroom.runtime.session import Session

from .helpers import REDIS_URL

LESSON = catalog.get(10)


@pytest.mark.broker
@pytest.mark.timeout(30)
def test_priority_step_lists_are_namespaced_and_cleaned(redis_url):
    session = Session(LESSON, "redis", redis_url, run_id="lesson10-cleanup-test")
    session.broker = type("Broker", (), {"in_process": False, "url": REDIS_URL})()
    options = {**LESSON.celery["broker_transport_options"], "global_keyprefix": f"{session.run_id}:"}
    queue = Queue("prioritized", Exchange("prioritized"), routing_key="prioritized")
    with Connection(REDIS_URL, transport_options=options) as conn:
        producer = conn.Producer()
        for priority in (0, 3, 9):               # no consumer: the messages stay in their step lists
            producer.publish({"p": priority}, exchange=queue.exchange, routing_key="prioritized",
                             declare=[queue], priority=priority, retry=False)
    client = redis.Redis.from_url(REDIS_URL)
    keys = set(client.scan_iter(match=f"{session.run_id}:*"))
    steps = {f"{session.run_id}:prioritized{sep}".encode() for sep in ("", "\x06\x163", "\x06\x169")}
    assert steps <= keys, keys
    session._forget_namespace()
    assert not list(client.scan_iter(match=f"{session.run_id}:*"))
