"""A test session leaves nothing in Redis (conftest.py empties the suite's own databases when it ends),
and a pytest that a test starts never empties them under the outer session's tests: test_lesson14_testing's
`pytest --collect-only` once did, in the middle of the Redis plays, and lesson 3 lost its queues."""
import subprocess
import uuid

import pytest
import redis

from .helpers import PY, ROOT

INNER = "tests/test_broker_modes.py::test_rabbitmq_without_redis_sends_results_as_messages"


@pytest.mark.broker
@pytest.mark.timeout(90)
def test_a_pytest_started_by_a_test_leaves_the_suites_databases_alone(redis_url, amqp_url):
    client = redis.Redis.from_url(redis_url)
    key = f"in-use-{uuid.uuid4().hex[:8]}"            # what another test's worker would have there
    client.set(key, "1", ex=120)
    try:
        proc = subprocess.run([PY, "-m", "pytest", "-q", "-p", "no:cacheprovider", INNER], cwd=ROOT,
                              capture_output=True, text=True, timeout=80)
        assert proc.returncode == 0 and "1 passed" in proc.stdout, proc.stdout + proc.stderr
        assert client.get(key) == b"1", "the inner session emptied the outer session's database"
    finally:
        client.delete(key)
