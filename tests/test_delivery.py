"""What prefetch and a dying worker really do, on a real prefork worker (the claims in
classroom/celeryconfig.py, the worker-died message and docs/troubleshooting*.md):

- with early acks and worker_prefetch_multiplier = 1, a -c 2 worker runs 2 tasks *and* reserves 2 more;
- after kill -9 of the worker, the 2 started tasks are lost and read STARTED (task_track_started);
  the 2 reserved ones were never acked: on RabbitMQ they go back to the queue when the connection
  drops, and a new worker runs them to SUCCESS.
"""
import time

import pytest

from classroom import ROOT, catalog
from classroom.runtime import waits
from classroom.runtime.session import Session
from classroom.runtime.workers import WorkerSpec

LESSON = catalog.load(ROOT / "tests" / "fault_lesson")


def wait_for(predicate, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    return predicate()


@pytest.mark.broker
@pytest.mark.timeout(90)
def test_prefetch_reserves_one_per_process_and_a_killed_worker_loses_only_started_tasks(amqp_url, redis_url):
    spec = WorkerSpec(name="victim", concurrency=2)
    with Session(LESSON, "auto", amqp_url, worker_specs=[spec]) as session:
        tasks = __import__(LESSON.app_module, fromlist=["sleepy"])
        results = [tasks.sleepy.delay(6) for _ in range(4)]
        host = session.hostnames[0]

        def counts():
            active = waits.inspect(session.app, "active", 1.0, destination=[host]).get(host, [])
            reserved = waits.inspect(session.app, "reserved", 1.0, destination=[host]).get(host, [])
            return (len(active), len(reserved)) if len(active) + len(reserved) == 4 else None

        assert wait_for(counts, 10) == (2, 2)          # -c 2 with multiplier 1: 2 running + 2 reserved
        started = [r for r in results if r.state == "STARTED"]
        assert len(started) == 2

        worker = session.workers[0]
        worker.expected_exit = True                     # the session must not report it as a fault
        pool = worker.children()
        worker.kill()                                   # kill -9 of the main process
        for child in pool:
            child.kill()                                # its pool processes die with it (as on an OOM kill)
        assert wait_for(lambda: not worker.alive(), 5)

        # A new worker: RabbitMQ gave the unacked (reserved) messages back when the connection dropped.
        session.start_worker(WorkerSpec(name="rescuer", concurrency=2))
        reserved = [r for r in results if r not in started]
        assert all(r.get(timeout=15) == 6 for r in reserved)
        assert [r.state for r in started] == ["STARTED", "STARTED"]   # lost: nobody will ever finish them


@pytest.mark.broker
def test_a_corrupted_beat_schedule_file_is_replaced_not_fatal(tmp_path, redis_url):
    """Lesson 7's claim, on a real `celery beat`: a damaged schedule file is removed and recreated."""
    import subprocess

    from .helpers import PY, env, own_redis_url
    url = own_redis_url("beat")                         # this test's own database: beat sends to `celery` there
    schedule = tmp_path / "celerybeat-schedule"
    schedule.write_text("this is not a shelve file")
    proc = subprocess.Popen([PY, "-m", "celery", "-A", "lessons.lesson07_beat.tasks", "beat", "-l", "info",
                             "-s", str(schedule)], cwd=ROOT, env=env(CLASSROOM_BROKER_URL=url),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    seen = ""
    try:
        deadline = time.monotonic() + 20
        while "Removing corrupted schedule file" not in seen and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line and proc.poll() is not None:
                break
            seen += line
        assert "Removing corrupted schedule file" in seen, seen
        time.sleep(1.5)
        assert proc.poll() is None, seen                  # beat goes on with a new file
        replaced = [p for p in tmp_path.glob("celerybeat-schedule*") if p.read_bytes() != b"this is not a shelve file"]
        assert replaced, list(tmp_path.iterdir())           # a new schedule (shelve's .db, or .dat/.dir/.bak)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        import redis
        redis.Redis.from_url(url).flushdb()               # the ticks it sent to nobody


@pytest.mark.broker
@pytest.mark.timeout(60)
def test_a_broad_except_around_retry_runs_the_task_again_and_reports_success(redis_url):
    """retry() raises Retry itself; an `except Exception` swallows it after the retry was sent."""
    with Session(LESSON, "auto", redis_url, worker_specs=[WorkerSpec(concurrency=1)]) as session:
        tasks = __import__(LESSON.app_module, fromlist=["swallowed_retry"])
        result = tasks.swallowed_retry.delay()
        client = session.app.backend.client
        assert wait_for(lambda: int(client.get(f"runs:{result.id}") or 0) >= 2, 10)   # ran twice
        assert result.get(timeout=5).endswith("swallowed") and result.state == "SUCCESS"
        time.sleep(0.3)
        assert int(client.get(f"runs:{result.id}")) == 2          # max_retries=1: then it stops
        client.delete(f"runs:{result.id}")


@pytest.mark.broker
@pytest.mark.timeout(60)
def test_a_naive_expires_is_read_as_utc(redis_url):
    """Lesson 1's eta/expires claim: the worker reads a naive datetime as UTC. The naive local time of a
    machine at UTC-5, plus 10 s, is already past in UTC: the task is REVOKED (expired) and never runs;
    an aware datetime runs."""
    from datetime import datetime, timedelta, timezone
    with Session(LESSON, "auto", redis_url, worker_specs=[WorkerSpec(concurrency=1)]):
        tasks = __import__(LESSON.app_module, fromlist=["add"])
        now_at_utc_minus_5 = (datetime.now(timezone.utc) - timedelta(hours=5)).replace(tzinfo=None)
        naive = tasks.add.apply_async((1, 2), expires=now_at_utc_minus_5 + timedelta(seconds=10))
        aware = tasks.add.apply_async((1, 2), expires=datetime.now(timezone.utc) + timedelta(seconds=10))
        assert aware.get(timeout=5) == 3
        assert wait_for(lambda: naive.state == "REVOKED", 5), naive.state


@pytest.mark.broker
@pytest.mark.timeout(60)
def test_a_task_held_by_its_rate_limit_is_not_called_unknown(redis_url):
    """`inspect registered` lists a rate-limited task as 'name [rate_limit=1/m]': the diagnosis of a wait
    that runs out must still see that the worker knows it (exercise 6 with a wrong unit said it did not)."""
    from classroom.errors import WaitTimeout
    with Session(LESSON, "auto", redis_url, worker_specs=[WorkerSpec(concurrency=1)]):
        tasks = __import__(LESSON.app_module, fromlist=["throttled"])
        assert waits.get(tasks.throttled.delay(1), timeout=5) == 1
        held = tasks.throttled.delay(2)                  # the next token comes in a minute
        with pytest.raises(WaitTimeout) as caught:
            waits.get(held, timeout=1.0)
        assert caught.value.key != "wait.not_registered", caught.value.message()
