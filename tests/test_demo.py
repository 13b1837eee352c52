"""demos/celery_demo runs on its own: a real worker started the documented way, the client against Redis."""
import os
import re
import secrets
import signal
import subprocess
import sys
import time

import pytest

# One xdist worker for the demo's tests: a demo worker of one test answers another test's client on the
# same broker ("a client without a worker says so" once found a worker).
pytestmark = pytest.mark.xdist_group("demo")

from .helpers import ROOT, own_redis_url, processes_matching

DEMO = ROOT / "demos" / "celery_demo"
DEMO_URL = own_redis_url("demo")      # a database of its own: no other test's worker consumes `celery` there


def demo_env(broker: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CLASSROOM_", "CELERY_"))}
    env.update(CELERY_BROKER_URL=broker, LANG="C.UTF-8", PYTHONUNBUFFERED="1")
    return env


def client(broker: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "client.py"], cwd=DEMO, env=demo_env(broker), capture_output=True,
                          text=True, timeout=timeout)


@pytest.fixture
def demo_worker(redis_url, tmp_path):
    """`celery -A tasks worker -Q celery,fast_queue,slow_queue` from the demo folder, as the README says."""
    name = f"demo-{secrets.token_hex(3)}"
    log = tmp_path / "worker.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "celery", "-A", "tasks", "worker", "-Q",
                                 "celery,fast_queue,slow_queue", "-c", "4", "-l", "info", "-n", f"{name}@%h"],
                                cwd=DEMO, env=demo_env(DEMO_URL), stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    try:
        deadline = time.monotonic() + 20
        while b" ready." not in log.read_bytes() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert b" ready." in log.read_bytes(), log.read_text()
        yield name
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)
    assert not processes_matching(f"{name}@")


@pytest.mark.broker
@pytest.mark.timeout(90)
def test_client_against_redis(demo_worker):
    began = time.monotonic()
    proc = client(DEMO_URL)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert time.monotonic() - began < 20
    out = proc.stdout
    row = r"{}\s+-> {}  \[SUCCESS, ({}@\S+), [0-9a-f]{{8}}\]"
    for label, value in [(r"add\(2, 3\)", "5"), (r"long_task\(10\)", r"\{'current': 10, 'total': 10, 'status': 'done'\}"),
                         (r"make_thumbnail\(1\) -> fast_queue", "'thumbnail 1'"),
                         (r"report_daily\('mon'\) -> slow_queue", "'daily report mon'"),
                         (r"add\(2, 2\) \| mul\(4\) \| add\(1\)", "17"), (r"chord\(mul\(i, i\)\)\(xsum\)", "30"),
                         ("workflow", "'report ready: 600 rows from 3 batches'")]:
        assert re.search(row.format(label, value, demo_worker), out), (label, out)   # run by OUR worker
    assert "group(mul(i, i))                   -> [1, 4, 9, 16]" in out
    progress = [int(m) for m in re.findall(r"PROGRESS (\d+)/10", out)]
    assert len(progress) >= 5 and progress == sorted(set(progress))   # real meta, rising


@pytest.mark.broker
def test_client_without_worker_says_so_fast(redis_url):
    began = time.monotonic()
    proc = client(DEMO_URL, timeout=30)
    assert proc.returncode == 1 and "No worker answered within 1 s" in proc.stdout, proc.stdout + proc.stderr
    assert time.monotonic() - began < 10


def test_client_without_broker_says_so_fast():
    began = time.monotonic()
    proc = client("redis://127.0.0.1:1/0", timeout=30)
    assert proc.returncode == 1 and "Cannot reach the broker" in proc.stdout, proc.stdout + proc.stderr
    assert time.monotonic() - began < 10
