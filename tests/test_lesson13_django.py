"""Lesson 13 beyond expect.py: the Django demo on its own (check, migrate, a real worker, a real browser)
and nothing left behind by the lesson (no Django server, worker or database file), Ctrl+C included.

The demo is run as its README says (manage.py, `celery -A proj worker`), from its own folder, with
its database in tmp_path and its broker in the test Redis database. Installing it in a fresh venv
from its requirements.txt is what a learner does; it is too slow for CI and not done here.
"""
import re
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from classroom.runtime.process import ManagedProcess
from classroom.runtime.services import free_port, port_accepts
from lessons.lesson13_django.web import Browser

from . import browser
from .helpers import PY, ROOT, STATE_DIR, env, lesson, own_redis_url, processes_matching

DEMO = ROOT / "demos" / "django_project"
DEMO_KEYS = ("celery", "_kombu.binding.celery", "_kombu.binding.celery.pidbox", "_kombu.binding.celeryev",
             "_kombu.binding_permanent.celery", "_kombu.binding_deadlines", "unacked", "unacked_index",
             "unacked_mutex")


def demo_env(tmp_path: Path, redis_url: str) -> dict:
    # The demo's own settings (no DJANGO_SETTINGS_MODULE from the runner), its database in tmp_path.
    return {**env(DJANGO_DB_PATH=str(tmp_path / "db.sqlite3"), CELERY_BROKER_URL=redis_url),
            "DJANGO_SETTINGS_MODULE": "proj.settings"}


def wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"not within {seconds} s: {what}")


@pytest.mark.broker
@pytest.mark.timeout(120)
def test_the_demo_migrates_serves_and_a_browser_sees_pending_then_success(tmp_path, redis_url):
    import redis
    redis_url = own_redis_url("django")      # the demo's plain worker and queue `celery`, apart from other tests'
    env_ = demo_env(tmp_path, redis_url)
    for command in (["check"], ["migrate", "--noinput", "-v", "0"]):
        done = subprocess.run([PY, "manage.py", *command], cwd=DEMO, env=env_, capture_output=True, text=True,
                              timeout=60)
        assert done.returncode == 0, done.stdout + done.stderr
    port = free_port()
    web = ManagedProcess("runserver", [PY, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
                         tmp_path / "web.log", env=env_, cwd=str(DEMO), ready=lambda p: port_accepts(port))
    worker = ManagedProcess("worker", [PY, "-m", "celery", "-A", "proj", "worker", "-l", "info", "-c", "1",
                                       "--without-gossip", "--without-mingle"],
                            tmp_path / "worker.log", env=env_, cwd=str(DEMO),
                            ready=lambda p: " ready." in p.log_tail(40), start_s=30)
    try:
        web.start()
        client = Browser(port)
        status, job, _ = client.post_json("/api/reports/", {"title": "Browser", "pages": 4})
        assert status == 202, job
        page = f"http://127.0.0.1:{port}{job['page_url']}"
        # No worker yet: the message waits in the queue, and the page can only say PENDING.
        before = browser.dom(page, tmp_path)
        assert re.search(r'id="state">PENDING<', before), before[-2000:]
        worker.start()
        wait_for(lambda: client.get_json(job["status_url"])["state"] == "SUCCESS", 20, "the task to succeed")
        after = browser.dom(page, tmp_path)
        assert re.search(r'id="state">SUCCESS<', after) and "width: 100%" in after, after[-2000:]
        assert "page 4 of 4" in after
        shot = browser.screenshot(page, tmp_path / "progress.png")
        assert shot.exists() and shot.stat().st_size > 1000
        with sqlite3.connect(tmp_path / "db.sqlite3") as db:          # django-celery-results' row
            row = db.execute("select status, task_name from django_celery_results_taskresult where task_id = ?",
                             (job["task_id"],)).fetchone()
        assert row == ("SUCCESS", "jobs.tasks.build_report")
    finally:
        worker.stop()
        web.stop()
        redis.Redis.from_url(redis_url).delete(*DEMO_KEYS)
    assert not processes_matching(f"runserver 127.0.0.1:{port}")
    assert not processes_matching(str(tmp_path))


def database_files() -> list[Path]:
    return sorted((STATE_DIR / "django").glob("db-*")) if (STATE_DIR / "django").exists() else []


@pytest.mark.timeout(90)
def test_memory_mode_leaves_no_database_and_says_why_the_web_steps_skip(tmp_path):
    proc, report = lesson(13, "--broker", "memory", tmp_path=tmp_path)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    skipped = {s["name"] for s in report["steps"] if s["skipped"]}
    assert skipped == {"enqueue_from_request", "poll_status"}
    assert "python runner.py lesson 13 --broker redis" in proc.stdout
    assert not database_files()


@pytest.mark.broker
@pytest.mark.timeout(90)
def test_ctrl_c_mid_lesson_stops_django_worker_and_beat_and_deletes_the_database(redis_url):
    proc = subprocess.Popen([PY, "runner.py", "lesson", "13", "--broker-url", redis_url], cwd=ROOT, env=env(),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    seen, run_id = "", None
    deadline = time.monotonic() + 45
    while time.monotonic() < deadline and "Step 3/" not in seen:      # the web server is up and answering
        line = proc.stdout.readline()
        seen += line
        run_id = run_id or (re.search(r"Workers ready: \w+@(lesson13-[0-9a-f]+)", seen) or [None, None])[1]
        if not line and proc.poll() is not None:
            break
    assert run_id and "Step 3/" in seen, seen
    assert database_files() and processes_matching("manage.py runserver")
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=20)
    assert proc.returncode == 130, seen + out
    assert not processes_matching(run_id)                              # worker and beat
    assert not processes_matching("django_project/manage.py runserver")
    assert not database_files()
