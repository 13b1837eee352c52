"""What `python runner.py lesson 1` plays. Each step's body is shown to the learner as it runs;
its words (titles, explanations, checks) are in steps.toml beside this file."""
import time

from classroom.lessonkit import Scenario

from . import tasks

scenario = Scenario()


@scenario.step()
def delay_and_get(run):
    result = tasks.add.delay(2, 3)           # returns at once
    value = run.get(result)                  # waits for the worker, bounded
    run.show(result)
    run.expect(value == 5, "returned_5")


@scenario.step()
def countdown(run):
    sent = time.monotonic()
    result = tasks.multiply.apply_async((6, 7), countdown=0.3)
    run.expect(not result.ready(), "not_ready_yet")
    value = run.get(result)
    waited = time.monotonic() - sent
    run.show(result)
    run.expect(value == 42, "returned_42")
    run.expect(waited >= 0.3, "came_after", waited=waited)


@scenario.step()
def states(run):
    # countdown=0.2 holds the task a moment, so that PENDING can be seen before a worker starts it
    result = tasks.slow_add.apply_async((1, 2), {"seconds": 0.2}, countdown=0.2)
    seen = []
    run.poll(result, until=lambda state, info: state in ("SUCCESS", "FAILURE"),
             on_change=lambda state, info: seen.append(state))
    run.show(result)
    run.echo(" → ".join(seen))
    run.expect(seen[0] == "PENDING" and seen[-1] == "SUCCESS", "first_and_last")
    run.expect("STARTED" in seen, "started_seen")


@scenario.step()
def lookup_by_id(run):
    task_id = tasks.add.delay(20, 22).id
    again = tasks.app.AsyncResult(task_id)   # e.g. in another request, another process
    value = run.get(again)
    run.show(again)
    run.expect(value == 42 and again.state == "SUCCESS", "found_by_id")


@scenario.step()
def direct_call(run):
    here = tasks.whoami()                    # runs in this process, right now
    result = tasks.whoami.delay()            # runs on a worker
    there = run.get(result)
    shown = run.show(result)
    run.echo(f"whoami()       -> {here}")
    run.echo(f"whoami.delay() -> {there}")
    run.expect(here.startswith("called directly"), "not_on_a_worker")
    run.expect(there.startswith("run by a worker") and shown.worker in run.workers, "on_the_worker")


@scenario.step()
def failure(run):
    result = tasks.divide.delay(1, 0)
    try:
        run.get(result)
        raised = None
    except ZeroDivisionError as exc:         # the worker's exception, rebuilt here
        raised = exc
    returned = run.get(result, propagate=False)
    run.show(result)
    run.echo(result.traceback.strip().splitlines()[-1])
    run.expect(isinstance(raised, ZeroDivisionError), "get_raised")
    run.expect(isinstance(returned, ZeroDivisionError) and result.state == "FAILURE", "returned_instead")
