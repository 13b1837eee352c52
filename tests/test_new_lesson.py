"""Adding a lesson is adding a folder: a throwaway lesson, written here into a temporary folder outside the
repository, declares a [celery] table and two services (beat and any command) and is played as it is.

Its [celery] settings must reach the app in the runner *and* the worker and beat processes: the task
reports the worker's own configuration, beat sends a schedule that exists only in the table, and the
HTTP service answers on the port the runner chose. Nothing of it is left running afterwards.
"""
import json
import textwrap
import time

import pytest

from .helpers import REDIS_URL, processes_matching, runner

LESSON_TOML = '''
number = 91
title = { en = "A throwaway lesson", zh = "临时课程" }
summary = { en = "tests only", zh = "仅用于测试" }

[celery]
worker_prefetch_multiplier = 3
task_default_queue = "throwaway"
classroom_marker = "from lesson.toml"

[celery.broker_transport_options]
visibility_timeout = 7

[celery.beat_schedule.ping-fast]
task = "lesson91_throwaway.tasks.ping"
schedule = 0.3

[[services]]
name = "beat"

[[services]]
name = "web"
kind = "command"
command = ["{python}", "-m", "http.server", "{port}", "--bind", "127.0.0.1"]
ready_port = true

[[workers]]
name = "worker1"
concurrency = 1
'''

TASKS = '''
from celery import Celery

app = Celery("lesson91")
app.config_from_object("classroom.celeryconfig")


@app.task(bind=True)
def settings_seen(self):
    conf = self.app.conf
    return {"prefetch": conf.worker_prefetch_multiplier, "queue": conf.task_default_queue,
            "marker": conf.classroom_marker, "transport": dict(conf.broker_transport_options),
            "delivered_to": self.request.delivery_info.get("routing_key")}


@app.task
def ping():
    return "pong"
'''

SCENARIO = '''
import time
import urllib.request

from classroom.player.scenario import Scenario

from . import tasks

scenario = Scenario()
T = {"en": "t", "zh": "t"}


@scenario.step(title={"en": "settings reach the worker", "zh": "设置到达 worker"}, explain=T)
def settings(run):
    seen = run.get(tasks.settings_seen.delay())
    run.data["worker"] = seen
    run.data["client"] = {"prefetch": run.app.conf.worker_prefetch_multiplier, "queue": run.app.conf.task_default_queue}
    run.expect(seen["prefetch"] == 3 and seen["marker"] == "from lesson.toml", T)


@scenario.step(title={"en": "beat sends the table's schedule", "zh": "beat 发送表里的调度"}, explain=T)
def beat(run):
    began = time.time()
    run.sleep(1.2)
    pings = [r for r in run.step_tasks() if "ping" in (run.app.AsyncResult(r.id).name or "ping")]
    run.data["pings"] = len(pings)
    run.data["beat_info"] = run.session.services["beat"].info
    run.expect(len(pings) >= 2, T)


@scenario.step(title={"en": "the web service answers", "zh": "web 服务有响应"}, explain=T)
def web(run):
    web = run.session.services["web"]
    with urllib.request.urlopen(f"http://127.0.0.1:{web.port}/", timeout=3) as reply:
        run.data["status"] = reply.status
    run.data["port"] = web.port
    run.expect(reply.status == 200, T)
'''


def write_lesson(root):
    folder = root / "lesson91_throwaway"
    folder.mkdir(parents=True)
    (folder / "__init__.py").write_text("")
    (folder / "lesson.toml").write_text(textwrap.dedent(LESSON_TOML))
    (folder / "tasks.py").write_text(TASKS)
    (folder / "scenario.py").write_text(SCENARIO)
    return folder


@pytest.mark.parametrize("args", [("--broker", "memory"), pytest.param(("--broker-url", REDIS_URL), marks=pytest.mark.broker)],
                         ids=["memory", "redis"])
def test_a_new_folder_with_settings_and_two_services_plays(tmp_path, args, request):
    if "--broker-url" in args:
        request.getfixturevalue("redis_url")
    write_lesson(tmp_path / "extra")
    report_path = tmp_path / "report.json"
    proc = runner("lesson", "91", *args, "--report", str(report_path),
                  extra_env={"CLASSROOM_EXTRA_LESSONS": str(tmp_path / "extra")})
    report = json.loads(report_path.read_text())
    assert proc.returncode == 0, proc.stdout + proc.stderr
    steps = {s["name"]: s for s in report["steps"]}
    worker = steps["settings"]["data"]["worker"]
    assert worker["prefetch"] == 3 and worker["marker"] == "from lesson.toml" and worker["queue"] == "throwaway"
    assert worker["delivered_to"] == "throwaway"                                  # the app sent it there too
    assert worker["transport"]["visibility_timeout"] == 7                          # the table's key...
    assert worker["transport"]["socket_timeout"] == 3.0                            # ...merged into the defaults
    assert steps["settings"]["data"]["client"] == {"prefetch": 3, "queue": "throwaway"}
    assert steps["beat"]["data"]["pings"] >= 2
    assert steps["web"]["data"]["status"] == 200
    port = steps["web"]["data"]["port"]
    time.sleep(0.2)
    assert not processes_matching(f"http.server {port}")
    assert not processes_matching(report["workers"][0].split("@")[1])
