"""Ctrl+C and SIGTERM in the middle of a lesson: a prompt exit and no process left behind."""
import re
import signal
import subprocess
import time

import pytest

from .helpers import PY, ROOT, env, processes_matching


def start_lesson(*args: str, number: str = "1") -> tuple[subprocess.Popen, str]:
    """Start a lesson and return once its workers are ready, with the run id from their hostnames."""
    proc = subprocess.Popen([PY, "runner.py", "lesson", number, *args], cwd=ROOT, env=env(),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    seen = ""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        seen += line
        match = re.search(r"Workers ready: \w+@(lesson\d+-[0-9a-f]+)", seen)
        if match:
            return proc, match.group(1)
        if not line and proc.poll() is not None:
            break
    proc.kill()
    raise AssertionError(f"lesson did not start:\n{seen}")


def _ctrl_c_twice(proc: subprocess.Popen) -> None:
    """A learner's second Ctrl+C: the run ends at once (exit 130, within 5 s), cleaning up as it goes."""
    proc.send_signal(signal.SIGINT)
    time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    sent = time.monotonic()
    proc.communicate(timeout=15)
    assert proc.returncode == 130 and time.monotonic() - sent < 5


@pytest.mark.broker
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_signal_mid_lesson_stops_everything(redis_url, sig):
    proc, run_id = start_lesson("--broker-url", redis_url)
    assert processes_matching(run_id), "the worker should be running before the signal"
    time.sleep(0.3)  # inside the first steps
    sent = time.monotonic()
    proc.send_signal(sig)
    out, _ = proc.communicate(timeout=15)
    took = time.monotonic() - sent
    assert proc.returncode == 130, out
    assert took < 8, took
    assert "Interrupted" in out and "Traceback" not in out
    assert not processes_matching(run_id)


@pytest.mark.broker
@pytest.mark.parametrize("number", ["1", "5"])
def test_second_ctrl_c_kills_at_once_and_still_deletes_the_run_keys(redis_url, number):
    import redis
    proc, run_id = start_lesson("--broker-url", redis_url, number=number)
    time.sleep(0.8)                                  # a step is under way: queues and unacked keys exist
    client = redis.Redis.from_url(redis_url)
    assert list(client.scan_iter(match=f"{run_id}:*")), "the run should have keys in Redis by now"
    _ctrl_c_twice(proc)
    deadline = time.monotonic() + 3
    while processes_matching(run_id) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not processes_matching(run_id)
    assert not list(client.scan_iter(match=f"{run_id}:*"))        # no _kombu.binding.*, no :unacked


@pytest.mark.broker
def test_second_ctrl_c_still_deletes_the_run_vhost_on_rabbitmq(amqp_url):
    from .test_shared_broker import _ctl, _need_rabbitmqctl
    _need_rabbitmqctl()
    proc, run_id = start_lesson("--broker-url", amqp_url, number="1")
    assert [v for v in _ctl("list_vhosts") if run_id in v], "the run should have its own vhost by now"
    _ctrl_c_twice(proc)
    assert not [v for v in _ctl("list_vhosts") if run_id in v]


def test_ctrl_c_in_memory_mode():
    proc, run_id = start_lesson("--broker", "memory")
    sent = time.monotonic()
    proc.send_signal(signal.SIGINT)
    proc.communicate(timeout=15)
    assert proc.returncode == 130
    assert time.monotonic() - sent < 5


@pytest.mark.broker
def test_worker_command_runs_in_foreground_and_ctrl_c_stops_it(redis_url):
    proc = subprocess.Popen([PY, "runner.py", "worker", "1", "--broker-url", redis_url], cwd=ROOT, env=env(),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    seen = ""
    deadline = time.monotonic() + 30
    while " ready." not in seen and time.monotonic() < deadline and proc.poll() is None:
        seen += proc.stdout.readline()
    assert "celery -A lessons.lesson01_basics.tasks worker -l info" in seen   # the plain command, shown
    assert " ready." in seen and "lessons.lesson01_basics.tasks.add" in seen
    name = re.search(r"(worker1@\S+) ready", seen).group(1)
    stopped = time.monotonic()
    proc.send_signal(signal.SIGINT)     # the runner alone: it must pass the stop on to celery
    out, _ = proc.communicate(timeout=20)
    assert proc.returncode == 130, out
    assert time.monotonic() - stopped < 6
    assert "shutdown" in out.lower()          # celery said it shut down warmly
    assert not processes_matching(name)
