"""What `python runner.py lesson 12` plays, step by step; its words are in steps.toml beside this file."""
import json
import time

from kombu import Queue
from kombu.serialization import dumps, loads

from classroom.lessonkit import Scenario

from . import measure, tasks
from .wire import broker_keys, passive_depth, result_key, split

scenario = Scenario()
HEADERS = ("task", "id", "eta", "expires", "retries", "root_id", "parent_id", "argsrepr")


def shown(value, width=60) -> str:
    text = json.dumps(value, default=str, ensure_ascii=False)
    return text if len(text) <= width else text[: width - 1] + "…"


@scenario.step()
def wire(run):
    result = tasks.add.apply_async((2, 3), queue="wire", countdown=0.1, expires=60)   # nobody consumes "wire"
    worker1 = run.worker("worker1").host
    with tasks.app.connection_for_read() as conn:
        channel = conn.default_channel
        wire_queue = Queue("wire").bind(channel)
        entry = None
        if conn.transport.driver_type == "redis":                 # the list key, as Redis holds it
            entry = json.loads(channel.client.lrange(measure.prefix(tasks.app) + "wire", 0, -1)[0])
        message = wire_queue.get(no_ack=False)                      # kombu: take it, unacknowledged
        headers, properties, body = split(message)                  # the same on every transport
        message.requeue()                                           # and put it back in the queue
        tasks.app.control.add_consumer("wire", destination=[worker1], reply=True, timeout=1.0)
        value = run.get(result)                                     # now worker1 consumes "wire" and runs it
        tasks.app.control.cancel_consumer("wire", destination=[worker1], reply=True, timeout=1.0)
        wire_queue.delete()                                         # no queue left behind
    stored = result_key(tasks.app, result.id)                       # celery-task-meta-<id> and its TTL
    result.forget()
    for name in HEADERS:
        run.echo(f"headers[{name!r}] = {shown(headers.get(name))}")
    run.echo(f"properties = {shown(properties, 200)}")
    run.echo(f"body = {shown(body, 200)}")
    if entry:
        run.say("redis_entry", fields=sorted(entry))
    if stored["ttl_s"] is None:
        run.say("no_result_key", kind=stored["kind"])
    else:
        run.say("result_key", key=stored["key"], ttl=stored["ttl_s"], meta=json.dumps(stored["meta"], default=str)[:160])
    run.data.update(headers={k: headers.get(k) for k in HEADERS}, properties=properties, body=body, value=value,
                    task_id=result.id, redis_fields=sorted(entry or {}), result_key=stored["key"],
                    ttl_s=stored["ttl_s"], stored=stored["meta"], result_extended=tasks.app.conf.result_extended)
    run.expect(headers["task"] == tasks.add.name and headers["id"] == result.id == properties["correlation_id"], "ids")
    run.expect(headers["root_id"] == result.id and headers["parent_id"] is None and headers["retries"] == 0, "own_root")
    run.expect(bool(headers["eta"]) and bool(headers["expires"]) and headers["argsrepr"] == "(2, 3)",
               "absolute_times", argsrepr=headers["argsrepr"])
    run.expect(body[:2] == [[2, 3], {}] and set(body[2]) == {"callbacks", "errbacks", "chain", "chord"}, "body")
    run.expect(value == 5, "same_message_ran")
    if stored["ttl_s"] is not None:       # a Redis backend; the memory cache and rpc:// have no key to read
        run.expect(0 < stored["ttl_s"] <= tasks.app.conf.result_expires, "ttl", ttl=stored["ttl_s"],
                   expires=tasks.app.conf.result_expires)
        run.expect(tasks.app.conf.result_extended and {"name", "args", "worker"} <= set(stored["meta"]), "extended")


@scenario.step(needs="redis")
def redis_keys(run):
    held = tasks.hold.delay(1.0)                               # acks_late: unacknowledged while it runs
    waiting = [tasks.add.apply_async((i, i), queue="idle") for i in range(3)]   # nobody consumes "idle"
    run.wait_until(lambda: run.task(held, settle=0).started, 5.0)
    keys = broker_keys(tasks.app)                              # SCAN <prefix>*: each key, its type and size
    prefetch = (run.inspect("stats", ["worker1"])["worker1"] or {}).get("prefetch_count")
    run.get(held)
    held.forget()
    run.wait_until(lambda: not [k for k in broker_keys(tasks.app) if k["name"] == "unacked"], 3.0)  # acked
    after = broker_keys(tasks.app)
    with tasks.app.connection_for_write() as conn:
        Queue("idle").bind(conn.default_channel).delete()       # the 3 waiting messages go with it
    for row in keys:
        run.echo(f"{row['name']}: {row['type']} {row['size']}" + (f" {row['members'][:2]}" if "members" in row else ""))
    run.say("what_made_them")
    run.say("prefetch", prefetch=prefetch)
    by_name = {row["name"]: row for row in keys}
    run.data.update(keys=keys, after=after, prefetch_count=prefetch, held=held.id, waiting=len(waiting))
    run.expect(by_name["idle"]["size"] == 3, "idle_list")
    run.expect(held.id in by_name.get("unacked", {}).get("tags", []), "unacked_while_running")
    run.expect(not {r["name"]: r for r in after}.get("unacked", {}).get("size"), "acked_after")
    run.expect(any(r["name"].startswith("_kombu.binding.") for r in keys), "bindings")
    run.expect(prefetch == 2, "prefetch_is_2")


@scenario.step(needs="rabbitmq")
def rabbitmq_queues(run):
    held = tasks.hold.delay(1.0)                               # acks_late: unacknowledged while it runs
    waiting = [tasks.add.apply_async((i, i), queue="idle") for i in range(3)]   # nobody consumes "idle"
    run.wait_until(lambda: run.task(held, settle=0).started, 5.0)
    queues = passive_depth(tasks.app, ["lesson12", "idle", "fast", "no-such-queue"])   # passive=True
    prefetch = (run.inspect("stats", ["worker1"])["worker1"] or {}).get("prefetch_count")
    run.get(held)
    held.forget()
    with tasks.app.connection_for_write() as conn:
        Queue("idle").bind(conn.default_channel).delete()       # the 3 waiting messages go with it
    for row in queues:
        if row["error"] is None:
            run.say("queue_row", name=row["name"], ready=row["messages"], consumers=row["consumers"])
        else:
            run.say("queue_refused", name=row["name"], error=row["error"])
    run.say("prefetch", prefetch=prefetch)
    by_name = {row["name"]: row for row in queues}
    run.data.update(keys=queues, prefetch_count=prefetch, held=held.id, waiting=len(waiting))
    run.expect(by_name["idle"]["messages"] == 3 and by_name["idle"]["consumers"] == 0, "idle_ready")
    run.expect(by_name["lesson12"]["messages"] == 0 and by_name["lesson12"]["consumers"] >= 1, "unacked_not_counted")
    run.expect(by_name["no-such-queue"]["messages"] is None, "passive_creates_nothing",
               error=by_name["no-such-queue"]["error"])
    run.expect(prefetch == 2, "prefetch_is_2")


# 90 s, not the default 20: 7 tiers × 4 rounds + 2 rounds at concurrency 4 take about 10 s on an idle
# 2-core machine, 40 s measured under a load average of 8, and the default overran once at 10.
@scenario.step(needs="processes", deadline_s=90.0)
def benchmark(run):
    app, tuned = tasks.app, run.worker("tuned").host
    tiers = {
        "raw": lambda: measure.raw_broker(app, 1000),                    # redis-py / py-amqp, one by one
        "kombu": lambda: measure.kombu_roundtrip(app, 300),              # Producer.publish + Consumer
        "celery": lambda: measure.celery_no_result(app, tasks.noop, tasks.mark, 150),   # worker1, defaults
        "get_each": lambda: measure.celery_get_each(app, tasks.noop_result, 40),       # delay() + get()
        "prefetch": lambda: measure.celery_no_result(app, tasks.noop, tasks.mark, 150, queue="fast"),
        "tuned": lambda: measure.celery_tuned(app, tuned, tasks.noop, tasks.mark, 150, queue="fast"),
        "chunks": lambda: measure.celery_chunks(app, tasks.noop, 1500, 100, queue="fast"),   # 15 messages
    }
    best = measure.best_of(tiers, rounds=4)
    app.control.pool_grow(2, destination=[tuned], reply=True, timeout=1.0)   # -c 2 -> 4
    grown = measure.best_of({"c4": tiers["tuned"]}, rounds=2)["c4"]
    app.control.pool_shrink(2, destination=[tuned], reply=True, timeout=1.0)
    counted = {"worker1": measure.tasks_run(app, run.worker("worker1").host), "tuned": measure.tasks_run(app, tuned)}
    rate = {name: tier["rate"] for name, tier in best.items()}
    ratio, gain = rate["tuned"] / rate["kombu"], rate["tuned"] / rate["celery"]
    run.bars([(run.text("raw"), rate["raw"]), ("kombu", rate["kombu"]), (run.text("celery"), rate["celery"]),
              (run.text("get_each"), rate["get_each"]), (run.text("prefetch64"), rate["prefetch"]),
              (run.text("tuned"), rate["tuned"]), (run.text("tuned_c4"), grown["rate"])], "per_second", "/s")
    run.bars([(run.text("chunks"), rate["chunks"]), (run.text("one_call"), rate["tuned"])], "calls_per_second", "/s")
    for name, tier in best.items():
        run.echo(f"{name}: {' / '.join(f'{r:.0f}' for r in tier['rates'])} {tier['unit']}/s")
    run.say("kombu_slower" if rate["raw"] > rate["kombu"] else "kombu_faster", raw=rate["raw"], kombu=rate["kombu"])
    run.say("tuned_vs_kombu", tuned=rate["tuned"], kombu=rate["kombu"], ratio=ratio)
    run.say("tuned_faster" if gain > 1 else "tuned_not_faster", gain=gain)
    run.say("batched" if best["tuned"]["batched"] else "not_batched")
    run.data.update(best=best, concurrency4=grown, ratio_tuned_kombu=round(ratio, 3), counted=counted)
    ran = counted["worker1"].get(tasks.noop.name, 0) + counted["tuned"].get(tasks.noop.name, 0)
    run.expect(ran == 150 * 3 * 4 + 150 * 2 and counted["tuned"].get("celery.starmap") == 60, "every_message_ran",
               ran=ran)
    run.expect(min(rate["raw"], rate["kombu"]) > rate["celery"], "celery_costs", raw=rate["raw"],
               kombu=rate["kombu"], celery=rate["celery"])
    run.expect(rate["celery"] > rate["get_each"], "result_costs", celery=rate["celery"], get_each=rate["get_each"])
    if best["tuned"]["batched"]:     # Redis: one pipeline of LPUSHes; RabbitMQ publishes without waiting anyway
        run.expect(best["tuned"]["send_s"] < best["celery"]["send_s"], "batch_sends_faster",
                   batch=best["tuned"]["send_s"], one_by_one=best["celery"]["send_s"])
    run.expect(rate["chunks"] > 3 * rate["tuned"], "chunks_win", chunks=rate["chunks"], tuned=rate["tuned"])
    run.expect(ratio < 1, "below_kombu", ratio=ratio)


@scenario.step()
def serialization(run):
    body = [[{"order": 1234, "items": [{"sku": "A-1", "qty": 2, "price": 9.99}] * 5}], {"note": "gift"},
            {"callbacks": None, "errbacks": None, "chain": None, "chord": None}]
    sizes, speed = {}, {}
    for name in ("json", "msgpack", "json", "msgpack"):            # twice each, interleaved: noise hits both
        content_type, encoding, data = dumps(body, serializer=name)
        began, rounds = time.perf_counter(), 0
        while time.perf_counter() - began < 0.15:
            loads(dumps(body, serializer=name)[2], content_type, encoding, accept=[content_type])
            rounds += 1
        sizes[name] = len(data)
        speed[name] = max(speed.get(name, 0), rounds / (time.perf_counter() - began))
    pickled = tasks.add.apply_async((2, 3), serializer="pickle")   # the worker accepts json only
    refused = run.log("ContentDisallowed")
    run.sleep(0.3)                                                 # time enough to run it, had it been accepted
    seen = run.task(pickled, settle=0)
    safe = tasks.add.delay(2, 3)                                   # the same call in JSON runs
    value = run.get(safe)
    safe.forget()
    run.bars([("json", speed["json"]), ("msgpack", speed["msgpack"])], "round_trips", "/s",
             json=sizes["json"], msgpack=sizes["msgpack"])
    for line in refused[:1]:
        run.echo(line.strip()[:300])
    ran = bool(seen.received or seen.started)
    run.data.update(sizes=sizes, speed={k: round(v) for k, v in speed.items()}, refused_lines=len(refused),
                    refused=(refused[0][:300] if refused else ""), pickled_state=pickled.state,
                    pickled_events=ran, json_value=value)
    run.expect(sizes["msgpack"] < sizes["json"], "smaller", msgpack=sizes["msgpack"], json=sizes["json"])
    run.expect(speed["msgpack"] > speed["json"], "faster", msgpack=speed["msgpack"], json=speed["json"])
    run.expect(bool(refused) and "pickle" in refused[0], "refused")
    run.expect(pickled.state == "PENDING" and not ran, "nothing_ran")
    run.expect(value == 5, "json_ran")
