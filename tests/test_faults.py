"""Faults and mistakes (issue: never hang, never orphan, always explain), each on a real worker.

The drills live in tests/fault_lesson (lesson 90, shown only with CLASSROOM_EXTRA_LESSONS=tests).
"""
import re
import secrets
import signal
import subprocess
import time

import pytest

from .helpers import PY, ROOT, env, lesson, own_redis_url, processes_matching, step

DRILLS = {"CLASSROOM_EXTRA_LESSONS": "tests"}


def drill(name: str, *args: str, tmp_path, timeout: float = 60, extra_env: dict | None = None):
    started = time.monotonic()
    proc, report = lesson(90, *args, tmp_path=tmp_path, timeout=timeout,
                          extra_env={**DRILLS, "FAULT_STEPS": name, **(extra_env or {})})
    return proc, report, time.monotonic() - started


MODES = [pytest.param(("--broker", "memory"), id="memory"),
         pytest.param(("redis",), id="redis", marks=pytest.mark.broker)]


def mode_args(mode, redis_url=None):
    return ("--broker-url", redis_url) if mode == ("redis",) else mode


@pytest.fixture
def args(request):
    mode = request.param
    if mode == ("redis",):
        return ("--broker-url", request.getfixturevalue("redis_url"))
    return mode


@pytest.mark.parametrize("args", MODES, indirect=True)
def test_unregistered_task_names_the_known_ones(args, tmp_path):
    proc, report, took = drill("unregistered", *args, tmp_path=tmp_path)
    failure = step(report, "unregistered")["failure"]
    assert proc.returncode == 1
    assert "does not know the task tests.fault_lesson.tasks.no_such_task" in failure
    assert "tests.fault_lesson.tasks.add" in failure          # what the worker does know
    assert took < 20


@pytest.mark.parametrize("args", MODES, indirect=True)
def test_non_json_argument_fails_at_call_time(args, tmp_path):
    proc, report, _ = drill("not_json", *args, tmp_path=tmp_path)
    failure = step(report, "not_json")["failure"]
    assert "type set cannot be sent as JSON" in failure and "list" in failure
    assert step(report, "not_json")["seconds"] < 2


@pytest.mark.parametrize("args", MODES, indirect=True)
def test_ignore_result_is_reported_at_once_not_pending_forever(args, tmp_path):
    proc, report, _ = drill("ignored", *args, tmp_path=tmp_path)
    s = step(report, "ignored")
    assert "ignore_result=True" in s["failure"] and s["seconds"] < 5


@pytest.mark.parametrize("args", MODES, indirect=True)
def test_unknown_id_is_explained(args, tmp_path):
    proc, report, _ = drill("unknown_id", *args, tmp_path=tmp_path)
    s = step(report, "unknown_id")
    assert "no task with id 0000-not-a-real-task-id was sent" in s["failure"]
    assert s["seconds"] < 5


@pytest.mark.parametrize("args", MODES, indirect=True)
def test_task_that_raises_and_the_worker_keeps_serving(args, tmp_path):
    proc, report, _ = drill("raises_then_serves", *args, tmp_path=tmp_path)
    data = step(report, "raises_then_serves")["data"]
    assert proc.returncode == 0
    assert data == {"error": "ValueError: boom on purpose", "traceback_has_boom": True, "next": 2}


@pytest.mark.parametrize("args", MODES, indirect=True)
def test_queue_nobody_consumes_is_named(args, tmp_path):
    proc, report, _ = drill("wrong_queue", *args, tmp_path=tmp_path)
    s = step(report, "wrong_queue")
    assert "no worker consumes queue 'nobody_listens'" in s["failure"] and "celery" in s["failure"]
    assert s["seconds"] < 6


def test_time_limit_on_threads_pool_warns(tmp_path):
    proc, report, _ = drill("time_limit", "--broker", "memory", tmp_path=tmp_path)
    assert "threads pool cannot enforce it" in proc.stdout
    assert step(report, "time_limit")["data"]["value"] == 2      # it really ran to the end


@pytest.mark.broker
def test_time_limit_on_prefork_is_enforced(tmp_path, redis_url):
    proc, report, _ = drill("time_limit", "--broker-url", redis_url, tmp_path=tmp_path)
    assert "cannot enforce" not in proc.stdout
    assert step(report, "time_limit")["data"]["error"] in ("SoftTimeLimitExceeded", "TimeLimitExceeded")


# --- processes dying under the runner -------------------------------------------------------

def start_drill(name: str, *args: str, **extra: str) -> tuple[subprocess.Popen, str, str]:
    """Start a drill; return (process, run id, output so far) once its workers answer."""
    proc = subprocess.Popen([PY, "runner.py", "lesson", "90", *args], cwd=ROOT,
                            env=env(**DRILLS, FAULT_STEPS=name, **extra), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    seen = ""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        seen += line
        match = re.search(r"Workers ready: \w+@(lesson90-[0-9a-f]+)", seen)
        if match:
            return proc, match.group(1), seen
        if not line and proc.poll() is not None:
            break
    proc.kill()
    raise AssertionError(seen)


@pytest.mark.broker
def test_broker_killed_mid_lesson(tmp_path):
    """The runner's own redis-server dies during a wait: exit 3 within the bound, broker named, no orphans."""
    proc, run_id, seen = start_drill("long_wait", "--broker", "redis", CLASSROOM_REDIS_DEFAULT="redis://127.0.0.1:1/0")
    port = re.search(r"redis://127.0.0.1:(\d+)/0", seen).group(1)
    # redis-server rewrites its process title to "redis-server 127.0.0.1:PORT"
    redis_pids = [int(p.split(":")[0]) for p in processes_matching(f"redis-server 127.0.0.1:{port}")]
    assert redis_pids
    time.sleep(0.5)
    killed = time.monotonic()
    for pid in redis_pids:
        subprocess.run(["kill", "-9", str(pid)])
    out, _ = proc.communicate(timeout=30)
    took = time.monotonic() - killed
    assert proc.returncode == 3, out
    assert f"127.0.0.1:{port}" in out and "stopped answering" in out
    assert took < 12, took
    assert not processes_matching(run_id)


@pytest.mark.broker
def test_worker_main_process_killed(redis_url):
    """kill -9 of the worker's main process: reported at once as lost (early ack), no orphans."""
    proc, run_id, _ = start_drill("long_wait", "--broker-url", redis_url)
    time.sleep(0.8)
    main = [int(p.split(":")[0]) for p in processes_matching(f"-n worker1@{run_id}")]
    killed = time.monotonic()
    subprocess.run(["kill", "-9", str(min(main))])
    out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 1
    assert "died" in out and "early" in out
    assert time.monotonic() - killed < 5
    deadline = time.monotonic() + 5
    while processes_matching(run_id) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not processes_matching(run_id)


@pytest.mark.broker
def test_worker_child_killed_gives_worker_lost_error(redis_url):
    proc, run_id, _ = start_drill("long_wait", "--broker-url", redis_url)
    time.sleep(1.0)
    procs = sorted(int(p.split(":")[0]) for p in processes_matching(f"-n worker1@{run_id}"))
    children = procs[1:]
    assert children
    for pid in children:
        subprocess.run(["kill", "-9", str(pid)])
    out, _ = proc.communicate(timeout=40)
    assert proc.returncode == 1
    assert "WorkerLostError" in out
    assert not processes_matching(run_id)


@pytest.mark.broker
def test_runner_started_worker_exits_at_once_when_broker_is_down():
    """broker_connection_retry_on_startup=False: no 45-minute retry loop."""
    started = time.monotonic()
    proc = subprocess.run([PY, "-m", "celery", "-A", "lessons.lesson01_basics.tasks", "worker", "-l", "info"],
                          cwd=ROOT, env=env(CLASSROOM_BROKER_URL="redis://127.0.0.1:1/0",
                                            CLASSROOM_RESULT_BACKEND="redis://127.0.0.1:1/1"),
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0
    assert time.monotonic() - started < 10


def test_celery_app_module_not_found_says_where_to_run(tmp_path):
    proc = subprocess.run([PY, "-m", "celery", "-A", "tasks", "worker"], cwd=tmp_path, env=env(),
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0 and "Unable to load celery application" in proc.stderr


def test_unwritable_state_dir_still_runs_the_lesson(tmp_path):
    proc, report, _ = drill("raises_then_serves", "--broker", "memory", tmp_path=tmp_path, extra_env={
        "CLASSROOM_STATE_DIR": "/dev/null/classroom"})
    assert proc.returncode == 0 and report["passed"] == 1, proc.stdout + proc.stderr
    assert "is not writable" in proc.stderr and "/dev/null/classroom" in proc.stderr


@pytest.mark.broker
@pytest.mark.timeout(90)
def test_two_runners_on_one_redis_do_not_mix(tmp_path, redis_url):
    """Two runs of the same drill at once on one Redis database, twenty tasks each: each run's tasks ran
    only on its own worker (each run has its own key prefix: runtime/settings.py)."""
    def start(i):
        return subprocess.Popen([PY, "runner.py", "lesson", "90", "--broker-url", redis_url, "--report",
                                 str(tmp_path / f"r{i}.json")], cwd=ROOT, env=env(**DRILLS, FAULT_STEPS="many"),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    runs = [start(i) for i in range(2)]
    assert [p.wait(60) for p in runs] == [0, 0]
    import json
    for i in range(2):
        report = json.loads((tmp_path / f"r{i}.json").read_text())
        data = step(report, "many")["data"]
        assert data["sums"] == [2 * n for n in range(20)]
        assert len(data["hosts"]) == 20 and set(data["hosts"]) == set(report["workers"])   # only its own worker


@pytest.mark.broker
@pytest.mark.timeout(60)
@pytest.mark.xdist_group("amqp-shared-vhost")
def test_rabbitmq_queue_already_consumed_is_refused(amqp_url, redis_url, monkeypatch):
    """Where no vhost can be made per run (CLASSROOM_RABBITMQ_VHOSTS=off stands for that), a foreign worker
    on our queue means a clear refusal, not mixed tasks (with a vhost per run it cannot even see it:
    tests/test_shared_broker.py)."""
    intruder = subprocess.Popen([PY, "-m", "celery", "-A", "lessons.lesson01_basics.tasks", "worker", "-n",
                                 "intruder@test", "-P", "solo", "--without-gossip", "--without-mingle"],
                                cwd=ROOT, env=env(CLASSROOM_BROKER_URL=amqp_url, CLASSROOM_RESULT_BACKEND="rpc://"),
                                stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        from celery import Celery
        probe = Celery(broker=amqp_url)
        deadline = time.monotonic() + 20
        while not probe.control.ping(timeout=0.5, destination=["intruder@test"]) and time.monotonic() < deadline:
            pass
        from classroom import catalog
        from classroom.errors import ClassroomError
        from classroom.runtime.session import Session
        monkeypatch.setenv("CLASSROOM_RESULT_BACKEND", redis_url)   # this test's Redis database
        monkeypatch.setenv("CLASSROOM_RABBITMQ_VHOSTS", "off")     # the shared vhost, where the intruder is
        run_id = f"lesson1-{secrets.token_hex(3)}"
        with pytest.raises(ClassroomError) as raised:              # at the start, before any step
            with Session(catalog.get(1), "auto", amqp_url, run_id=run_id):
                pass
        said = " ".join(raised.value.message("en").split())
        assert raised.value.key == "session.queue_taken" and raised.value.exit_code == 1
        assert "intruder@test" in said and "already consumes" in said, said
        assert not processes_matching(run_id)                     # our own workers were stopped
    finally:
        intruder.send_signal(signal.SIGTERM)
        try:
            intruder.wait(10)
        except subprocess.TimeoutExpired:
            intruder.kill()


@pytest.mark.broker
def test_doctor_reports_a_stale_worker_without_killing_it(redis_url):
    stale = subprocess.Popen([PY, "-m", "celery", "-A", "lessons.lesson01_basics.tasks", "worker", "-n", "stale@test",
                              "-c", "1", "--without-gossip", "--without-mingle"], cwd=ROOT,
                             env=env(CLASSROOM_BROKER_URL=redis_url), stdout=subprocess.DEVNULL,
                             stderr=subprocess.STDOUT, start_new_session=True)
    try:
        time.sleep(2)
        from .helpers import runner
        out = runner("doctor", timeout=60).stdout
        assert f"pid {stale.pid}" in out and f"kill {stale.pid}" in out
        assert stale.poll() is None                       # reported, not killed
    finally:
        stale.send_signal(signal.SIGTERM)
        try:
            stale.wait(10)
        except subprocess.TimeoutExpired:
            stale.kill()


@pytest.mark.broker
def test_a_learners_script_ends_cleanly_after_a_timeout(redis_url):
    """Lesson 1's "try this": no worker, add.delay(1, 1).get(timeout=3) -> TimeoutError, and nothing after it
    (with redis-py 8, about 20 lines of 'Exception ignored in AsyncResult.__del__' followed at exit)."""
    code = "from lessons.lesson01_basics.tasks import add; add.delay(1, 1).get(timeout=1)"
    proc = subprocess.run([PY, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=30,
                          env=env(CLASSROOM_BROKER_URL=own_redis_url("no-worker")))
    assert proc.returncode == 1
    assert proc.stderr.rstrip().endswith("celery.exceptions.TimeoutError: The operation timed out.")
    assert "Exception ignored" not in proc.stderr and "meta_path" not in proc.stderr
