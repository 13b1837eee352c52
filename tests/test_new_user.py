"""Issue 21, the engine part: what a new user meets (copyable commands, Flower's port and password,
wrapping, the class CSV, one Ctrl+C). Each test failed before its fix."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import time

import pytest
from rich.cells import cell_len

from .helpers import PY, ROOT, env, processes_matching


def _start_worker_command(*args: str, extra_env: dict | None = None) -> tuple[subprocess.Popen, str]:
    """`runner.py worker ARGS` in its own process group, as a terminal starts it; returns once celery is ready."""
    proc = subprocess.Popen([PY, "runner.py", "worker", *args], cwd=ROOT, env=env(**(extra_env or {})),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    seen = ""
    deadline = time.monotonic() + 40
    while " ready." not in seen and time.monotonic() < deadline and proc.poll() is None:
        seen += proc.stdout.readline()
    if " ready." not in seen:
        proc.kill()
        raise AssertionError(f"the worker did not start:\n{seen}")
    return proc, seen


@pytest.mark.broker
@pytest.mark.timeout(60)
def test_ctrl_c_in_the_terminal_gives_one_warm_shutdown(redis_url):
    """Bug 11: the terminal sends SIGINT to the whole foreground group; celery must hear it once."""
    proc, seen = _start_worker_command("1", "--broker-url", redis_url)
    name = re.search(r"(worker1@\S+) ready", seen).group(1)
    sent = time.monotonic()
    os.killpg(proc.pid, signal.SIGINT)              # what Ctrl+C in a terminal does
    out, _ = proc.communicate(timeout=20)
    took = time.monotonic() - sent
    assert proc.returncode == 130, out
    assert out.count("Warm shutdown") == 1, out
    assert "Second Ctrl+C" not in out, out
    assert took < 6, took
    assert not processes_matching(name)


@pytest.mark.broker
@pytest.mark.timeout(90)
def test_worker_13_prints_a_command_that_works_when_copied(redis_url, tmp_path):
    """Bug 2: the two lines `worker 13` prints, pasted into a shell at the repository root, start the
    same worker on the same broker (it needs --workdir demos/django_project)."""
    proc, seen = _start_worker_command("13", "--broker-url", redis_url)
    os.killpg(proc.pid, signal.SIGINT)
    proc.communicate(timeout=20)
    lines = seen.splitlines()
    start = next(i for i, line in enumerate(lines) if "This is the same as running" in line)
    eval_line, celery_line = lines[start + 1].strip(), lines[start + 2].strip()
    assert eval_line == f'eval "$(python runner.py env 13 --broker-url {redis_url})"', eval_line
    assert celery_line.startswith("celery --workdir demos/django_project -A proj.celery worker"), celery_line
    script = f"{eval_line}\nexec {celery_line} -c 1"
    shell = subprocess.Popen(["bash", "-c", script], cwd=ROOT, env=env(PATH=os.path.dirname(PY) + os.pathsep + os.environ["PATH"]),
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    out = ""
    deadline = time.monotonic() + 40
    try:
        while " ready." not in out and time.monotonic() < deadline and shell.poll() is None:
            out += shell.stdout.readline()
    finally:
        os.killpg(shell.pid, signal.SIGTERM)
        out += shell.communicate(timeout=20)[0]
    assert " ready." in out, out
    db = redis_url.rsplit("/", 1)[1]
    assert re.search(rf"Connected to redis://\S*127\.0\.0\.1:6379/{db}\b", out), out   # the runner's broker, not 6379/0
    assert ".> lesson13" in out, out


def test_env_footer_keeps_the_learners_arguments():
    from .helpers import runner
    proc = runner("env", "3", "--broker-url", "redis://127.0.0.1:6379/9")
    assert proc.returncode == 0, proc.stderr
    assert 'eval "$(python runner.py env 3 --broker-url redis://127.0.0.1:6379/9)"' in proc.stderr, proc.stderr


@pytest.mark.broker
@pytest.mark.timeout(60)
def test_flower_on_a_taken_port_says_who_holds_it(redis_url):
    """Bug 3: no "Flower is up", no traceback: the port and its holder are named before Flower starts."""
    import socket
    from .helpers import runner
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        proc = runner("flower", "8", "--broker-url", redis_url, "--port", str(port), "--seconds", "5")
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert "Flower is up" not in out and "Traceback" not in out and "Errno 98" not in out, out
    assert f"{port}" in out and f"pid {os.getpid()}" in out, out      # the holder: this test's process
    assert "--port" in out, out                                           # the way out: another port


@pytest.mark.broker
@pytest.mark.timeout(60)
def test_flower_password_is_not_in_the_process_table(redis_url):
    """Bug 4: the password reaches Flower through FLOWER_BASIC_AUTH (flower 2.2 command.py
    apply_env_options), not its command line, and Flower still asks for it."""
    from classroom.runtime.flower import api as flower_api
    from classroom.runtime.proctable import find
    password = "pw-not-in-ps-4"
    # CLASSROOM_FLOWER_PASSWORD: a --password typed on the runner's own command line would be in ps anyway.
    proc = subprocess.Popen([PY, "runner.py", "flower", "8", "--broker-url", redis_url, "--seconds", "20"],
                            cwd=ROOT, env=env(CLASSROOM_FLOWER_PASSWORD=password), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    seen = ""
    try:
        deadline = time.monotonic() + 30
        while "Flower is up" not in seen and "password" not in seen and time.monotonic() < deadline:
            seen += proc.stdout.readline()
        seen += proc.stdout.readline() + proc.stdout.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+", seen).group(0)
        flowers = find(lambda cmd: " flower" in cmd and "--address=127.0.0.1" in cmd)
        assert flowers, seen
        assert not find(lambda cmd: password in cmd), flowers
        assert flower_api(url, "GET", "/api/workers")[0] == 401
        assert flower_api(url, "GET", "/api/workers", credentials=("classroom", password))[0] == 200
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        proc.communicate(timeout=20)


@pytest.mark.broker
@pytest.mark.timeout(60)
def test_flower_with_no_workers_says_to_start_one(redis_url):
    """`flower 8` alone: Flower's page says "No workers are available"; the runner says how to start one."""
    from .helpers import runner
    import os
    empty, student = redis_url, f"nobody{os.getpid()}"   # a namespace of its own: other tests' workers share the db
    proc = runner("flower", "8", "--broker-url", empty, "--student", student, "--seconds", "1",
                  extra_env={"CLASSROOM_FLOWER_PASSWORD": "x"})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    said = " ".join((proc.stdout + proc.stderr).split())
    assert f"python runner.py worker 8 --broker-url {empty} --student {student}" in said, said


def _lines(text: str, width: int, prefix: str = "") -> list[str]:
    from rich.console import Console

    from classroom import layout
    return [line.plain for line in layout.paragraph(Console(width=width, color_system=None), text, prefix=prefix)]


def test_inline_code_never_breaks_after_its_backtick():
    """Bug 5: a command inside `backticks` ends at the closing backtick, and the backticks stay with it."""
    text = ("Events carry every state change of the workers and tasks. That is all Flower and "
            "`celery events` do. A monitor that starts late sees nothing from before.")
    for width in range(50, 81, 3):
        lines = _lines(text, width, prefix="  ✓ ")
        assert not any(line.rstrip().endswith("`") and line.count("`") % 2 for line in lines), (width, lines)
        assert any("`celery events`" in line for line in lines), (width, lines)
        assert all(cell_len(line) <= width for line in lines), (width, lines)


def test_no_line_over_the_width_and_a_long_command_is_still_copyable():
    """Bug 5: the 93-column line of lesson 8 at 80 columns; a command longer than the line continues
    behind a shell line continuation (` \\`), so that pasting it still runs it."""
    tip = ("The runner started `celery -A ... flower --address=127.0.0.1 --port=5555 "
           "--inspect_timeout=1000` beside the workers. Its pages read the same events.")
    for width in (60, 80):
        lines = _lines(tip, width, prefix="  💡 ")
        assert all(cell_len(line) <= width for line in lines), lines
    shorter = tip.replace(" --port=5555", "")      # fits a line: it stays whole ("..." ends no sentence)
    assert any("`celery -A ... flower --address=127.0.0.1 --inspect_timeout=1000`" in line
               for line in _lines(shorter, 80, prefix="  💡 ")), _lines(shorter, 80, prefix="  💡 ")
    command = "celery -A lessons.lesson08_monitoring.tasks -b redis://127.0.0.1:6379/1 inspect active --timeout 1"
    lines = _lines(command, 80, prefix="  ")
    assert all(cell_len(line) <= 80 for line in lines), lines
    assert any(line.endswith(" \\") for line in lines), lines
    shell = subprocess.run(["bash", "-c", "printf '%s\\n' " + "\n".join(lines)], capture_output=True, text=True)
    assert shell.stdout.split() == command.split(), (lines, shell.stdout)


def test_lesson_texts_are_plain_text_in_every_part_of_a_step():
    """Bug 6 (engine side): a step's title, notes, checks, explanation and failure are plain text alike:
    "[args, kwargs, embed]" prints as written, and so does a text escaped for rich markup ("\\[")."""
    from types import SimpleNamespace

    from classroom import ui
    run = SimpleNamespace(observations=[], notes=["notes [rate_limit=2/s]"], renderables=[], timelines=[],
                          checks=[(True, "the JSON body is \\[args, kwargs, embed]"), (False, "plain [args, kwargs]")])
    step = SimpleNamespace(explain={"en": "explained \\[args, kwargs, embed] and [queue=x]", "zh": "解释 [args]"},
                           title={"en": "title [x]", "zh": "标题 [x]"}, code="x = 1")
    with ui.console.capture() as captured:
        ui.step_start(1, 1, step)
        ui.step_outcome(step, run, False, 0.5, "failed with [errno 111] refused")
    out = captured.get()
    assert "\\[" not in out, out
    for text in ("title [x]", "notes [rate_limit=2/s]", "the JSON body is [args, kwargs, embed]",
                 "plain [args, kwargs]", "explained [args, kwargs, embed] and [queue=x]", "[errno 111]"):
        assert text in out, (text, out)


@pytest.mark.parametrize("command", [("lesson", "13"), ("check", "9"), ("worker", "1")])
def test_no_broker_is_handled_one_way(command, tmp_path):
    """Bug 8: the same exit code (3), the More-help link, and a fix for the port that was asked for."""
    import socket
    from .helpers import runner
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]                 # free again once closed: nothing listens there
    url = f"redis://127.0.0.1:{port}/0"
    proc = runner(*command, "--broker-url", url, timeout=60, extra_env={"CLASSROOM_EXERCISES_DIR": str(tmp_path)})
    out = proc.stdout + proc.stderr
    assert proc.returncode == 3, out
    assert "More help: docs/troubleshooting.md#broker.unreachable" in out, out
    assert f"127.0.0.1:{port}:6379" in out or f"--port {port}" in out, out      # the fix names that port
    assert "127.0.0.1:6379:6379" not in out, out


@pytest.mark.timeout(120)
def test_class_csv_error_column_says_what_happened(tmp_path):
    """Bug 9: the CSV's `error` column names the syntax error's line and the import bound, as the
    single-student check does; and the table has a legend."""
    import csv

    from classroom.practice import catalog

    from .helpers import runner
    ex = catalog.get(1)
    students = {"alice": ex.solution_path.read_text(), "carol": 'from celery import Celery\napp = Celery("x"\n',
                "dave": "while True:\n    pass\n", "erin": None}
    for name, text in students.items():
        (tmp_path / "class" / name).mkdir(parents=True)
        if text is not None:
            (tmp_path / "class" / name / f"{ex.module}.py").write_text(text)
    out = tmp_path / "class.csv"
    proc = runner("check", "1", "--class", str(tmp_path / "class"), "--csv", str(out), "--broker", "memory",
                  timeout=110, extra_env={"CLASSROOM_STATE_DIR": str(tmp_path / "state")})
    assert proc.returncode == 0, proc.stdout + proc.stderr        # every student checked: 0, whatever they scored
    assert "✓ passed" in proc.stdout and "· not run" in proc.stdout  # the legend of the marks shown
    rows = {row["student"]: row for row in csv.DictReader(out.open(encoding="utf-8"))}
    assert rows["alice"]["error"] == "", rows["alice"]
    assert "syntax error" in rows["carol"]["error"] and "line 2" in rows["carol"]["error"], rows["carol"]
    assert "within 5 s" in rows["dave"]["error"], rows["dave"]
    assert rows["erin"]["error"] == "no file"
    assert "check 1" in rows["carol"]["error"], rows["carol"]            # which check said so


def test_class_summary_counts_checks_skipped_for_everyone():
    """"20 of 30 pass every check" said nothing of checks 3-5 that no one could run in memory mode."""
    from types import SimpleNamespace

    from classroom.practice import classcheck
    steps = [{"n": 1, "status": "ok"}, {"n": 2, "status": "ok"}, {"n": 3, "status": "skip"}, {"n": 4, "status": "skip"}]
    results = [classcheck.StudentResult("a", SimpleNamespace(steps=steps, ok=True, error="")),
               classcheck.StudentResult("b", SimpleNamespace(steps=steps[:1] + [{"n": 2, "status": "fail", "actual": "x"},
                                                                                  {"n": 3, "status": "notrun"},
                                                                                  {"n": 4, "status": "skip"}],
                                                             ok=False, error="")),
               classcheck.StudentResult("c", None)]
    assert classcheck.skipped_for_everyone(results, 4) == [4]
    assert classcheck.error_of(results[1]) == "check 2: x" and classcheck.error_of(results[0]) == ""


STATUS_SCRIPT = r'''
import json
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from celery import states
from proj.celery import app
app.backend.store_result("race-1", {"current": 2, "total": 5}, "PROGRESS")
client = Client(HTTP_HOST="127.0.0.1")
with CaptureQueriesContext(connection) as queries:
    body = json.loads(client.get("/api/tasks/race-1/").content)
reads = [q["sql"] for q in queries if "django_celery_results_taskresult" in q["sql"] and q["sql"].startswith("SELECT")]
app.backend.store_result("race-1", {"pages": 5}, states.SUCCESS)
done = json.loads(client.get("/api/tasks/race-1/").content)
print("RESULT " + json.dumps({"reads": len(reads), "body": body, "done": done}))
'''


@pytest.mark.timeout(90)
def test_django_demo_status_view_reads_state_and_info_once(tmp_path):
    """Bug 10: `task_status` read the backend twice (state, then info): a task that finished in between
    was reported as PROGRESS with the final result and 0 %. One read gives the state and its data together."""
    import json
    demo = ROOT / "demos" / "django_project"
    env_ = {**env(DJANGO_DB_PATH=str(tmp_path / "db.sqlite3"), CELERY_BROKER_URL="memory://"),
            "DJANGO_SETTINGS_MODULE": "proj.settings"}
    migrate = subprocess.run([PY, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=demo, env=env_,
                             capture_output=True, text=True, timeout=60)
    assert migrate.returncode == 0, migrate.stderr
    shell = subprocess.run([PY, "manage.py", "shell", "-c", STATUS_SCRIPT], cwd=demo, env=env_,
                           capture_output=True, text=True, timeout=60)
    line = next((l for l in shell.stdout.splitlines() if l.startswith("RESULT ")), None)
    assert line, shell.stdout + shell.stderr
    got = json.loads(line[len("RESULT "):])
    assert got["body"]["state"] == "PROGRESS" and got["body"]["percent"] == 40, got
    assert got["reads"] == 1, got
    assert got["done"]["state"] == "SUCCESS" and got["done"]["percent"] == 100 and got["done"]["current"] == 5, got


@pytest.mark.parametrize("width", [60, 80, 100])
def test_observations_never_squeeze_the_result_column(width):
    """Tables at exactly 80 columns squeezed the result to 8 characters a line (lesson 9:
    `WorkerLo / stError:` over 9 lines): the wide layout is used only where the result has room."""
    from classroom import ui
    from classroom.player.scenario import Observation
    rows = [Observation("2c5b4c1d-aaaa", "early_ack", "FAILURE",
                        "WorkerLostError: Worker exited prematurely: signal 9 (SIGKILL) Job: 0.",
                        "worker1@lesson9-cfa3", 0.088, label="early ack"),
            Observation("6dc1b55d-bbbb", "late_ack", "SUCCESS", 1.0, "worker1@lesson9-cfa3", 1.046, label="acks_late")]
    with ui.console.capture() as captured:
        old = ui.console.width
        ui.console.width = width
        try:
            ui.console.print(ui.observations(rows))
        finally:
            ui.console.width = old
    lines = captured.get().splitlines()
    assert all(cell_len(line) <= width for line in lines), lines
    assert any("WorkerLostError: Worker" in line for line in lines), lines     # 20+ characters a line
    assert len(lines) <= 7, lines


def test_a_timeline_fits_60_columns_with_its_end_time_and_distinct_lanes():
    """Lesson 11 at 60 columns: the timeline lost its end time and showed four identical lane names."""
    import time as time_

    from rich.console import Console

    from classroom.player import timeline
    from classroom.runtime.tracking import TaskRecord
    now = time_.time()
    records = []
    for i in range(4):
        rec = TaskRecord(f"id-{i}", "lessons.lesson11_scaling.tasks.io_bound")
        rec.hostname, rec.sent, rec.started, rec.ended = f"worker{i + 1}@lesson11-3f2a9c", now, now + 0.1, now + 1.3
        records.append(rec)
    for width in (60, 80):
        console = Console(width=width, color_system=None, record=True)
        console.print(timeline.render(records, "four workers", width=width))
        lines = console.export_text().splitlines()
        assert all(cell_len(line) <= width for line in lines), lines
        assert any(line.rstrip().endswith("1.30 s") for line in lines), lines
        lanes = [line.split()[0] for line in lines if line.startswith("worker") and "#" in line]
        assert len(lanes) == 4 and len(set(lanes)) == 4, lines


def test_check_steps_wrap_under_their_text_not_at_column_0():
    """`check` output wrapped back to column 0 ("…imports and defines" / "app")."""
    from classroom import ui
    from classroom.practice.runner import show_step
    title = "your file imports and defines app, a Celery app whose broker is the runner's broker, and its tasks"
    old = ui.console.width
    ui.console.width = 60
    try:
        with ui.console.capture() as captured:
            for status in ("ok", "fail", "skip", "notrun", "stretch_open"):
                show_step({"n": 1, "title": title, "status": status, "seconds": 0.1, "expected": title,
                           "actual": title, "note": title})
    finally:
        ui.console.width = old
    lines = [line for line in captured.get().splitlines() if line.strip()]
    assert all(cell_len(line) <= 60 for line in lines), lines
    assert all(line.startswith("  ") for line in lines), lines


@pytest.mark.broker
@pytest.mark.timeout(60)
def test_worker_9_tip_names_each_other_worker_once_with_the_broker(redis_url):
    """`--name standby (also: standby, eager, modest)` repeated itself and dropped --broker."""
    proc, seen = _start_worker_command("9", "--broker-url", redis_url)
    os.killpg(proc.pid, signal.SIGINT)
    proc.communicate(timeout=20)
    for name in ("standby", "eager", "modest"):
        assert seen.count(f"python runner.py worker 9 --name {name} --broker-url {redis_url}") == 1, seen
    assert "also:" not in seen, seen


def test_an_unknown_exercise_links_to_troubleshooting_like_an_unknown_lesson():
    from .helpers import runner
    for command in (("check", "99"), ("exercise", "99"), ("lesson", "99")):
        proc = runner(*command)
        assert proc.returncode == 2 and "More help: docs/troubleshooting.md#" in proc.stderr, (command, proc.stderr)


def test_every_starter_lists_its_todos_in_order():
    """Exercise 9 listed its TODOs as 3, 2, 4: a learner reads a file top to bottom."""
    from classroom.practice import catalog
    for ex in catalog.exercises():
        numbers = catalog.todo_numbers(ex.starter_path)
        assert numbers == sorted(numbers), f"exercise {ex.number}: TODOs in the order {numbers}"


def test_old_runs_are_pruned_from_the_state_folder(tmp_path):
    """Every lesson 11 run left a .classroom/multi/lesson11-XXXX/ folder, and logs/ was never pruned:
    the files of the last few runs are kept, the rest go; files named after no run stay."""
    from classroom import paths
    logs, multi = tmp_path / "logs", tmp_path / "multi"
    runs = ["ex9-00aa"] + [f"lesson11-{i:04x}" for i in range(8)]          # oldest first
    now = time.time()
    for i, run_id in enumerate(runs):
        when = now - 100 * (len(runs) - i)
        for path in (logs / f"worker-w1-{run_id}.log", logs / f"service-{run_id}-multi-start.log",
                     multi / run_id / "node.pid"):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("x")
            os.utime(path, (when, when))
        os.utime(multi / run_id, (when, when))
    (logs / "flower.log").write_text("x")
    paths.prune(tmp_path, keep=5)
    assert {p.name for p in multi.iterdir()} == set(runs[-5:])
    assert {p.name for p in logs.iterdir()} == ({f"worker-w1-{r}.log" for r in runs[-5:]} |
                                                {f"service-{r}-multi-start.log" for r in runs[-5:]} | {"flower.log"})


@pytest.mark.timeout(90)
def test_a_test_worker_in_memory_mode_stops_without_its_2_s_poll():
    """Slow: lesson 14 in memory mode waited drain_events(timeout=2.0) in each test worker's teardown
    (3 s for celery_worker). The runner's pytest sessions load classroom.runtime.pytest_wake."""
    samples = ROOT / "lessons" / "lesson14_testing" / "sample_tests"
    proc = subprocess.run([PY, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "classroom.runtime.pytest_wake",
                           "--durations=0", "-vv", "test_fixtures.py"], cwd=samples, capture_output=True, text=True,
                          timeout=80, env=env(PYTHONPATH=str(ROOT)))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    teardown = re.search(r"([\d.]+)s teardown\s+test_fixtures.py::test_add_on_a_real_worker", proc.stdout)
    took = float(teardown.group(1)) if teardown else 0.0
    assert took < 1.0, proc.stdout


def test_narrow_observations_wrap_a_long_label_not_the_result():
    """Lesson 13 at 80 columns: long labels ("delay() inside a rolled-back transaction: build_report")
    left the result 14 columns ("worker1@lesson13-" / "0675 · 244 ms")."""
    from classroom import ui
    from classroom.player.scenario import Observation
    rows = [Observation("3e18ab47-aaaa", "build_report", "SUCCESS", {"report": 3, "title": "committed", "pages": 1},
                        "worker1@lesson13-0675", 0.244, label="on_commit() after a commit"),
            Observation("4f29bc58-bbbb", "build_report", "FAILURE", "DoesNotExist: Report matching query does not exist.",
                        "worker1@lesson13-0675", 0.051, label="delay() inside a rolled-back transaction")]
    old = ui.console.width
    ui.console.width = 80
    try:
        with ui.console.capture() as captured:
            ui.console.print(ui.observations(rows))
    finally:
        ui.console.width = old
    out = captured.get()
    assert "worker1@lesson13-0675 · 244 ms" in out, out
    assert "{'report': 3, 'title': 'committed'," in out, out


@pytest.mark.broker
@pytest.mark.timeout(60)
def test_ctrl_c_lets_the_running_task_finish(redis_url):
    """The stop the runner passes on is the terminal's (SIGINT to the worker's group): pool processes
    ignore it, so a task under way finishes (a warm shutdown) instead of dying with WorkerLostError."""
    proc, seen = _start_worker_command("1", "--broker-url", redis_url)
    # Ctrl+C once the task runs in a pool process (STARTED: the course turns task_track_started on).
    # A task the worker has received but no pool process has taken yet is not "under way": a warm
    # shutdown gives its message back to the broker ("Restoring 1 unacknowledged message(s)"), as a
    # CI run on a busy machine saw when this test pressed Ctrl+C at a fixed 0.6 s.
    code = ("from lessons.lesson01_basics import tasks\n"
            "import time\n"
            "r = tasks.slow_add.delay(2, 3, 2.0)\n"
            "deadline = time.monotonic() + 15\n"
            "while r.state != 'STARTED' and time.monotonic() < deadline: time.sleep(0.05)\n"
            "print('STATE', r.state, flush=True)\n"
            "print('RESULT', r.get(timeout=15), flush=True)\n")
    client = subprocess.Popen([PY, "-c", code], cwd=ROOT, env=env(CLASSROOM_BROKER_URL=redis_url,
                                                               CLASSROOM_RESULT_BACKEND=redis_url),
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert client.stdout.readline().strip() == "STATE STARTED"
    os.killpg(proc.pid, signal.SIGINT)               # Ctrl+C while the task sleeps
    out, _ = proc.communicate(timeout=20)
    rest, _ = client.communicate(timeout=20)
    assert "RESULT 5" in rest, rest + out
    assert proc.returncode == 130 and out.count("Warm shutdown") == 1, out
