"""What `python runner.py lesson 2` plays. Each step's body is shown to the learner as it runs;
its words (titles, explanations, checks) are in steps.toml beside this file."""
from celery import Celery, states
from celery.backends.redis import RedisBackend
from celery.backends.rpc import RPCBackend

from classroom.lessonkit import Scenario, WaitTimeout

from . import tasks

scenario = Scenario()

ORDER = ["PENDING", "STARTED", "PROGRESS", "SUCCESS"]
# The built-in states the table of step 2 (steps.toml: stored_when) describes, in its order.
DESCRIBED = ("FAILURE", "PENDING", "RECEIVED", "RETRY", "REVOKED", "STARTED", "SUCCESS")


def in_order(seen) -> bool:
    """STARTED, PROGRESS and SUCCESS seen, never going back in PENDING → STARTED → PROGRESS → SUCCESS."""
    ranks = [ORDER.index(state) for state in seen]
    return ranks == sorted(ranks) and {"STARTED", "PROGRESS", "SUCCESS"} <= set(seen)


def collapse(seen):
    """PENDING, STARTED, PROGRESS, PROGRESS, SUCCESS -> PENDING → STARTED → PROGRESS ×2 → SUCCESS."""
    out = []
    for state in seen:
        if out and out[-1][0] == state:
            out[-1][1] += 1
        else:
            out.append([state, 1])
    return " → ".join(state if n == 1 else f"{state} ×{n}" for state, n in out)


@scenario.step()
def progress_bar(run):
    result = tasks.long_job.delay(total=10, step_seconds=0.1)
    seen = run.progress(result)   # poll .state/.info, draw the bar
    run.show(result)
    run.data.update(states=[state for state, _ in seen], result=result.result,
                    currents=[info["current"] for state, info in seen if state == "PROGRESS"])
    run.echo(collapse(run.data["states"]))
    run.say("currents_seen", currents=run.data["currents"])
    if run.data["states"][0] == "PENDING":
        run.expect(in_order(run.data["states"]), "in_order")
    else:
        run.expect(in_order(run.data["states"]), "in_order_pending_missed")
    run.expect(len(run.data["currents"]) >= 5 and run.data["currents"] == sorted(set(run.data["currents"])),
               "each_higher", updates=len(run.data["currents"]))
    run.expect(result.result == {"current": 10, "total": 10, "status": "done"}, "final_meta")


@scenario.step()
def built_in_states(run):
    result = tasks.quiet_job.delay(seconds=0.3)
    seen = []
    run.poll(result, until=lambda state, info: state in states.READY_STATES,
             on_change=lambda state, info: seen.append(state))
    run.show(result)
    every_state = sorted(states.ALL_STATES)
    run.data.update(states=seen, all_states=every_state)
    run.echo(f"quiet_job: {' → '.join(seen)}")
    run.say("stored_when")
    run.say("ready_states", ready_states=sorted(states.READY_STATES))
    run.expect(seen == ["PENDING", "SUCCESS"], "no_started")
    run.expect(every_state == sorted(DESCRIBED), "all_seven")


@scenario.step()
def custom_state(run):
    result = tasks.resize_image.delay("cat.jpg", seconds=0.3)
    seen = []
    run.poll(result, until=lambda state, info: state in states.READY_STATES,
             on_change=lambda state, info: seen.append((state, info, result.ready())))
    value = run.get(result)
    run.show(result)
    run.data.update(states=[state for state, _, _ in seen],
                    resizing=[(info, ready) for state, info, ready in seen if state == "RESIZING"])
    for state, info, ready in seen:
        run.echo(f"{state:<9} info={info!r}  ready()={ready}")
    run.expect(run.data["resizing"][:1] == [({"image": "cat.jpg", "width": 1024}, False)], "resizing_not_ready")
    run.expect(value == {"image": "cat.jpg", "width": 256}, "then_success")


@scenario.step()
def ignore_result_pitfall(run):
    sent = tasks.send_welcome_email.delay(42)
    nothing = run.get(sent)           # None at once: sent.ignored
    later = tasks.app.AsyncResult(sent.id)    # only the id is kept
    try:
        run.get(later, timeout=1.5)                # Celery raises TimeoutError
        diagnosis = None
    except WaitTimeout as exc:                # ... the runner also says why
        diagnosis = exc
    run.show(later)
    run.data.update(ignored=sent.ignored, got=nothing, state=later.state, worker=run.task(later).host,
                    diagnosis=diagnosis.key if diagnosis else None)
    if diagnosis:
        run.echo(diagnosis.message())
    run.expect(sent.ignored and nothing is None, "ignored_none")
    run.expect(later.state == "PENDING" and run.data["worker"] in run.workers, "ran_yet_pending",
               worker=run.data["worker"])
    run.expect(diagnosis is not None and diagnosis.key == "wait.result_not_stored", "never_stored", seconds=1.5)


@scenario.step()
def no_backend(run):
    app = Celery("no_backend", broker=tasks.app.conf.broker_url,
                 set_as_current=False)          # no backend=, no result_backend
    result = app.AsyncResult("any-task-id")
    try:
        run.get(result, timeout=1)
        error = None
    except NotImplementedError as exc:
        error = exc
    run.data.update(backend=app.conf.result_backend, error=str(error))
    run.echo(f"result_backend = {app.conf.result_backend!r}")
    run.echo(f"get(): {type(error).__name__}: {' '.join(str(error).split())}")
    run.expect(isinstance(error, NotImplementedError) and "No result backend" in str(error), "not_implemented")


@scenario.step()
def result_expires(run):
    result = tasks.long_job.delay(total=2, step_seconds=0.01)
    run.get(result)
    backend = result.backend
    if isinstance(backend, RPCBackend):
        run.skip("rpc_no_key")
    expires = tasks.app.conf.result_expires     # 3600 s here
    ttl = None
    if isinstance(backend, RedisBackend):       # a TTL on the key
        ttl = backend.client.ttl(backend.get_key_for_task(result.id))
    before = result.state
    result.forget()                 # what expiry does: delete it
    after = tasks.app.AsyncResult(result.id).state
    run.data.update(expires=expires, ttl=ttl, before=before, after=after, backend=type(backend).__name__)
    run.echo(f"result_expires = {expires} s; backend = {type(backend).__name__}")
    if ttl is None:                 # the memory cache backend: no TTL to show, it says so instead
        run.say("no_ttl_in_memory")
    else:
        run.say("ttl_of_key", ttl=ttl)
        run.expect(0 < ttl <= expires, "ttl_at_most", ttl=ttl, expires=expires)
    run.say("before_after", before=before, after=after)
    run.expect(before == "SUCCESS" and after == "PENDING", "pending_again")
