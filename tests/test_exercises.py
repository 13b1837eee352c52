"""Exercises on real workers: solutions pass, starters fail at their first TODO, a broken student file
is reported within its bounds with nothing left running, and hint/reset/progress/watch behave.

Every test uses its own exercise folder and state dir (CLASSROOM_EXERCISES_DIR, CLASSROOM_STATE_DIR),
so a learner's files and progress in the repository are never touched.
"""
import hashlib
import json
import shutil
import subprocess
import threading
import time

import pytest

from classroom.practice import catalog

from .helpers import PY, ROOT, env, processes_matching, runner

EXERCISES = {ex.number: ex for ex in catalog.exercises()}


def practice(tmp_path, *args, timeout=120, **kw):
    """The runner with this test's own exercise folder and state dir."""
    (tmp_path / "work").mkdir(exist_ok=True)
    extra = {"CLASSROOM_EXERCISES_DIR": str(tmp_path / "work"), "CLASSROOM_STATE_DIR": str(tmp_path / "state")}
    return runner(*args, timeout=timeout, extra_env=extra, **kw)


def check(tmp_path, *args, timeout=120):
    """`check ... --report`: (process, the list of runs from the JSON report)."""
    report = tmp_path / f"check-{time.monotonic_ns()}.json"
    proc = practice(tmp_path, "check", *args, "--report", str(report), timeout=timeout)
    runs = json.loads(report.read_text())["runs"] if report.exists() else None
    return proc, runs


def student_file(tmp_path, number, text=None, source="starter"):
    ex = EXERCISES[number]
    path = tmp_path / "work" / f"{ex.module}.py"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text if text is not None else ex.path(source).read_text())
    return path


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


def step_of(run, n):
    return next(s for s in run["steps"] if s["n"] == n)


def assert_nothing_left(*marks):
    for mark in ("classroom.practice.child",) + marks:
        assert not processes_matching(mark), processes_matching(mark)


# --- teacher: every solution passes, every starter fails where its first TODO says ----------------

def assert_solutions_real(runs, mode):
    by = {r["number"]: r for r in runs}
    assert set(by) == set(EXERCISES) and all(r["ok"] and r["mode"] == mode for r in runs), runs
    assert step_of(by[1], 3)["data"]["waited_s"] >= 0.45                     # the countdown was honoured
    assert step_of(by[2], 2)["data"]["states"].count("PROGRESS") >= 2
    assert step_of(by[3], 2)["data"]["resize"]["worker"].startswith("images@")
    assert step_of(by[3], 3)["data"]["urgent"]["queue"] == "urgent"
    assert step_of(by[4], 4)["data"] == {"value": 14, "mul": 4, "total": 1}  # a real chord
    assert step_of(by[6], 2)["data"]["span_s"] >= 0.6 > step_of(by[6], 3)["data"]["span_s"]
    assert step_of(by[7], 2)["data"]["runs"] >= 3
    assert len(step_of(by[24], 3)["data"]["real"]) == 2                      # both workers took tasks
    return by


@pytest.mark.timeout(200)
def test_solutions_pass_memory(tmp_path):
    proc, runs = check(tmp_path, "--all", "--solutions", "--broker", "memory", "--jobs", "3", timeout=190)
    assert f"{len(EXERCISES)} exercises, 3 at a time" in proc.stdout, proc.stdout[:500]      # side by side (--jobs 3)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    by = assert_solutions_real(runs, "memory")
    assert step_of(by[24], 4)["status"] == "skip"                            # said plainly, not faked
    assert_nothing_left()


@pytest.mark.timeout(200)
def test_starters_fail_at_first_todo_memory(tmp_path):
    proc, runs = check(tmp_path, "--all", "--starters", "--broker", "memory", "--jobs", "3", timeout=190)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for run in runs:
        ex = EXERCISES[run["number"]]
        assert not run["ok"] and run["first_failure"] == min(catalog.todo_numbers(ex.starter_path)), run
        failed = step_of(run, run["first_failure"])
        assert failed["expected"] and failed["actual"], failed


@pytest.mark.broker
@pytest.mark.slow
@pytest.mark.timeout(200)
def test_solutions_pass_redis(tmp_path, redis_url):
    proc, runs = check(tmp_path, "--all", "--solutions", "--broker-url", redis_url, "--jobs", "3", timeout=190)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    by = assert_solutions_real(runs, "redis")
    counts = step_of(by[24], 4)["data"]                                      # prefork: real node names
    assert counts["counts"] == counts["real"] and len(counts["real"]) == 2
    assert_nothing_left("exercise.solution")


@pytest.mark.broker
@pytest.mark.slow
@pytest.mark.timeout(200)
def test_starters_fail_redis(tmp_path, redis_url):
    proc, runs = check(tmp_path, "--all", "--starters", "--broker-url", redis_url, "--jobs", "3", timeout=190)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert all(not r["ok"] and r["first_failure"] == 2 and r["mode"] == "redis" for r in runs), runs
    assert_nothing_left("exercise.starter")


# --- a student's file: checked, never changed; broken ones are reported within bounds --------------

def test_check_never_modifies_the_file_and_records_progress(tmp_path):
    path = student_file(tmp_path, 1)
    before = digest(path)
    proc, runs = check(tmp_path, "1", "--broker", "memory")
    assert proc.returncode == 1 and runs[0]["first_failure"] == 2
    assert digest(path) == before
    path.write_text(EXERCISES[1].solution_path.read_text())
    before = digest(path)
    proc, runs = check(tmp_path, "1", "--broker", "memory")
    assert proc.returncode == 0 and runs[0]["ok"], proc.stdout
    assert digest(path) == before and not (path.parent / "__pycache__").exists()
    saved = json.loads((tmp_path / "state" / "progress.json").read_text())
    assert saved["exercises"]["1"]["done"] is True and saved["exercises"]["1"]["checks"] == 2


def test_syntax_error_names_file_and_line(tmp_path):
    text = EXERCISES[1].starter_path.read_text().replace("    return None\n", "    return x +\n", 1)
    line = text.splitlines().index("    return x +") + 1
    path = student_file(tmp_path, 1, text)
    proc, runs = check(tmp_path, "1", "--broker", "memory")
    failed = step_of(runs[0], 1)
    assert proc.returncode == 1 and failed["status"] == "fail"
    assert f"line {line}" in failed["actual"] and path.name in failed["actual"], failed
    assert all(s["status"] == "notrun" for s in runs[0]["steps"][1:])


def test_endless_loop_at_import_is_stopped(tmp_path):
    student_file(tmp_path, 1, EXERCISES[1].starter_path.read_text() + "\nwhile True:\n    pass\n")
    began = time.monotonic()
    proc, runs = check(tmp_path, "1", "--broker", "memory")
    assert time.monotonic() - began < 15
    assert proc.returncode == 1 and "did not finish within 5 s" in step_of(runs[0], 1)["actual"]
    assert_nothing_left()


def never_returns(tmp_path):
    text = EXERCISES[1].starter_path.read_text().replace("    return None\n", "    while True:\n        pass\n", 1)
    return student_file(tmp_path, 1, text)


def test_task_that_never_returns_memory(tmp_path):
    never_returns(tmp_path)
    began = time.monotonic()
    proc, runs = check(tmp_path, "1", "--broker", "memory")
    assert time.monotonic() - began < 20            # in-process worker thread spinning: the child is ended
    failed = step_of(runs[0], 2)
    assert proc.returncode == 1 and "STARTED" in failed["actual"] and "within 3 s" in failed["expected"]
    assert_nothing_left()


@pytest.mark.broker
def test_task_that_never_returns_redis(tmp_path, redis_url):
    never_returns(tmp_path)
    began = time.monotonic()
    proc, runs = check(tmp_path, "1", "--broker-url", redis_url)
    assert time.monotonic() - began < 25
    assert proc.returncode == 1 and "STARTED" in step_of(runs[0], 2)["actual"]
    assert_nothing_left(runs[0]["workers"][0], "exercises.ex01_results")    # prefork child killed too


def test_plain_function_is_not_a_task(tmp_path):
    student_file(tmp_path, 1, EXERCISES[1].solution_path.read_text().replace("@app.task\n", "", 1))
    proc, runs = check(tmp_path, "1", "--broker", "memory")
    assert proc.returncode == 1 and "not a task" in step_of(runs[0], 2)["actual"]


def test_ctrl_c_during_a_check_leaves_nothing(tmp_path):
    never_returns(tmp_path)
    extra = {"CLASSROOM_EXERCISES_DIR": str(tmp_path / "work"), "CLASSROOM_STATE_DIR": str(tmp_path / "state")}
    proc = subprocess.Popen([PY, "runner.py", "check", "1", "--broker", "memory"], cwd=ROOT, env=env(**extra),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    log = tmp_path / "state" / "logs" / "check-ex01_results-student.log"
    end = time.monotonic() + 20
    while time.monotonic() < end and '"n": 1' not in (log.read_text() if log.exists() else ""):
        time.sleep(0.1)
    proc.send_signal(2)                                  # Ctrl+C
    out, _ = proc.communicate(timeout=20)
    assert proc.returncode == 130, out
    assert_nothing_left()


# --- hint, reset, progress, watch -------------------------------------------------------------------

def test_hints_are_revealed_one_at_a_time(tmp_path):
    total = len(EXERCISES[3].hints)
    first = practice(tmp_path, "hint", "3").stdout
    assert "Hint 1/" in first and "Hint 2/" not in first
    second = practice(tmp_path, "hint", "3").stdout
    assert "Hint 2/" in second and f"Hint {total + 1}/" not in second
    for _ in range(total):
        last = practice(tmp_path, "hint", "3").stdout
    assert f"Hint {total}/{total}" in last and "lesson03_routing/exercise/solution.py" in last
    saved = json.loads((tmp_path / "state" / "progress.json").read_text())
    assert saved["exercises"]["3"]["hints"] == total
    zh = practice(tmp_path, "--lang", "zh", "hint", "3").stdout
    assert "提示 1/" in zh and EXERCISES[3].hints[0]["zh"][:8] in zh


def test_reset_asks_keeps_a_backup_and_restores(tmp_path):
    path = student_file(tmp_path, 2, "# my work in progress\n")
    refused = practice(tmp_path, "reset", "2", stdin=subprocess.DEVNULL)
    assert refused.returncode == 2 and "--yes" in refused.stderr
    assert path.read_text() == "# my work in progress\n"
    done = practice(tmp_path, "reset", "2", "--yes")
    assert done.returncode == 0, done.stderr
    assert path.read_bytes() == EXERCISES[2].starter_path.read_bytes()
    backups = list((tmp_path / "state" / "backups").glob("ex02_progress-*.py"))
    assert [b.read_text() for b in backups] == ["# my work in progress\n"]


def test_progress_survives_restarts_and_resets(tmp_path):
    student_file(tmp_path, 22, source="solution")
    assert check(tmp_path, "22", "--broker", "memory")[0].returncode == 0
    listed = practice(tmp_path, "list").stdout
    assert any(line.lstrip("│ ").startswith("✓") and "Call with different" in line for line in listed.splitlines())
    assert "Exercises done: 1/" in practice(tmp_path, "progress").stdout       # a new process: it persisted
    assert practice(tmp_path, "progress", "--reset").returncode == 0
    assert not (tmp_path / "state" / "progress.json").exists()
    assert "Exercises done: 0/" in practice(tmp_path, "progress").stdout


def test_watch_checks_again_when_the_file_is_saved(tmp_path):
    path = student_file(tmp_path, 1)
    extra = {"CLASSROOM_EXERCISES_DIR": str(tmp_path / "work"), "CLASSROOM_STATE_DIR": str(tmp_path / "state")}
    proc = subprocess.Popen([PY, "runner.py", "watch", "1", "--broker", "memory", "--max-runs", "3"], cwd=ROOT,
                            env=env(**extra), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            stdin=subprocess.DEVNULL)
    lines, first_failed = [], threading.Event()

    def read():
        for line in proc.stdout:
            lines.append(line)
            if "Watching" in line:
                first_failed.set()
    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert first_failed.wait(30), "".join(lines)
        shutil.copyfile(EXERCISES[1].solution_path, path)              # the student saves the fix
        assert proc.wait(60) == 0, "".join(lines)
    finally:
        if proc.poll() is None:
            proc.kill()
    reader.join(5)
    out = "".join(lines)
    assert out.count("imports and defines app") == 2 and "changed: checking again" in out and "passed" in out, out
    assert json.loads((tmp_path / "state" / "progress.json").read_text())["exercises"]["1"]["done"]


def test_watch_manual_mode_rechecks_on_enter(tmp_path):
    student_file(tmp_path, 1)
    proc = practice(tmp_path, "watch", "1", "--manual", "--broker", "memory", "--max-runs", "2", input="\n")
    assert proc.returncode == 1 and proc.stdout.count("imports and defines app") == 2 and "Stopped after 2 checks" in proc.stdout


def test_exercise_creates_the_file_and_lists_todos_in_both_languages(tmp_path):
    shown = practice(tmp_path, "exercise", "2")
    path = tmp_path / "work" / "ex02_progress.py"
    assert shown.returncode == 0 and path.read_bytes() == EXERCISES[2].starter_path.read_bytes()
    said = " ".join(shown.stdout.split())      # as read: the path's length (xdist's popen-gwN/) moves the wraps
    assert "TODO 2: after each number, tell the caller how far it got" in said and "check 2" in said
    zh = "".join(practice(tmp_path, "--lang", "zh", "exercise", "2").stdout.split())
    assert "每数一个数，就告诉调用者进度" in zh and "已从初始文件" not in zh                   # not created twice
    assert practice(tmp_path, "check", "99").returncode == 2


# --- a correct solution passes in every mode, written as the learner's own script would be ---------
PLAIN_ASYNCRESULT = '''
    from celery.result import AsyncResult
    return AsyncResult(task_id).state
'''


@pytest.mark.broker
@pytest.mark.parametrize("mode", ["memory", "redis", "rabbitmq"])
def test_a_solution_using_plain_asyncresult_passes_in_every_mode(tmp_path, mode, request):
    """`AsyncResult(id)` without the app uses Celery's current app: the student's app, as in their own
    script, although the check calls their function from a helper thread."""
    url = {"memory": None, "redis": "redis_url", "rabbitmq": "amqp_url"}[mode]
    text = EXERCISES[1].path("solution").read_text()
    text = text.replace("\n    return app.AsyncResult(task_id).state\n", PLAIN_ASYNCRESULT)
    assert "from celery.result import AsyncResult" in text
    student_file(tmp_path, 1, text)
    args = ["--broker", "memory"] if url is None else ["--broker-url", request.getfixturevalue(url)]
    proc, runs = check(tmp_path, "1", *args)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert runs[0]["ok"] and runs[0]["first_failure"] is None


@pytest.mark.timeout(10)
def test_new_tasks_does_not_count_a_task_of_an_earlier_check_reported_late():
    """A CI run counted 5 mul tasks for exercise 4's chord of 4: the chain of the check before sent
    mul(10) from its worker, and that task's event reached the checker just after the chord check had
    taken its `known_tasks()`. A task counts as new only if it began (sent, received, started) after."""
    from classroom.practice.checks import Ctx
    from classroom.runtime.tracking import tracker
    ctx = Ctx(module=None, mode="redis", workers=[])
    earlier = time.time()
    before = ctx.known_tasks()
    late = {"type": "task-received", "uuid": "late-mul", "name": "tasks.mul", "timestamp": earlier,
            "hostname": "worker1@x"}
    tracker.on_event(late)                                     # arrives now, began before the snapshot
    tracker.on_publish(headers={"id": "new-mul", "task": "tasks.mul"}, routing_key="celery")
    for task_id in ("late-mul", "new-mul"):
        tracker.on_event({"type": "task-succeeded", "uuid": task_id, "timestamp": time.time()})
    try:
        assert [r.id for r in ctx.new_tasks(before, "mul", settle_s=0.1)] == ["new-mul"]
    finally:
        with tracker.lock:
            tracker.tasks.pop("late-mul", None)
            tracker.tasks.pop("new-mul", None)
