"""Lesson 8 beyond its expect.py: Flower's dashboard in a real browser, `runner.py flower` and
`runner.py top` against a learner's own worker, and nothing left after Ctrl+C.

The lesson itself (inspect, control, revoke, events, Flower's API, shutdown) is played in every mode
by tests/test_lessons.py. Here a real `runner.py worker 8` runs on its own Redis database (no run
prefix: the learner's view), and the commands are started and interrupted as a learner would.
"""
from __future__ import annotations

import os
import re
import signal
import subprocess
import time

import pytest
import redis

from classroom.runtime.flower import api as flower_api

from . import browser
from .helpers import PY, ROOT, env, own_redis_url, processes_matching

pytestmark = pytest.mark.broker
DB_URL = own_redis_url("monitor")


def start(*args: str, **extra: str) -> subprocess.Popen:
    return subprocess.Popen([PY, "runner.py", *args], cwd=ROOT, env=env(**extra), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)


def wait_line(proc: subprocess.Popen, pattern: str, seconds: float) -> tuple[str, re.Match | None]:
    """Read proc's output until `pattern` matches (or the bound runs out)."""
    import selectors
    seen, end = "", time.monotonic() + seconds
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    while time.monotonic() < end:
        if sel.select(timeout=0.2):
            line = proc.stdout.readline()
            if not line:
                break
            seen += line
            found = re.search(pattern, seen)
            if found:
                return seen, found
    return seen, None


def interrupt(proc: subprocess.Popen, seconds: float = 15) -> tuple[int, str]:
    """Ctrl+C, as in a terminal: SIGINT to the runner; its exit code and the rest of its output."""
    proc.send_signal(signal.SIGINT)
    try:
        out, _ = proc.communicate(timeout=seconds)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
        pytest.fail(f"{proc.args} did not stop within {seconds} s after Ctrl+C:\n{out}")
    return proc.returncode, out


@pytest.fixture
def learner_worker(redis_url):
    """`python runner.py worker 8` on the test database, as in a second terminal."""
    client = redis.Redis.from_url(DB_URL)
    client.flushdb()
    proc = start("worker", "8", "--broker-url", DB_URL)
    out, ready = wait_line(proc, r"worker1@\S+ ready\.", 30)
    assert ready, out
    yield ready.group(0).split()[0]
    code, rest = interrupt(proc)
    assert not processes_matching("lessons.lesson08_monitoring.tasks worker"), rest
    client.flushdb()


def send_tasks(count: int) -> list[str]:
    """Send `count` add tasks from another process (the learner's script) and wait for them."""
    code = ("from lessons.lesson08_monitoring import tasks\n"
            f"rs = [tasks.add.delay(i, i) for i in range({count})]\n"
            "assert [r.get(timeout=10) for r in rs] == [2 * i for i in range(len(rs))]\n"
            "print(' '.join(r.id for r in rs))\n")
    done = subprocess.run([PY, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env=env(CLASSROOM_BROKER_URL=DB_URL, CLASSROOM_RESULT_BACKEND=DB_URL))
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout.split()


@pytest.mark.timeout(150)
def test_flower_in_a_real_browser(learner_worker, tmp_path):
    """`runner.py flower`: 127.0.0.1, 401 without the password, the dashboard in headless Chromium shows
    the worker and a task id; Ctrl+C stops Flower and leaves no Flower or browser process."""
    need = browser.need_browser()
    proc = start("flower", "8", "--broker-url", DB_URL, "--password", "pw-test-8")
    out, found = wait_line(proc, r"http://127\.0\.0\.1:(\d+)", 40)
    try:
        assert found, out
        port = int(found.group(1))
        ids = send_tasks(5)
        base, login = f"http://127.0.0.1:{port}", ("classroom", "pw-test-8")
        assert flower_api(base, "GET", "/api/workers")[0] == 401
        # ... but with --basic-auth, /healthcheck and /metrics stay open (flower/views/monitor.py)
        assert flower_api(base, "GET", "/healthcheck") == (200, "OK")
        status, tasks = 0, {}
        for _ in range(50):                                   # Flower reads the events a moment later
            status, tasks = flower_api(base, "GET", "/api/tasks", credentials=login)
            if all(i in tasks for i in ids):
                break
            time.sleep(0.1)
        assert status == 200 and all(i in tasks for i in ids), tasks
        status, metrics = flower_api(base, "GET", "/metrics")            # no password: names worker and task
        assert status == 200 and learner_worker in str(metrics) and "lesson08_monitoring.tasks.add" in str(metrics)
        url = f"http://classroom:pw-test-8@127.0.0.1:{port}"
        workers_page = browser.dom(f"{url}/workers", tmp_path)
        assert learner_worker in workers_page
        tasks_page = browser.dom(f"{url}/tasks", tmp_path)
        assert ids[0] in tasks_page and "SUCCESS" in tasks_page
        shot = browser.screenshot(f"{url}/tasks", tmp_path / "flower-tasks.png")
        assert shot.exists() and shot.stat().st_size > 10_000, need
        assert not processes_matching("classroom-chromium-")          # each browser run was stopped
    finally:
        code, rest = interrupt(proc)
    assert code == 0 and "Flower stopped" in rest, rest
    assert not processes_matching("flower --address=127.0.0.1")


@pytest.mark.timeout(90)
def test_an_open_flower_shows_task_arguments_but_refuses_its_api(learner_worker):
    """Flower 2.x started WITHOUT --basic-auth (what the notes warn about): every page is open
    (flower/views/__init__.py: get_current_user is True without auth), so a task's arguments can be read
    by anyone who reaches the port; its API, which revokes and shuts down, answers 401 unless
    FLOWER_UNAUTHENTICATED_API is set (flower/api/__init__.py, since Flower 2.0). /metrics is open too."""
    from classroom.runtime.services import free_port
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    flower_env = env(CLASSROOM_BROKER_URL=DB_URL, CLASSROOM_RESULT_BACKEND=DB_URL)
    flower_env.pop("FLOWER_UNAUTHENTICATED_API", None)
    proc = subprocess.Popen([PY, "-m", "celery", "-A", "lessons.lesson08_monitoring.tasks", "flower",
                             "--address=127.0.0.1", f"--port={port}"], cwd=ROOT, env=flower_env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        def metrics() -> str:
            try:
                return str(flower_api(base, "GET", "/metrics")[1])
            except OSError:                               # not listening yet
                return ""
        deadline = time.monotonic() + 20                  # started, and hearing the worker's heartbeats
        while learner_worker not in metrics() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert learner_worker in metrics()
        task_id = send_tasks(1)[0]                        # add(0, 0)
        page = (0, "")
        for _ in range(50):
            page = flower_api(base, "GET", f"/task/{task_id}")
            if page[0] == 200:
                break
            time.sleep(0.1)
        assert page[0] == 200 and "(0, 0)" in str(page[1]), page   # no password: its arguments, to anyone
        status, why = flower_api(base, "POST", f"/api/task/revoke/{task_id}", form={})
        assert status == 401 and "FLOWER_UNAUTHENTICATED_API" in str(why), (status, why)
        assert flower_api(base, "POST", f"/api/worker/shutdown/{learner_worker}", form={})[0] == 401
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(10)


@pytest.mark.timeout(90)
def test_top_shows_the_learners_worker(learner_worker):
    proc = start("top", "--broker-url", DB_URL, "--seconds", "6", COLUMNS="80")
    out, watching = wait_line(proc, r"Watching the events", 20)
    assert watching, out
    time.sleep(0.5)
    send_tasks(12)
    rest, _ = proc.communicate(timeout=30)
    out += rest
    assert proc.returncode == 0, out
    assert learner_worker in out and re.search(r"SUCCESS 12\b", out), out


@pytest.mark.timeout(60)
def test_top_quits_cleanly_on_ctrl_c(redis_url):
    proc = start("top", "--broker-url", DB_URL)
    out, watching = wait_line(proc, r"Watching the events", 20)
    assert watching, out
    code, rest = interrupt(proc)
    assert code == 0 and "Traceback" not in rest, rest


@pytest.mark.timeout(30)
def test_top_and_flower_refuse_memory_mode():
    for command in ("top", "flower"):
        done = subprocess.run([PY, "runner.py", command, "--broker", "memory"], cwd=ROOT, env=env(),
                              capture_output=True, text=True, timeout=20)
        assert done.returncode == 2 and "memory://" in done.stdout + done.stderr


@pytest.mark.timeout(120)
def test_ctrl_c_while_flower_runs_leaves_nothing(redis_url):
    """Ctrl+C in lesson 8 while its Flower service runs (step 8): exit 130, no worker, Flower or
    celery CLI process of the run left, and no key of the run in Redis."""
    proc = start("lesson", "8", "--broker-url", DB_URL)
    out, found = wait_line(proc, r"Workers ready: \w+@(lesson8-[0-9a-f]+)", 40)
    assert found, out
    run_id = found.group(1)
    more, step = wait_line(proc, r"Step 8/\d+: Flower", 90)
    assert step, out + more
    assert processes_matching("flower --address=127.0.0.1"), "Flower should be running during step 8"
    code, rest = interrupt(proc)
    assert code == 130 and "Traceback" not in rest, rest
    assert not processes_matching(run_id)
    assert not processes_matching("flower --address=127.0.0.1")
    assert not list(redis.Redis.from_url(DB_URL).scan_iter(match=f"{run_id}:*"))
