"""What `python runner.py lesson 15` plays. Each step's body is shown to the learner as it runs;
its words (titles, explanations, checks) are in steps.toml beside this file.

A container runtime stops a worker the way these steps do: SIGTERM to the worker's main process, then
SIGKILL when the grace period is over (`docker stop -t N`, compose's stop_grace_period, Kubernetes'
terminationGracePeriodSeconds). bench/bench_deploy.py measures the same on real containers.
"""
import signal
import time

from classroom.lessonkit import Scenario

from . import tasks

scenario = Scenario()
BURST = 12


def started(run, results, count=None, timeout=10.0):
    """Wait (bounded) until `count` of `results` (default: all) have left PENDING."""
    count = len(results) if count is None else count
    return run.wait_until(lambda: sum(r.state != "PENDING" for r in results) >= count, timeout)


@scenario.step()
def three_share(run):
    results = [tasks.job.apply_async((0.3,), queue="deploy") for _ in range(BURST)]
    for result in results:
        run.get(result)
    counts = run.tasks(results).count_by_worker()
    run.bars(sorted(counts.items()), "per_worker", unit="")
    run.data["by_worker"] = counts
    run.expect(len(counts) == 3 and sum(counts.values()) == BURST, "all_three", n=BURST)


@scenario.step(needs="processes", deadline_s=40)
def scale_down_mid_burst(run):
    results = [tasks.job.apply_async((0.5,), queue="deploy") for _ in range(BURST)]
    started(run, results, 3)                                 # the burst is running on all three
    sent = {name: run.worker(name).signal(signal.SIGTERM) for name in ("w2", "w3")}
    codes = {name: run.worker(name).wait_exit(30) for name in sent}
    stopped_s = time.time() - min(sent.values())
    done = [run.get(result, timeout=15) for result in results]
    counts = run.tasks(results).count_by_worker()
    run.bars(sorted(counts.items()), "per_worker", unit="")
    run.data.update(codes=codes, stopped_s=round(stopped_s, 2), by_worker=counts, done=len(done))
    run.expect(all(code == 0 for code in codes.values()), "exit_0", seconds=stopped_s)
    run.expect(len(done) == BURST and sum(counts.values()) == BURST, "none_lost", n=BURST)


@scenario.step(needs="processes", deadline_s=40)
def grace_too_short(run):
    worker = run.start_worker("k1", ["deploy-kill"], concurrency=2)
    early = tasks.job.apply_async((4,), queue="deploy-kill")
    late = tasks.job_late.apply_async((4,), queue="deploy-kill")
    started(run, [early, late])
    worker.signal(signal.SIGTERM)            # docker stop -t 1: SIGTERM first ...
    run.sleep(1)
    worker.kill(signal.SIGKILL)              # ... SIGKILL when the grace period is over
    depth = run.queue_depth("deploy-kill")
    run.say("after_kill", early=early.state, late=late.state, ready=depth.ready)
    if depth.unacked is not None:            # Redis says what it holds unacked; RabbitMQ does not here
        run.say("unacked_held", unacked=depth.unacked)
    began = time.time()
    worker.restart()                         # a new container
    run.get(late, timeout=20)
    back_s = time.time() - began
    run.show(late)
    run.show(early)
    run.data.update(early=early.state, late=late.state, back_s=round(back_s, 2),
                    ready=depth.ready, unacked=depth.unacked)
    run.expect(early.state == "STARTED", "early_lost")
    run.expect(late.state == "SUCCESS", "late_back", seconds=back_s)


@scenario.step(needs="prefork", deadline_s=30)
def sigterm_to_the_pool(run):
    worker = run.start_worker("g1", ["deploy-group"], concurrency=1)
    result = tasks.job.apply_async((3,), queue="deploy-group")
    started(run, [result])
    worker.signal(signal.SIGTERM)                    # systemd KillMode=control-group: the main process
    worker.kill_pool_process(sig=signal.SIGTERM)     # ... and every pool process get SIGTERM
    run.get(result, propagate=False)
    code = worker.wait_exit(10)
    run.show(result)
    run.data.update(state=result.state, error=str(result.result), code=code)
    run.expect(result.state == "FAILURE" and "signal 15" in str(result.result), "killed_by_term")


@scenario.step(needs="processes", deadline_s=40)
def soft_shutdown(run):
    worker = run.start_worker("soft1", ["deploy-soft"], concurrency=2, env={"REMAP_SIGTERM": "SIGQUIT"})
    short = tasks.job_late.apply_async((1,), queue="deploy-soft")
    long = tasks.job_late.apply_async((4,), queue="deploy-soft")
    started(run, [short, long])
    began = worker.signal(signal.SIGTERM)    # with REMAP_SIGTERM=SIGQUIT: a cold shutdown, soft first
    code = worker.wait_exit(15)
    took = time.time() - began
    line = worker.log("Initiating Soft Shutdown")
    run.echo(line[0] if line else "-")
    state_at_exit = long.state
    worker.restart(env={})                   # the next worker runs what was cancelled
    run.get(long, timeout=20)
    run.show(short)
    run.show(long)
    run.data.update(took=round(took, 2), code=code, long_at_exit=state_at_exit, short=short.state)
    run.expect(short.state == "SUCCESS" and 2.0 <= took < 6.0, "short_finished", seconds=took)
    run.expect(state_at_exit != "SUCCESS" and long.state == "SUCCESS", "long_requeued")


@scenario.step(needs="processes", deadline_s=30)
def health_check(run):
    w1 = run.worker("w1")
    alive = run.inspect("ping", ["w1"])                # celery inspect ping -d w1@host --timeout 1
    w1.signal(signal.SIGSTOP)                          # frozen: the process runs, nothing answers
    began = time.monotonic()
    frozen = run.inspect("ping", ["w1"], timeout=2.0)
    waited = time.monotonic() - began
    w1.signal(signal.SIGCONT)
    thawed = time.monotonic()
    for attempt in range(1, 4):                # like a health check's retries: one lost ping is not death
        again = run.inspect("ping", ["w1"], timeout=2.0)
        if again["w1"]:
            break
    run.echo(f"alive: {alive}  frozen: {frozen}  again: {again}")
    run.data.update(alive=alive, frozen=frozen, again=again, waited=round(waited, 2),
                    again_s=round(time.monotonic() - thawed, 2), again_attempts=attempt)
    run.expect(alive["w1"] and again["w1"], "pong")
    run.expect(frozen["w1"] is None and waited < 4.0, "no_pong", seconds=waited)


@scenario.step(needs="processes", deadline_s=30)
def restart_policy(run):
    w1 = run.worker("w1")
    w1.expect_exit()
    run.control("shutdown", ["w1"])          # a worker that exits on its own (here: asked to)
    code = w1.wait_exit(10)
    began = time.monotonic()
    again = w1.restart()                     # what restart: unless-stopped / autorestart=true do
    run.wait_until(lambda: run.inspect("ping", [again.name])[again.name], 20)
    back_s = time.monotonic() - began
    result = tasks.job.apply_async((0.1,), queue="deploy")
    run.get(result)
    run.show(result)
    run.data.update(code=code, back_s=round(back_s, 2))
    run.expect(code == 0, "exited_0")
    run.expect(run.task(result).worker in ("w1", "w2", "w3"), "serving_again", seconds=back_s)
