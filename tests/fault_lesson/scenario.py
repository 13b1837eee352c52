"""Fault drills: each step waits long enough for a test to break something in the middle.

Which steps run is chosen with the FAULT_STEPS environment variable (comma-separated names)."""
import os
import time

from classroom.player.scenario import Scenario

from . import tasks

scenario = Scenario()
_wanted = set(filter(None, os.environ.get("FAULT_STEPS", "").split(",")))


def drill(func):
    if not _wanted or func.__name__ in _wanted:
        scenario.step(title={"en": func.__name__, "zh": func.__name__},
                      explain={"en": "fault drill", "zh": "故障演练"})(func)
    return func


@drill
def long_wait(run):
    result = tasks.sleepy.delay(4)
    run.get(result, timeout=8)


@drill
def unregistered(run):
    result = tasks.app.send_task("tests.fault_lesson.tasks.no_such_task")
    run.get(result)


@drill
def not_json(run):
    tasks.add.delay({1, 2}, 3)


@drill
def ignored(run):
    sent = tasks.fire_and_forget.delay(1)    # sent.get() would return None at once (sent.ignored)
    run.get(tasks.app.AsyncResult(sent.id), timeout=1)   # but the id alone: PENDING forever


@drill
def unknown_id(run):
    run.get(tasks.app.AsyncResult("0000-not-a-real-task-id"), timeout=1)


@drill
def raises_then_serves(run):
    failed = tasks.boom.delay()
    try:
        run.get(failed)
    except ValueError as exc:
        run.data["error"] = f"{type(exc).__name__}: {exc}"
    run.data["traceback_has_boom"] = "boom on purpose" in (failed.traceback or "")
    run.data["next"] = run.get(tasks.add.delay(1, 1))


@drill
def many(run):
    """Twenty tasks at once: two runs sharing a broker would each see some of the other's."""
    results = [tasks.add.delay(i, i) for i in range(20)]
    run.data["sums"] = [run.get(result) for result in results]
    run.data["hosts"] = [task.host for task in run.tasks(results)]     # who ran each, from the events


@drill
def wrong_queue(run):
    run.get(tasks.add.apply_async((1, 1), queue="nobody_listens"), timeout=1)


@drill
def time_limit(run):
    result = tasks.limited.delay(2)
    try:
        run.data["value"] = run.get(result)
    except Exception as exc:
        run.data["error"] = type(exc).__name__
    run.data["seconds"] = time.monotonic()
