"""The lesson kit's own promises, each tested once: texts are data and linted, a step past its deadline is
stopped and named, the code shown is plain Celery, queue depth is the broker's own count."""
import json
import shutil
import textwrap
import time
import uuid

import pytest
from celery import Celery

from classroom import ROOT
from classroom.lessonkit import lint
from classroom.lessonkit.step import Scenario
from classroom.lessonkit.texts import Texts

from .helpers import AMQP_URL, runner

LESSON = ROOT / "lessons" / "lesson01_basics"


def test_every_text_table_passes_the_lint():
    """Both languages, the same placeholders, every Chinese text confirmed against its English, every id
    a step uses defined and every defined id used."""
    assert lint.problems() == []


@pytest.fixture
def copy_of_lesson_one(tmp_path):
    """A repository-shaped copy of lesson 1 and the current record, to change without touching the tree."""
    root = tmp_path / "repo"
    shutil.copytree(LESSON, root / "lessons" / LESSON.name)
    record = tmp_path / "confirmed.json"
    record.write_text(lint.RECORD.read_text(encoding="utf-8"), encoding="utf-8")
    return root, record


def _lesson_problems(root, record):
    return [p for p in lint.problems(root, record) if "lessons/" in p or "lesson01" in p]


def test_a_changed_english_text_is_stale_until_confirmed(copy_of_lesson_one):
    root, record = copy_of_lesson_one
    steps = root / "lessons" / LESSON.name / "steps.toml"
    assert _lesson_problems(root, record) == []
    steps.write_text(steps.read_text(encoding="utf-8").replace('"add(2, 3) returned 5"', '"add(2, 3) gave 5"'),
                     encoding="utf-8")
    found = _lesson_problems(root, record)
    assert len(found) == 1 and "returned_5" in found[0] and "changed since its Chinese was confirmed" in found[0]
    lint.confirm(root, record)
    assert _lesson_problems(root, record) == []


def test_placeholders_missing_ids_and_dead_ids_are_found(copy_of_lesson_one):
    root, record = copy_of_lesson_one
    folder = root / "lessons" / LESSON.name
    steps = folder / "steps.toml"
    text = steps.read_text(encoding="utf-8").replace("{waited:.2f} 秒", "{wait:.2f} 秒")
    steps.write_text(text + '\n[failure.text.never_used]\nen = "x"\nzh = "x"\n', encoding="utf-8")
    scenario = folder / "scenario.py"
    scenario.write_text(scenario.read_text(encoding="utf-8").replace('"get_raised"', '"no_such_id"')
                        + '\n\ndef helper(run):\n    run.say({"en": "inline", "zh": "内联"})\n', encoding="utf-8")
    found = "\n".join(lint.problems(root, record))
    assert "placeholders differ: en ['waited'], zh ['wait']" in found
    assert "has no 'no_such_id'" in found and "'get_raised' is never used" in found
    assert "'never_used' is never used" in found
    assert "a {'en', 'zh'} text in code" in found


def test_a_brace_in_a_title_or_explanation_must_be_doubled(copy_of_lesson_one):
    """A title or explanation is shown without values, so 'meta={...}' would fail when the step is shown."""
    root, record = copy_of_lesson_one
    steps = root / "lessons" / LESSON.name / "steps.toml"
    text = steps.read_text(encoding="utf-8")
    steps.write_text(text.replace("PENDING means 'unknown yet'.", "PENDING means {...}."), encoding="utf-8")
    assert any("[states] explain.en is shown without values" in p for p in lint.problems(root, record))
    steps.write_text(text.replace("PENDING means 'unknown yet'.", "PENDING means {{...}}."), encoding="utf-8")
    assert not any("shown without values" in p for p in lint.problems(root, record))


def test_the_shown_code_is_plain_celery():
    code = {step.name: step.code for step in _lesson_one().steps}
    assert "value = result.get(timeout=5.0)" in code["delay_and_get"]
    assert "returned = result.get(timeout=5.0, propagate=False)" in code["failure"]
    assert "run.expect" not in "".join(code.values()) and "run.echo" not in "".join(code.values())


def _lesson_one() -> Scenario:
    from lessons.lesson01_basics import scenario
    return scenario.scenario


def test_a_step_without_its_words_is_named():
    texts = Texts.load(LESSON)
    assert texts.step_entry("delay_and_get", "title")["zh"]
    with pytest.raises(KeyError, match="no text 'nope'"):
        texts.render("delay_and_get", "nope", {})


OVERRUN_TOML = '''
number = 92
title = { en = "Deadline drill", zh = "时限演练" }
summary = { en = "tests only", zh = "仅用于测试" }
[[workers]]
name = "worker1"
concurrency = 1
'''
OVERRUN_STEPS = '''
[stuck]
title = { en = "stuck", zh = "卡住" }
explain = { en = "waits for what never comes", zh = "等待永远不会来的东西" }
[never]
title = { en = "never", zh = "不会运行" }
explain = { en = "must not run", zh = "不应运行" }
'''
OVERRUN_SCENARIO = '''
from pathlib import Path
from classroom.lessonkit import Scenario
scenario = Scenario()
MARK = Path(__file__).with_name("after-the-wait")


@scenario.step(deadline_s=1.5)
def stuck(run):
    run.wait_until(lambda: False, 30)
    MARK.write_text("the step ran on after its deadline")


@scenario.step()
def never(run):
    MARK.write_text("the next step ran")
'''


def test_a_text_chosen_by_a_measurement_counts_both_ids(tmp_path):
    scenario = tmp_path / "scenario.py"
    scenario.write_text("@scenario.step()\ndef bench(run):\n"
                        "    run.say('faster' if 1 < 2 else 'slower', x=1)\n"
                        "    run.say(name_in_a_variable)\n", encoding="utf-8")
    used, found = lint.used_ids(scenario)
    assert used == {"bench": {"faster", "slower"}}
    assert len(found) == 1 and "the text id must be a literal string" in found[0]


@pytest.mark.timeout(60)
def test_a_step_past_its_deadline_is_stopped_and_named(tmp_path):
    folder = tmp_path / "extra" / "lesson92_deadline"
    folder.mkdir(parents=True)
    for name, text in (("__init__.py", ""), ("lesson.toml", OVERRUN_TOML), ("steps.toml", OVERRUN_STEPS),
                       ("scenario.py", OVERRUN_SCENARIO),
                       ("tasks.py", "from celery import Celery\napp = Celery('l92')\n"
                                    "app.config_from_object('classroom.celeryconfig')\n")):
        (folder / name).write_text(textwrap.dedent(text))
    began = time.monotonic()
    proc = runner("lesson", "92", "--broker", "memory", "--report", str(tmp_path / "r.json"),
                  extra_env={"CLASSROOM_EXTRA_LESSONS": str(tmp_path / "extra")}, timeout=45)
    took = time.monotonic() - began
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert "Step 1 (stuck) ran past its bound of 1.5 s and was stopped" in " ".join(out.split()), out
    report = json.loads((tmp_path / "r.json").read_text())
    assert [s["name"] for s in report["steps"]] == ["stuck"]          # the next step never started
    time.sleep(0.5)
    assert not (folder / "after-the-wait").exists()                   # nor did the stuck one go on
    assert took < 20, took


def _app(url: str, prefix: str | None = None) -> Celery:
    app = Celery("depth", broker=url)
    if prefix:
        app.conf.broker_transport_options = {"global_keyprefix": prefix, "priority_steps": [0, 3, 6, 9]}
    return app


@pytest.mark.broker
def test_queue_depth_on_redis_counts_priority_keys_and_unacked(redis_url):
    from classroom.brokers.depth import queue_depth
    prefix, queue = f"kit-test-{uuid.uuid4().hex[:6]}:", "depth"
    app = _app(redis_url, prefix)
    try:
        with app.connection_for_write() as conn:
            producer = conn.Producer()
            for priority in (0, 5, 9):                    # three priority-step lists: queue, queue\x06\x163 ...
                producer.publish({"n": priority}, routing_key=queue, declare=[_kombu_queue(queue)], priority=priority)
        assert queue_depth(app, queue).ready == 3
        with app.connection_for_read() as conn:
            queue_obj = _kombu_queue(queue)(conn.default_channel)
            message = queue_obj.get(no_ack=False)          # taken, not acknowledged: in the unacked hash
            assert message is not None
            depth = queue_depth(app, queue)
            assert (depth.ready, depth.unacked) == (2, 1)
            message.ack()
    finally:
        import redis
        client = redis.Redis.from_url(redis_url)
        keys = list(client.scan_iter(match=f"{prefix}*"))
        if keys:
            client.delete(*keys)


@pytest.mark.broker
def test_queue_depth_on_rabbitmq_is_a_passive_declare(amqp_url):
    from classroom.brokers.depth import queue_depth
    queue = f"kit-test-{uuid.uuid4().hex[:6]}"
    app = _app(amqp_url)
    assert queue_depth(app, queue).ready == 0            # not declared: 0, not an error
    with app.connection_for_write() as conn:
        declared = _kombu_queue(queue, auto_delete=False)
        for n in range(2):
            conn.Producer().publish({"n": n}, routing_key=queue, declare=[declared])
        try:
            deadline = time.monotonic() + 3
            while queue_depth(app, queue).ready < 2 and time.monotonic() < deadline:
                time.sleep(0.05)
            depth = queue_depth(app, queue)
            assert (depth.ready, depth.unacked) == (2, None)
        finally:
            declared(conn.default_channel).delete()
            declared.exchange(conn.default_channel).delete()     # nothing of the test left on the vhost


def _kombu_queue(name: str, auto_delete: bool = False):
    from kombu import Exchange, Queue
    return Queue(name, Exchange(name, type="direct"), routing_key=name, auto_delete=auto_delete)


@pytest.mark.timeout(30)
def test_a_checker_reads_a_task_run_from_the_workers_events():
    """task_run(result) in an exercise's checker: the worker's own events (short name, state, attempts)."""
    from celery.contrib.testing.worker import start_worker

    from classroom.lessonkit import task_run
    from classroom.runtime.tracking import tracker

    app = Celery("kit_task_run", broker="memory://", backend="cache+memory://", set_as_current=False)
    app.conf.update(worker_send_task_events=True, task_send_sent_event=True)

    @app.task(name="kit_task_run.add")
    def add(x, y):
        return x + y

    tracker.start(app)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, hostname="checker1@kit-test"):
            result = add.delay(2, 3)
            assert result.get(timeout=10) == 5
            found = task_run(result, settle_s=5)
    finally:
        tracker.stop()
    assert (found.id, found.name, found.worker, found.state) == (result.id, "add", "checker1", "SUCCESS")
    assert len(found.attempts) == 1 and found.started and found.ended >= found.started
    assert task_run("no-such-task", settle_s=0).state == "PENDING"


def test_run_http_returns_a_status_and_never_raises_for_an_http_error():
    import http.server
    import threading

    from classroom.lessonkit import Run

    class Hello(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            status = 200 if self.path == "/hello" else 401
            self.send_response(status)
            self.end_headers()
            self.wfile.write(b'{"hello": "world"}' if status == 200 else b"no")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hello)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        run, base = Run(session=None), f"http://127.0.0.1:{server.server_port}"
        assert run.http("GET", base + "/hello") == (200, {"hello": "world"})
        assert run.http("GET", base + "/secret") == (401, "no")
    finally:
        server.shutdown()


@pytest.mark.broker
@pytest.mark.timeout(60)
def test_run_celery_runs_the_real_cli_against_the_runs_broker_and_dashboard_counts_events(redis_url):
    """`run.celery(...)`: the celery CLI with the run's environment; `run.dashboard()`: events from a real
    worker folded into workers and tasks."""
    from classroom import catalog
    from classroom.lessonkit import Run
    from classroom.runtime.session import Session
    from classroom.runtime.workers import WorkerSpec

    lesson = catalog.load(ROOT / "tests" / "fault_lesson")
    with Session(lesson, "auto", redis_url, worker_specs=[WorkerSpec(name="kit", concurrency=1)]) as session:
        run = Run(session=session)
        (code, output), (missing, said) = run.celery(
            ["inspect", "ping", "--timeout", "2", "-d", session.hostnames[0]],
            ["inspect", "ping", "--timeout", "0.3", "-d", "nobody@nowhere"])
        assert code == 0 and session.hostnames[0] in output, output
        assert missing == 69 and "No nodes replied" in said, said
        assert run.celery_shown(["inspect", "active"]).startswith(f"celery -A {lesson.app_module} -b redis://")
        tasks = __import__(lesson.app_module, fromlist=["sleepy"])
        with run.dashboard() as dash:
            done = [tasks.sleepy.delay(0) for _ in range(3)]
            for result in done:
                result.get(timeout=10)
            assert run.wait_until(lambda: dash.snapshot()["states"].get("SUCCESS", 0) == 3, 5)
            snap = dash.finish()
        assert snap["workers"][session.hostnames[0]]["processed"] == 3
        assert run.renderables          # shown after the step


@pytest.mark.broker
@pytest.mark.timeout(60)
def test_a_worker_still_being_started_is_not_reported_dead(redis_url):
    """A step's start_worker appends the worker before its process exists; the runner's health check,
    running meanwhile in the main thread, must not take it for a dead one (it raised AttributeError)."""
    from classroom import catalog
    from classroom.runtime.session import Session
    from classroom.runtime.workers import WorkerSpec

    lesson = catalog.load(ROOT / "tests" / "fault_lesson")
    with Session(lesson, "auto", redis_url, worker_specs=[WorkerSpec(name="kit", concurrency=1)]) as session:
        session.workers.append(session._make_worker(WorkerSpec(name="starting", concurrency=1)))
        session.fleet.check()                         # no process yet: neither dead nor an error
        session.workers.pop()


def test_a_worker_setting_goes_after_the_runners_flags():
    """`celery worker ... -- key=value` (Celery's command-line settings) must stay last: the runner's own
    flags (-E ...) after `--` would be read as settings."""
    from classroom.runtime.workers import ProcessWorker, WorkerSpec
    spec = WorkerSpec("w", ("q",), 1, args=("--", "broker_channel_error_retry=True"))
    cmd = ProcessWorker(Celery("x"), "lessons.lesson09_acks_redelivery.tasks", spec, "w@t", {}).process.cmd
    assert cmd[-2:] == ["--", "broker_channel_error_retry=True"] and "-E" in cmd[:cmd.index("--")]


def test_a_rabbitmq_setting_is_skipped_where_the_runner_does_not_control_the_server():
    from classroom.lessonkit import StepSkipped
    from classroom.lessonkit.server import rabbitmq_setting
    for url in ("amqp://guest:guest@rabbit.example.com:5672//", "redis://127.0.0.1:6379/0"):
        with pytest.raises(StepSkipped):
            with rabbitmq_setting(url, "consumer_timeout", 2000):
                raise AssertionError("the block must not run")


@pytest.mark.broker
def test_a_rabbitmq_setting_is_restored_after_the_block_and_after_a_failure():
    """A key of our own in the `rabbit` application (harmless on a shared server): set in the block, unset
    again after it, also when the block raises."""
    from classroom.lessonkit import StepSkipped
    from classroom.lessonkit.server import _read, rabbitmq_setting
    key = f"classroom_kit_probe_{uuid.uuid4().hex[:6]}"
    try:
        with rabbitmq_setting(AMQP_URL, key, 7) as old:
            assert old is None and _read(key) == "7"
            raise RuntimeError("a failing step")
    except StepSkipped as skipped:
        pytest.skip(f"no local RabbitMQ under control: {skipped.reason}")
    except RuntimeError:
        pass
    assert _read(key) is None


@pytest.mark.broker
@pytest.mark.xdist_group("play-rabbitmq")   # beside the RabbitMQ plays, whose lesson 9 takes the same lock
def test_rabbitmq_setting_blocks_nest_in_one_run_and_another_run_is_refused_meanwhile():
    """Lesson 9 lowers the channel tick around a shorter consumer_timeout block: one run takes the
    machine-wide lock once for both; another process asking meanwhile is skipped, changing nothing."""
    import subprocess
    import sys
    from classroom.lessonkit.server import _read, _why_not, rabbitmq_setting
    outer, inner, other = (f"classroom_kit_probe_{uuid.uuid4().hex[:6]}" for _ in range(3))
    probe = textwrap.dedent(f"""
        from classroom.lessonkit import StepSkipped
        from classroom.lessonkit.server import rabbitmq_setting
        try:
            with rabbitmq_setting({AMQP_URL!r}, {other!r}, 3):
                print("changed")
        except StepSkipped as skipped:
            print("skipped:", skipped.reason)
        """)
    if _why_not(AMQP_URL) is not None:
        pytest.skip(f"no local RabbitMQ under control: {_why_not(AMQP_URL)}")
    with rabbitmq_setting(AMQP_URL, outer, 1):
        with rabbitmq_setting(AMQP_URL, inner, 2):        # a StepSkipped here fails the test
            assert (_read(outer), _read(inner)) == ("1", "2")
            said = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True,
                                  timeout=60).stdout
        assert (_read(outer), _read(inner)) == ("1", None)
    assert said.startswith("skipped:") and _read(other) is None, said
    assert _read(outer) is None


def test_a_worker_log_line_is_tidied_of_both_prefixes():
    from classroom.lessonkit import tidy_line
    task_id = "3646d7d0-1111-2222-3333-444455556666"
    main = f"[2026-12-06 03:27:45,366: INFO/MainProcess] Discarding revoked task: x.ping[{task_id}]"
    child = f"[2026-12-06 03:27:45,366: ERROR/ForkPoolWorker-1] x.alert[{task_id}]: alert: {task_id} in pid 5"
    assert tidy_line(main) == "Discarding revoked task: x.ping[3646d7d0]"
    assert tidy_line(child) == "alert: 3646d7d0 in pid 5"
