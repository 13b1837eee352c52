"""A classroom on one broker: learners playing at the same time never see each other's queues,
exchanges, control or event messages, and nothing of a run is left afterwards (issue 22).

Three learners play lessons 3 and 9 at once on one RabbitMQ vhost and on one Redis database; where
the runner cannot make a vhost per run, two runs started in the same second never both take the same
queues (an exclusive lock queue, not a check-then-act look at who consumes).
"""
from __future__ import annotations

import signal
import subprocess
import threading
import time
from urllib.parse import unquote, urlsplit

import pytest
import redis

from .helpers import lesson, processes_matching

LEARNERS = 3


def _together(runs: list[tuple], tmp_path) -> list[tuple]:
    """Start every (number, args, extra_env) play in the same moment; [(process, report)] in order."""
    results: list = [None] * len(runs)
    start = threading.Barrier(len(runs))

    def play(i: int, number: int, args: tuple, extra: dict) -> None:
        start.wait()
        folder = tmp_path / f"run{i}"
        folder.mkdir(parents=True, exist_ok=True)
        results[i] = lesson(number, *args, tmp_path=folder, timeout=170, extra_env=extra)

    threads = [threading.Thread(target=play, args=(i, *run)) for i, run in enumerate(runs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(200)
    assert all(results), "a play did not finish (see the thread's exception above)"
    return results


def _ctrl_c_all(started: list) -> None:
    """Ctrl+C to every command still running, then up to 20 s each to stop before a kill."""
    for proc in started:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
    for proc in started:
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()


def _learners(url: str, extra: dict, tmp_path) -> list[str]:
    """Three learners, each playing lesson 3 then lesson 9, all at once; returns every run's id."""
    run_ids: list[str] = []
    for number in (3, 9):
        results = _together([(number, ("--broker-url", url), extra)] * LEARNERS, tmp_path / f"l{number}")
        for proc, report in results:
            failed = [line for line in proc.stdout.splitlines() if "✗" in line or line.startswith("Step ")]
            said = "\n".join(failed) + "\n" + proc.stdout[-2000:] + proc.stderr[-2000:]
            assert proc.returncode == 0 and report is not None, said
            assert all(s["ok"] for s in report["steps"] if not s["skipped"]), said
            run_ids.append(report["workers"][0].split("@", 1)[1])
    assert len(set(run_ids)) == 2 * LEARNERS
    for run_id in run_ids:
        assert not processes_matching(run_id)
    return run_ids


def _ctl(*args: str) -> list[str]:
    out = subprocess.run(["rabbitmqctl", "-q", *args], capture_output=True, text=True, timeout=30, check=True)
    return [line for line in out.stdout.splitlines()[1:] if line.strip()]   # without the header


def _vhost(url: str) -> str:
    return unquote(urlsplit(url).path[1:]) or "/"


def _prefix(url: str) -> str:
    """What a run's vhost name starts with under the URL's vhost ("/" has no name to prefix: classroom.)."""
    parent = _vhost(url)
    return "classroom." if parent == "/" else f"{parent}."


def _need_rabbitmqctl() -> None:
    try:
        _ctl("list_vhosts")
    except (OSError, subprocess.SubprocessError):
        pytest.skip("rabbitmqctl does not answer here (it needs root or the rabbitmq user)")


@pytest.mark.broker
@pytest.mark.slow
@pytest.mark.timeout(480)
@pytest.mark.xdist_group("play-rabbitmq")   # serial with the other lesson-9 plays on RabbitMQ (one run at a time changes the server's consumer_timeout)
def test_three_learners_on_one_rabbitmq_pass_and_leave_nothing(amqp_url, redis_url, tmp_path):
    _need_rabbitmqctl()
    parent = _vhost(amqp_url)
    run_ids = _learners(amqp_url, {"CLASSROOM_RESULT_BACKEND": redis_url}, tmp_path)
    vhosts = _ctl("list_vhosts")
    queues = _ctl("list_queues", "-p", parent, "name")
    exchanges = _ctl("list_exchanges", "-p", parent, "name")
    for run_id in run_ids:
        assert not [v for v in vhosts if run_id in v], vhosts            # each run's vhost is deleted
        assert not [q for q in queues if run_id in q], queues            # nothing of it in the parent vhost
        assert not [e for e in exchanges if run_id in e], exchanges


@pytest.mark.broker
@pytest.mark.slow
@pytest.mark.timeout(480)
@pytest.mark.xdist_group("play-redis")   # serial with the Redis plays: three lesson 9s beside them overload 2 cores
def test_three_learners_on_one_redis_pass_and_leave_nothing(redis_url, tmp_path):
    run_ids = _learners(redis_url, {}, tmp_path)
    client = redis.Redis.from_url(redis_url)
    for run_id in run_ids:
        assert not list(client.scan_iter(match=f"{run_id}:*")), run_id


@pytest.mark.broker
@pytest.mark.timeout(120)
@pytest.mark.xdist_group("amqp-shared-vhost")
def test_without_a_vhost_per_run_two_runs_started_together_never_share_queues(amqp_url, redis_url, tmp_path):
    """No vhost can be made (CLASSROOM_RABBITMQ_VHOSTS=off stands for a remote server without the
    management API): of two runs started in the same second one plays and the other is refused with
    the clear message, never both on the same queues (the check-then-act race of issue 22)."""
    extra = {"CLASSROOM_RABBITMQ_VHOSTS": "off", "CLASSROOM_RESULT_BACKEND": redis_url}
    results = _together([(3, ("--broker-url", amqp_url), extra)] * 2, tmp_path)
    passed = [r for r in results if r[0].returncode == 0]
    refused = [r for r in results if r[0].returncode != 0]
    everything = "\n\n".join(p.stdout[-2500:] + p.stderr[-1500:] for p, _ in results)
    assert len(passed) == 1 and len(refused) == 1, everything
    said = " ".join((refused[0][0].stdout + refused[0][0].stderr).replace("│", " ").split())
    assert "already holds queue(s)" in said and "Traceback" not in said, said
    report = passed[0][1]
    assert all(s["ok"] for s in report["steps"] if not s["skipped"])
    run_id = report["workers"][0].split("@", 1)[1]
    # The run's control and event exchanges were its own, and are gone; so are its lock queues.
    if subprocess.run(["rabbitmqctl", "-q", "list_vhosts"], capture_output=True, timeout=30).returncode == 0:
        deadline = time.monotonic() + 5
        while True:
            left = [n for n in _ctl("list_exchanges", "-p", _vhost(amqp_url), "name") +
                    _ctl("list_queues", "-p", _vhost(amqp_url), "name") if run_id in n or "classroom.lock." in n]
            if not left or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert not left, left


@pytest.mark.broker
@pytest.mark.timeout(60)
@pytest.mark.parametrize("way", ["api", "rabbitmqctl"])
def test_a_run_vhost_is_made_and_deleted_each_way(amqp_url, way, monkeypatch):
    """The management API (when enabled) or local rabbitmqctl: the vhost exists while the run is open,
    its URL reaches it, and close() deletes it with what the run declared in it."""
    from kombu import Connection, Queue

    from classroom.brokers import Broker
    from classroom.runtime import namespace
    _need_rabbitmqctl()                                           # to list the vhosts
    if way == "api":
        try:
            namespace._api(amqp_url, "GET", "/api/overview", None)
        except (OSError, ValueError):
            pytest.skip(f"RabbitMQ's management API does not answer at {namespace.api_base(amqp_url)}")
    else:
        monkeypatch.setenv(namespace.API_PORT_ENV, "1")        # nothing there: the API is skipped
    space = namespace.Namespace(Broker("rabbitmq", amqp_url, "rpc://", ""), "test-ns")
    url = space.open()
    try:
        assert space.how == way and space.vhost.startswith(_prefix(amqp_url) + "test-ns.")
        assert _vhost(url) == space.vhost and space.settings() == {}
        with Connection(url, connect_timeout=3) as conn:
            Queue("celery", durable=True)(conn.default_channel).declare()
        assert space.vhost in _ctl("list_vhosts")
    finally:
        space.close()
    assert space.vhost not in _ctl("list_vhosts")


def _env_of(url: str, student: str) -> dict[str, str]:
    """What `eval "$(python runner.py env 8 --broker-url URL --student NAME)"` sets in a second terminal."""
    import shlex

    from .helpers import runner
    done = runner("env", "8", "--broker-url", url, "--student", student, timeout=30)
    assert done.returncode == 0, done.stdout + done.stderr
    pairs = [shlex.split(line[len("export "):])[0].split("=", 1) for line in done.stdout.splitlines()
             if line.startswith("export ")]
    return dict(pairs)


@pytest.mark.broker
@pytest.mark.timeout(150)
@pytest.mark.parametrize("kind", ["redis", "rabbitmq"])
def test_two_learners_share_one_broker_and_top_shows_each_only_their_own(kind, request, tmp_path):
    """`worker 8 --student NAME` and `top --student NAME` for two learners on one broker: each one's
    tasks run on their own worker, and each one's top counts only their own tasks."""
    import re

    from .helpers import PY, ROOT, env
    url = request.getfixturevalue("redis_url" if kind == "redis" else "amqp_url")
    names = {"alice": 7, "bob": 3}
    tag = f"{kind[0]}{time.monotonic_ns() % 10**6}"
    started = []
    try:
        for name in names:
            proc = subprocess.Popen([PY, "runner.py", "worker", "8", "--broker-url", url, "--student", name + tag],
                                    cwd=ROOT, env=env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                    text=True, start_new_session=True)
            started.append(proc)
        tops = {name: subprocess.Popen([PY, "runner.py", "top", "--broker-url", url, "--student", name + tag],
                                       cwd=ROOT, env=env(COLUMNS="100"),
                                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                       start_new_session=True) for name in names}
        started += tops.values()
        time.sleep(6)                                  # the workers boot, top starts watching
        for name, count in names.items():
            code = ("from lessons.lesson08_monitoring import tasks\n"
                    f"rs = [tasks.add.delay(i, i) for i in range({count})]\n"
                    "assert [r.get(timeout=20) for r in rs] == [2 * i for i in range(len(rs))]\n")
            done = subprocess.run([PY, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
                                  env=env(**_env_of(url, name + tag)))
            assert done.returncode == 0, done.stdout + done.stderr
        time.sleep(2)                                  # the last events reach top
        for name, count in names.items():
            tops[name].send_signal(signal.SIGINT)          # Ctrl+C: top prints what it saw and exits 0
            out, _ = tops[name].communicate(timeout=40)
            assert tops[name].returncode == 0, out
            assert re.search(rf"SUCCESS {count}\b", out) and "SUCCESS 10" not in out, out
    finally:
        _ctrl_c_all(started)
        if kind == "rabbitmq":                         # a learner's vhost is kept between commands
            from classroom.brokers import Broker
            from classroom.runtime import namespace
            for name in names:
                space = namespace.for_student(Broker("rabbitmq", url, "rpc://", ""), name + tag)
                if space.vhost and space.how in ("api", "rabbitmqctl"):
                    namespace.delete_vhost(url, space.vhost, space.how)
        else:
            client = redis.Redis.from_url(url)
            for name in names:
                keys = list(client.scan_iter(match=f"student-{name}{tag}:*"))
                if keys:
                    client.delete(*keys)


@pytest.mark.broker
@pytest.mark.timeout(150)
def test_flower_with_student_shows_only_that_learners_workers(redis_url):
    """Two learners' workers on one Redis (alice runs lesson 8's worker1, bob its worker2): Flower
    started with --student alice lists alice's worker and never bob's."""
    import re

    from classroom.runtime.flower import api as flower_api

    from .helpers import PY, ROOT, env
    tag = f"f{time.monotonic_ns() % 10**6}"
    started = []

    def start(*args: str) -> subprocess.Popen:
        proc = subprocess.Popen([PY, "runner.py", *args], cwd=ROOT, env=env(), stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, start_new_session=True)
        started.append(proc)
        return proc

    try:
        start("worker", "8", "--name", "worker1", "--broker-url", redis_url, "--student", "alice" + tag)
        start("worker", "8", "--name", "worker2", "--broker-url", redis_url, "--student", "bob" + tag)
        flower = start("flower", "8", "--broker-url", redis_url, "--student", "alice" + tag,
                       "--password", "pw-room")
        seen, base = "", None
        deadline = time.monotonic() + 40
        while base is None and time.monotonic() < deadline:
            seen += flower.stdout.readline()
            found = re.search(r"(http://127\.0\.0\.1:\d+)", seen)
            base = found.group(1) if found else None
        assert base, seen
        workers: dict = {}
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline:           # Flower asks the workers (inspect) a moment later
            status, workers = flower_api(base, "GET", "/api/workers?refresh=1", credentials=("classroom", "pw-room"))
            if status == 200 and any(name.startswith("worker1@") for name in workers):
                break
            time.sleep(0.5)
        assert any(name.startswith("worker1@") for name in workers), workers
        assert not any(name.startswith("worker2@") for name in workers), workers
    finally:
        _ctrl_c_all(started)
        client = redis.Redis.from_url(redis_url)          # a learner's keys are kept between commands
        for name in ("alice", "bob"):
            keys = list(client.scan_iter(match=f"student-{name}{tag}:*"))
            if keys:
                client.delete(*keys)
