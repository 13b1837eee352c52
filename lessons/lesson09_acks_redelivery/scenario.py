"""Lesson 9 (words: steps.toml). Every kill is real; the tasks log each run they start (tasks.runs): killed ones too."""
import time

from classroom.lessonkit import Scenario

from . import tasks

scenario = Scenario()


def started(run, log, result) -> dict:                       # its first run (bounded): which worker, which process
    run.wait_until(lambda: tasks.runs(log, result), timeout=5.0)
    return tasks.runs(log, result)[0]


def summary(log, result, **more) -> dict:                   # for the tests: state, runs, redelivered flags
    rows = tasks.runs(log, result)
    return {"state": result.state, "runs": len(rows), "redelivered": [r["redelivered"] for r in rows], **more}


def came_back(run, depth, back, since_sent, unacked):       # right after the kill, and when back: each broker's rule
    run.data.update(right_after=vars(depth), back_s=back, back_since_sent_s=since_sent)
    run.say("held", depth=depth, back=back, since_sent=since_sent)
    if depth.unacked is None:                                # RabbitMQ: no unacked count, the channel is gone
        run.expect(back is not None and back < 1.0, "back_at_once", back=back)
    else:                                                    # Redis: kombu's 'unacked' hash holds them
        vt = run.settings["broker_transport_options"]["visibility_timeout"]
        run.expect(depth.unacked == unacked and (since_sent or 0) >= vt, "back_after_timeout", since_sent=since_sent,
                   timeout=vt)


@scenario.step(needs="processes")
def pool_process_killed(run):
    log = run.file("pool.db")
    early = tasks.early_ack.delay(log, 30)                   # the default: acked as it starts
    late = tasks.late_ack.delay(log, 1.0)                    # acks_late + reject_on_worker_lost
    for result in (early, late):
        where = started(run, log, result)                    # running: on which worker, which pool process
        run.worker(where["host"]).kill_pool_process(where["pid"])
    killed = time.time()
    error, noticed = run.get(early, propagate=False, timeout=9.0), time.time() - killed   # pool upkeep: every 5 s
    value = run.get(late, timeout=9.0)
    rerun = round(tasks.runs(log, late)[1]["started"] - killed, 3)
    run.show(early, "early_ack")
    run.show(late, "acks_late")
    run.data.update(early=summary(log, early, error=repr(error), noticed_s=round(noticed, 3)),
                    late=summary(log, late, rerun_after_s=rerun))
    run.expect(early.state == "FAILURE" and type(error).__name__ == "WorkerLostError", "early_lost",
               error=repr(error), noticed=noticed)
    run.expect(value == 1.0 and run.data["late"]["redelivered"] in ([0, 1], [0, 1, 1]), "late_again", rerun=rerun)


@scenario.step(needs="processes")
def worker_killed(run):
    log, vt = run.file("worker.db"), run.settings["broker_transport_options"]["visibility_timeout"]
    sent, early, late = time.time(), tasks.early_ack.delay(log, 30), tasks.late_ack.delay(log, 1.0)
    for host in {started(run, log, r)["host"] for r in (early, late)}:
        killed = run.worker(host).kill()                     # kill -9 of the main process and its pool
    broker = run.queue_depth("celery")                       # right after the kill
    back = run.wait_until(lambda: run.queue_depth("celery").ready >= 1, timeout=vt + 3)
    back_s, since_sent = (round(time.time() - killed, 3), round(time.time() - sent, 3)) if back else (None, None)
    run.start_worker("worker2", queues=["celery"], concurrency=2)   # the restart
    value = run.get(late)
    run.show(early, "early_ack")
    run.show(late, "acks_late")
    run.data.update(early=summary(log, early), late=summary(log, late), visibility_timeout=vt)
    run.expect(early.state == "STARTED" and run.data["early"]["runs"] == 1, "early_lost")
    run.expect(value == 1.0 and run.data["late"]["redelivered"] == [0, 1]
               and tasks.runs(log, late)[-1]["host"].startswith("worker2@"), "late_redelivered")
    came_back(run, broker, back_s, since_sent, unacked=1)


@scenario.step()
def prefetch_reserved(run):
    hosts = [name for name, qs in run.inspect("active_queues").items() if any(q["name"] == "celery" for q in qs or [])]
    sent, results = time.time(), [tasks.work.delay(1.5) for _ in range(4 * len(hosts))]
    run.wait_until(lambda: len(run.tasks(results, settle=0).ran()) >= 2 * len(hosts), timeout=5.0)
    run.sleep(0.2)
    active, reserved = run.inspect("active", hosts), run.inspect("reserved", hosts)
    counts = {h: {"active": len(active[h] or []), "reserved": len(reserved[h] or [])} for h in hosts}
    run.state.update(hosts=hosts, sent=sent, results=results,
                     reserved_ids=[t["id"] for h in hosts for t in reserved[h] or []])
    run.echo(f"inspect active / reserved: {counts}")
    run.data.update(counts=counts, hosts=hosts)
    run.expect(hosts and all(c == {"active": 2, "reserved": 2} for c in counts.values()), "two_and_two")


@scenario.step(needs="processes")
def reserved_come_back(run):
    results, sent = run.state["results"], run.state["sent"]
    run.control("add_consumer", ["standby"], queue="celery")     # idle: the queue itself is empty
    killed = run.worker(run.state["hosts"][0]).kill()
    right_after = run.queue_depth("celery")
    reserved = [r for r in results if r.id in run.state["reserved_ids"]]
    running = [r for r in results if r not in reserved]
    values = [run.get(r, timeout=8.0) for r in reserved]     # Redis: after visibility_timeout (3 s)
    again = run.tasks(reserved)
    back, since_sent = round(min(again.starts()) - killed, 3), round(min(again.starts()) - sent, 3)
    states = {"running": [r.state for r in running], "reserved": [r.state for r in reserved]}
    for r in reserved:
        run.show(r, "was_reserved")
    for r in running:
        run.show(r, "was_running")
    run.timeline(results, "lost_and_run")
    run.data.update(states=states, ran_on=again.workers(),
                    runs={"running": [len(t.attempts) for t in run.tasks(running, settle=0)],
                          "reserved": [len(t.attempts) for t in again]})
    run.expect(values == [1.5, 1.5] and states["running"] == ["STARTED", "STARTED"], "reserved_ran")
    came_back(run, right_after, back, since_sent, unacked=2)


@scenario.step()
def prefetch_multiplier(run):
    for queue in ("hoard4", "hoard1"):                       # eager consumes hoard4, modest hoard1
        tasks.work.apply_async((2.0,), queue=queue)
        [tasks.work.apply_async((0.1,), queue=queue) for _ in range(6)]
    run.sleep(0.3)                                           # each busy worker has reserved what it may
    for queue in ("hoard4", "hoard1"):                       # standby is free: it joins both queues
        run.control("add_consumer", ["standby"], queue=queue)
    ran = run.tasks(settle=4.0)
    run.timeline(ran.in_queue("hoard4"), "stuck_4")
    run.timeline(ran.in_queue("hoard1"), "taken_1")
    four, one = stuck(ran.in_queue("hoard4")), stuck(ran.in_queue("hoard1"))
    run.data.update(multiplier_4=four, multiplier_1=one)
    run.say("waited", four=four["stuck"], one=one["stuck"])
    run.expect(four["stuck"] == 4 and one["stuck"] == 1, "four_and_one")
    run.expect(four["done_s"] > one["short_done_s"], "ended_later", four=four["done_s"], one=one["short_done_s"])


def stuck(group) -> dict:                                   # short tasks run by the busy worker after its long one
    first, busy = min(t.sent or t.started for t in group), next((t.worker for t in group if (t.seconds or 0) > 0.5), "")
    shorts = [t for t in group if (t.seconds or 0) <= 0.5]
    helped = [t for t in shorts if t.worker == "standby"]
    return {"stuck": sum(t.worker == busy for t in shorts), "helped": len(helped), "busy": busy,
            "done_s": round(max(t.ended or 0 for t in shorts) - first, 3),
            "short_done_s": round(max(t.ended or 0 for t in helped) - first, 3) if helped else None}


@scenario.step(needs="redis")
def visibility_timeout_trap(run):
    log, vt = run.file("eta.db"), run.settings["broker_transport_options"]["visibility_timeout"]   # 3 s
    too_long = tasks.later.apply_async((log,), countdown=vt + 1.5)   # 4.5 s > visibility_timeout
    fits = tasks.later.apply_async((log,), countdown=vt - 1.0)       # 2 s < visibility_timeout
    run.get(fits, timeout=vt + 2)
    run.get(too_long, timeout=vt + 5)
    run.sleep(0.3)
    twice, once = tasks.runs(log, too_long), tasks.runs(log, fits)
    for result, seconds in ((too_long, vt + 1.5), (fits, vt - 1.0)):
        run.show(result, "countdown", seconds=seconds)
    run.data.update(visibility_timeout=vt, too_long_runs=len(twice), fits_runs=len(once),
                    redelivered=[r["redelivered"] for r in twice])
    run.expect(len(twice) == 2 and 1 in run.data["redelivered"], "ran_twice", timeout=vt)
    run.expect(len(once) == 1, "fix_ran_once")


@scenario.step(needs="rabbitmq", deadline_s=60.0)
def consumer_timeout(run):
    log = run.file("consumer_timeout.db")
    with run.rabbitmq_setting("channel_tick_interval", 1000):   # the channels check every 1 s, not every 60 s
        with run.rabbitmq_setting("consumer_timeout", 2000):     # 2 s instead of 30 min, for channels opened now
            strict = run.start_worker("strict", ["strict"], 1, args=("--disable-prefetch",))   # a Redis-only flag
            retrying = run.start_worker("retrying", ["retrying"], 1, settings={"broker_channel_error_retry": True})
        sent, long_ran = time.time(), tasks.later.apply_async((log,), countdown=4.5)   # on Redis it ran twice
        held = {q: tasks.later.apply_async((log,), countdown=120, queue=q) for q in ("strict", "retrying")}
        run.allow_exit(strict)
        code, closed_s = strict.wait_exit(timeout=20), round(time.time() - sent, 1)
    said = strict.log("Unrecoverable error", timeout=2)
    back = run.wait_until(lambda: run.queue_depth("strict").ready == 1, timeout=3)
    again = retrying.log(f"{held['retrying'].id}] received", count=2, timeout=10)
    run.get(long_ran, timeout=5)
    run.data.update(exit_code=code, closed_after_s=closed_s, strict_back_in_queue=back, retrying_alive=retrying.alive(),
                    retrying_received=len(again), long_countdown_runs=len(tasks.runs(log, long_ran)))
    run.echo(said[0].split("] ", 1)[-1].split(". This timeout")[0] if said else "")
    run.expect(code == 1 and said and "PRECONDITION_FAILED" in said[0], "strict_exited", seconds=closed_s)
    run.expect(back, "message_back")
    run.expect(retrying.alive() and len(again) == 2, "retry_survived")
    run.expect(strict.log("only supported for Redis brokers", timeout=2), "prefetch_flag_ignored")
    run.expect(run.data["long_countdown_runs"] == 1, "no_visibility_timeout")


@scenario.step(needs="processes")
def idempotency(run):
    log = run.file("pay.db")
    naive = tasks.pay.delay(log, "A-1001", 30)
    keyed = tasks.pay_once.delay(log, "A-1002", 30)
    running = [started(run, log, result) for result in (naive, keyed)]
    run.wait_until(lambda: tasks.runs(log, table="ledger") and tasks.runs(log, table="paid"), 5.0)   # paid, not acked
    for where in running:
        run.worker(where["host"]).kill_pool_process(where["pid"])
    [run.get(result, timeout=9.0) for result in (naive, keyed)]
    ledger, paid = ([row["payment"] for row in tasks.runs(log, table=name)] for name in ("ledger", "paid"))
    ids = [row["task_id"] for row in tasks.runs(log)]        # every run of either task: no new id
    counts = {"pay": ids.count(naive.id), "pay_once": ids.count(keyed.id)}
    run.show(naive)
    run.show(keyed)
    run.echo(f"runs: {counts}; ledger: {ledger}; paid: {paid}")
    run.data.update(runs=counts, ledger=ledger, paid=paid, same_task_id=len(ids) == sum(counts.values()))
    run.expect(min(counts.values()) >= 2 and len(ids) == sum(counts.values()), "ran_again")
    run.expect(ledger == ["A-1001"] * counts["pay"], "paid_every_run", n=counts["pay"])
    run.expect(paid == ["A-1002"], "paid_once", n=counts["pay_once"])
