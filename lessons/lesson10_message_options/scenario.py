"""What `python runner.py lesson 10` plays. Each step's body is shown to the learner as it runs; its words
are in steps.toml beside this file."""
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

from celery import chain
from celery.utils.time import maybe_make_aware

from classroom.lessonkit import Scenario

from . import tasks

scenario = Scenario()
# 30 tasks: priorities 0-9, three of each, sent mixed up (three rounds of the same shuffled ten).
SENT = [p for _ in range(3) for p in (7, 4, 1, 8, 5, 2, 9, 6, 3, 0)]


def rows(values, per_row: int = 10) -> str:
    """Numbers in rows of ten, each row labelled with its positions: fits a 60-column terminal."""
    return "\n".join(f"  {i + 1:>2}-{min(i + per_row, len(values)):<2}  " + " ".join(str(v) for v in values[i:i + per_row])
                     for i in range(0, len(values), per_row))


def hold(run, queue: str, *seconds: float) -> list:
    """Keep a -c 1 worker busy: the first task runs, the second waits in its one prefetch slot. Returns
    once the worker has started the first and received the second, so the next messages stay queued."""
    held = [tasks.busy.apply_async((s,), queue=queue) for s in seconds]
    run.wait_until(lambda: run.task(held[0], settle=0).started and run.task(held[-1], settle=0).received, 3.0, 0.01)
    return held


def journal(run, name: str) -> str:
    """A fresh, empty journal file (the tasks append a number per line); removed when the run ends."""
    path = run.file(f"{name}.txt")
    Path(path).write_text("")
    return path


def read(path: str) -> list[int]:
    return [int(x) for x in Path(path).read_text().split()]


def spaced(numbers) -> str:
    return " ".join(map(str, numbers))


# The memory transport ignores priority: it runs wherever a real broker does (redis, rabbitmq).
@scenario.step(needs="processes")
def priority_order(run):
    held = hold(run, "prioritized", 0.6, 0.2)         # one running, one in the prefetch slot
    sent = [tasks.job.apply_async((f"{p}.{n // 10}",), queue="prioritized", priority=p)
            for n, p in enumerate(SENT)]
    labels = [run.get(r) for r in sent]
    ran = [run.get(tasks.app.AsyncResult(t.id)) for t in run.tasks(sent).by_start()]   # as the worker started them
    priorities = [int(label.split(".")[0]) for label in ran]
    fifo = all([lb for lb in ran if lb.startswith(f"{p}.")] == [f"{p}.{k}" for k in range(3)] for p in range(10))
    in_time = run.task(sent[-1]).sent < run.task(held[1]).started
    run.data.update(sent=SENT, ran=priorities, labels=ran, fifo=fifo, queued_in_time=in_time)
    run.say("orders", sent=rows(SENT), ran=rows(priorities))
    run.expect(sorted(labels) == sorted(ran) and in_time, "all_queued")
    if priorities[0] == 0:                            # the broker served 0 first: Redis's priority_steps
        run.expect(priorities == sorted(SENT), "zero_first")
    else:                                             # 9 first: RabbitMQ's x-max-priority queue
        run.expect(priorities == sorted(SENT, reverse=True), "nine_first")
    run.expect(fifo, "fifo")
    run.say("the_rule")


@scenario.step()
def expires(run):
    hold(run, "in_order", 0.8, 0.05)                             # the next messages wait in the broker
    in_seconds = tasks.ping.apply_async(queue="in_order", expires=0.3)
    aware = tasks.ping.apply_async(queue="in_order",
                                   expires=datetime.now(timezone.utc) + timedelta(seconds=10))
    value = run.get(aware)                                        # the worker is idle again
    # The mistake, safely: what datetime.now() returns on a machine at UTC-5 (naive, 5 h behind UTC).
    local_at_utc_minus_5 = (datetime.now(timezone.utc) - timedelta(hours=5)).replace(tzinfo=None)
    naive = tasks.ping.apply_async(queue="in_order", expires=local_at_utc_minus_5 + timedelta(seconds=10))
    run.wait_until(lambda: naive.state == "REVOKED", 3.0)
    log = run.log("Discarding revoked task", count=[in_seconds.state, naive.state].count("REVOKED"))
    run.show(in_seconds, "in_seconds")
    run.show(aware, "aware")
    run.show(naive, "naive")
    for line in log:
        run.echo(line)
    # At UTC+8 the same mistake is 8 h late instead: the deadline Celery's maybe_make_aware gives the worker.
    local_at_utc_plus_8 = (datetime.now(timezone.utc) + timedelta(hours=8)).replace(tzinfo=None)
    late_h = (maybe_make_aware(local_at_utc_plus_8) - datetime.now(timezone.utc)).total_seconds() / 3600
    offset_h = datetime.now().astimezone().utcoffset().total_seconds() / 3600
    runs = run.tasks([in_seconds, naive])
    run.data.update(states=[in_seconds.state, aware.state, naive.state], queued=run.queue_depth("in_order").ready,
                    logged=[any(r.id[:8] in line for line in log) for r in (in_seconds, naive)],
                    received=[bool(r.received) for r in runs], started=[bool(r.started) for r in runs],
                    late_at_utc_plus_8_h=round(late_h, 2), local_offset_h=offset_h)
    facts = run.data
    run.say("offset", offset_h=offset_h, late_h=late_h)
    run.expect(value == "pong" and aware.state == "SUCCESS", "aware_ran")
    run.expect(facts["states"][2] == "REVOKED" and facts["logged"][1] and not facts["started"][1], "naive_past")
    if in_seconds.state == "REVOKED":                             # the worker got it late and discarded it
        run.expect(facts["logged"][0] and not facts["started"][0], "revoked_by_worker")
    else:                                                         # the broker dropped it (AMQP expiration, RabbitMQ)
        run.expect(facts["states"][0] == "PENDING" and facts["queued"] == 0, "dropped_by_broker")


@scenario.step()
def callbacks(run):
    receipt = tasks.send_receipt.s().set(queue="in_order")       # a link can go to another queue
    ok = tasks.place_order.apply_async(("A-1",), link=receipt, link_error=tasks.alert.s())
    bad = tasks.place_order.apply_async(("BAD-2",), link=receipt, link_error=tasks.alert.s())
    order = run.get(ok)
    run.get(bad, propagate=False)
    success_log = run.log(f"on_success of {ok.id[:8]}")
    alert_log = run.log(f"alert: {bad.id[:8]}")
    run.wait_until(lambda: [bool(r.ended) for r in run.tasks(settle=0).named("send_receipt")] == [True], 2.0)
    ran = run.tasks()
    receipts = ran.named("send_receipt")
    run.show(ok)
    run.show(bad)
    for rec in receipts:
        run.show(run.app.AsyncResult(rec.id), "link")
    for line in success_log + alert_log:
        run.echo(line)
    where = {"order_worker": run.task(ok).worker, "receipt_worker": receipts[0].worker if receipts else "",
             "receipts": len(receipts), "alert_tasks": len(ran.named("alert")),
             "on_success_same_pid": bool(success_log) and success_log[0].endswith(f"pid {order['pid']}"),
             "alert_same_pid": bool(alert_log) and bool(re.search(r"\(pid (\d+)\).*pid \1$", alert_log[0]))}
    run.data.update(where)
    run.expect(where["receipts"] == 1 and where["receipt_worker"] == "single" and where["order_worker"] == "worker1",
               "link")
    run.expect(where["alert_same_pid"] and where["alert_tasks"] == 0, "link_error")
    run.expect(where["on_success_same_pid"], "on_success")


@scenario.step()
def two_processes(run):
    path = journal(run, "two")
    sent = [tasks.write.delay(path, i, 0.4 if i == 1 else 0.02) for i in range(1, 7)]
    [run.get(r) for r in sent]
    done = read(path)
    run.timeline(sent, "slow_first")
    run.data["journal"] = done
    run.say("journal", done=spaced(done))
    run.expect(sorted(done) == list(range(1, 7)) and done != list(range(1, 7)) and done[-1] == 1, "out_of_order")


@scenario.step()
def one_process(run):
    calm, broken = journal(run, "calm"), journal(run, "broken")
    first = [tasks.write.apply_async((calm, i), queue="in_order") for i in range(1, 7)]
    [run.get(r) for r in first]
    second = [tasks.write.apply_async((broken, i), {"fail_first": i == 2}, queue="in_order") for i in range(1, 7)]
    [run.get(r) for r in second]
    kept, retried = read(calm), read(broken)
    run.data.update(kept=kept, retried=retried)
    run.say("kept_and_retried", kept=spaced(kept), retried=spaced(retried))
    run.expect(kept == list(range(1, 7)), "in_send_order")
    run.expect(sorted(retried) == list(range(1, 7)) and retried.index(2) > retried.index(3), "retry_broke_it")


@scenario.step()
def keep_order(run):
    chained, numbered = journal(run, "chained"), journal(run, "numbered")
    steps = chain(tasks.write.si(chained, i, 0.02, fail_first=i == 2) for i in range(1, 7))
    run.get(steps.apply_async())
    sequenced = [tasks.apply_in_sequence.delay(numbered, seq) for seq in range(6, 0, -1)]   # sent 6..1
    [run.get(r) for r in sequenced]
    in_chain, in_sequence = read(chained), read(numbered)
    run.data.update(chain=in_chain, sequence=in_sequence)
    run.say("kept", chain=spaced(in_chain), sequence=spaced(in_sequence))
    run.expect(in_chain == list(range(1, 7)), "chain_in_order")
    run.expect(in_sequence == list(range(1, 7)), "sequence_in_order")
