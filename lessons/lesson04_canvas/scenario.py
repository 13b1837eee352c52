"""What `python runner.py lesson 4` plays. Each step's body is shown to the learner as it runs;
its words (titles, explanations, checks) are in steps.toml beside this file."""
from celery import chain, chord, group
from celery.backends.rpc import RPCBackend
from celery.exceptions import ChordError

from classroom.lessonkit import EVENT_SLACK_S, Scenario

from . import tasks

scenario = Scenario()


def spans(runs):
    """(name, started, ended) of each task run, for the report."""
    return [(r.name, r.started, r.ended) for r in runs]


def side_by_side(runs) -> bool:
    """Did every task start before the first one ended?"""
    return max(r.started for r in runs) < min(r.ended for r in runs)


@scenario.step()
def signatures(run):
    full = tasks.add.s(2, 2)            # add(2, 2), not sent yet
    partial = tasks.sub.s(10)           # one argument still missing
    fed = chain(tasks.add.s(2, 2), tasks.add.s(10))     # add(4, 10)
    ignored = chain(tasks.add.s(2, 2), tasks.add.si(10, 10))   # add(10, 10)
    results = [full.delay(), partial.delay(5), fed.delay(), ignored.delay()]
    values = [run.get(r) for r in results]
    run.echo(f"repr(full)    = {full!r}")
    run.echo(f"repr(partial) = {partial!r}   partial.delay(5) -> {values[1]}")
    run.echo(f"add.s(2, 2) | add.s(10)       -> {values[2]}")
    run.echo(f"add.s(2, 2) | add.si(10, 10)  -> {values[3]}")
    for r in results:
        run.show(r)
    run.data.update(values=values, immutable=tasks.add.si(1, 1).immutable)
    run.expect(values[:2] == [4, -5], "partial_in_front")
    run.expect(values[2:] == [14, 20], "s_and_si")


@scenario.step()
def group_parallel(run):
    job = group(tasks.square.s(i, seconds=0.2 * (5 - i)) for i in range(1, 5))
    result = job.apply_async()          # a GroupResult
    values = run.get(result)
    for r in result.results:
        run.show(r)
    run.timeline(result.results, "group_lanes")
    run.state["runs"] = run.tasks(result.results)
    run.data.update(values=values, spans=spans(run.state["runs"]),
                    finish_order=[v for v, r in sorted(zip(values, run.state["runs"]), key=lambda p: p[1].ended)])
    run.expect(values == [1, 4, 9, 16], "group_order")
    run.expect(run.data["finish_order"] == [16, 9, 4, 1], "finished_reversed")
    run.expect(side_by_side(run.state["runs"]), "all_started_first")


@scenario.step()
def chain_serial(run):
    workflow = tasks.add.s(2, 2) | tasks.mul.s(4) | tasks.add.s(1)    # = chain(...)
    result = workflow.apply_async()
    value = run.get(result)
    steps = [result.parent.parent, result.parent, result]
    for r in steps:
        run.show(r)
    run.timeline(steps, "chain_lanes")
    run.state["runs"] = run.tasks(steps)
    run.data.update(value=value, values=[r.result for r in steps], spans=spans(run.state["runs"]))
    run.expect(value == 17 and run.data["values"] == [4, 16, 17], "fed_forward")
    run.expect(run.state["runs"].one_after_another(), "one_after_another")


@scenario.step()
def chord_callback(run):
    if isinstance(tasks.app.backend, RPCBackend):
        run.skip("no_chords_on_rpc")
    header = [tasks.square.s(i, seconds=0.2) for i in range(1, 5)]
    result = chord(header)(tasks.xsum.s())      # the callback's AsyncResult
    value = run.get(result)
    members = result.parent.results              # the header's results
    for r in members + [result]:
        run.show(r)
    run.timeline(members + [result], "chord_lanes")
    run.state["header"] = run.tasks(members)
    run.state["callback"] = run.task(result)
    run.data.update(value=value, header=spans(run.state["header"]), callback=spans([run.state["callback"]]))
    run.expect(value == 30, "xsum_30")
    run.expect(side_by_side(run.state["header"])
               and run.state["callback"].started >= max(r.ended for r in run.state["header"]) - EVENT_SLACK_S,
               "callback_after_header")


@scenario.step()
def chunks_starmap(run):
    pairs = [(1, 2), (3, 4), (5, 6)]
    one_task = tasks.add.starmap(pairs).delay()
    three_tasks = tasks.add.chunks(zip(range(6), range(6)), 2).apply_async()
    starmapped, chunked = run.get(one_task), run.get(three_tasks)
    run.show(one_task)
    for r in three_tasks.results:
        run.show(r)
    run.data.update(starmap=starmapped, chunks=chunked, chunk_tasks=len(three_tasks.results))
    run.expect(starmapped == [3, 7, 11], "starmap_one_task")
    run.expect(chunked == [[0, 2], [4, 6], [8, 10]] and len(three_tasks.results) == 3, "chunks_three_tasks")


@scenario.step()
def seed_workflow(run):
    if isinstance(tasks.app.backend, RPCBackend):
        run.skip("no_chords_on_rpc")
    workflow = (
        group(chain(tasks.process_data.s(f"batch_{i}"), tasks.validate_data.s()) for i in range(3))
        | tasks.combine_results.s()
        | tasks.send_notification.s()
    )
    run.tree(workflow)
    result = workflow.apply_async()
    message = run.get(result)
    for r in run.step_results():
        run.show(r)
    run.say("result_was", message=message)
    run.timeline(run.step_results(), "workflow_lanes")
    run.state["runs"] = run.tasks()              # every task since the step began
    run.data.update(message=message, spans=spans(run.state["runs"]))
    run.expect(message == "report ready: 600 rows from 3 batches", "rows_from_batches")
    run.expect(len(run.state["runs"]) == 8, "eight_tasks")
    run.expect(side_by_side(run.state["runs"].named("process_data"))
               and run.state["runs"].named("combine_results", "send_notification").one_after_another(),
               "batches_then_in_order")


@scenario.step()
def chord_error(run):
    if isinstance(tasks.app.backend, RPCBackend):
        run.skip("no_chords_on_rpc")
    result = chord([tasks.root.s(16), tasks.root.s(-1), tasks.root.s(9)])(tasks.xsum.s())
    try:
        run.get(result)
        raised = None
    except Exception as exc:            # what the client sees
        raised = exc
    members = result.parent.results
    for r in members + [result]:
        run.show(r)
    run.say("get_raised", name=type(raised).__name__, raised=raised)
    run.echo(f"callback xsum: state={result.state}, result={result.result!r}")
    run.data.update(raised=type(raised).__name__, message=str(raised), callback_state=result.state,
                    header_states=[r.state for r in members], callback_error=type(result.result).__name__,
                    callback_started=bool(run.task(result, settle=0.3).started))
    run.expect(run.data["header_states"] == ["SUCCESS", "FAILURE", "SUCCESS"], "header_states")
    run.expect(result.state == "FAILURE" and isinstance(result.result, ChordError) and not run.data["callback_started"],
               "callback_never_ran")
    run.expect(isinstance(raised, (ChordError, ValueError)), "client_raised", name=type(raised).__name__)
