"""What `python runner.py lesson 12` plays. Each step's body is shown to the learner as it runs."""
import json
import time

from kombu import Queue
from kombu.serialization import dumps, loads

from classroom.player.scenario import Scenario
from classroom.runtime import bounds, waits
from classroom.runtime.tracking import tracker

from . import measure, tasks
from .wire import broker_keys, passive_depth, result_key, split

scenario = Scenario()
HEADERS = ("task", "id", "eta", "expires", "retries", "root_id", "parent_id", "argsrepr")
NEEDS_BROKER = {
    "en": "This step reads the broker itself (Redis keys, RabbitMQ queues). The memory broker lives inside "
          "the runner and has neither. See it on a real broker: python runner.py lesson 12 --broker redis",
    "zh": "这一步直接读取消息代理本身（Redis 的键、RabbitMQ 的队列）。内存消息代理就在 runner 进程里，这两样都没有。"
          "要在真实的消息代理上看到它，请运行：python runner.py lesson 12 --broker redis",
}
NEEDS_PROCESSES = {
    "en": "A benchmark of the broker needs a real one and worker processes: the memory broker is polled "
          "inside the runner, so its numbers would say nothing. Run it: python runner.py lesson 12 --broker redis "
          "(or --broker rabbitmq); larger sizes: python bench/bench_wire.py",
    "zh": "对消息代理做基准测试需要真实的消息代理和 worker 进程：内存消息代理在 runner 内部轮询，测出的数字说明不了什么。"
          "请运行：python runner.py lesson 12 --broker redis（或 --broker rabbitmq）；"
          "更大规模的测试：python bench/bench_wire.py",
}


def shown(value, width=60):
    text = json.dumps(value, default=str, ensure_ascii=False)
    return text if len(text) <= width else text[: width - 1] + "…"


@scenario.step(
    title={"en": "The message on the wire: headers, properties, body", "zh": "线路上的消息：headers、properties、body"},
    explain={"en": "A task message (protocol 2) is headers (what to run, its id, eta, expires, retries, the "
                   "workflow ids) + properties (correlation_id = the id, content type) + a body "
                   "\\[args, kwargs, embed]. On Redis it is a JSON document in a list whose body is base64; on "
                   "RabbitMQ an AMQP message. The result is a separate key in the backend, with a TTL.",
             "zh": "任务消息（协议 2）由三部分组成：headers（运行什么、任务 id、eta、expires、重试次数、工作流的 id）、"
                   "properties（correlation_id 就是任务 id，还有内容类型）和 body \\[args, kwargs, embed]。"
                   "在 Redis 上它是列表里的一个 JSON 文档，body 用 base64 编码；在 RabbitMQ 上它是一条 AMQP 消息。"
                   "结果是后端里另一个键，带有过期时间（TTL）。"},
)
def wire(run):
    result = tasks.add.apply_async((2, 3), queue="wire", countdown=0.1, expires=60)   # nobody consumes "wire"
    with tasks.app.connection_for_read() as conn:
        channel = conn.default_channel
        wire_queue = Queue("wire").bind(channel)
        key = entry = None
        if conn.transport.driver_type == "redis":                 # the list key, as Redis holds it
            key = measure.prefix(tasks.app) + "wire"
            entry = json.loads(channel.client.lrange(key, 0, -1)[0])
        message = wire_queue.get(no_ack=False)                      # kombu: take it, unacknowledged
        headers, properties, body = split(message)                  # the same on every transport
        message.requeue()                                           # and put it back in the queue
        tasks.app.control.add_consumer("wire", destination=[run.workers[0]], reply=True,
                                       timeout=bounds.INSPECT_S)
        value = run.get(result)                                     # now worker1 consumes "wire" and runs it
        tasks.app.control.cancel_consumer("wire", destination=[run.workers[0]], reply=True,
                                          timeout=bounds.INSPECT_S)
        wire_queue.delete()                                         # no queue left behind
    stored = result_key(tasks.app, result.id)                       # celery-task-meta-<id> and its TTL
    result.forget()
    for name in HEADERS:
        run.say(f"headers[{name!r}] = {shown(headers.get(name))}")
    run.say(f"properties = {shown(properties, 200)}")
    run.say(f"body = {shown(body, 200)}")
    if key:
        run.say({"en": f"Redis list {key!r}: one JSON entry with {sorted(entry)}; body is base64 of the JSON",
                 "zh": f"Redis 列表 {key!r}：一个 JSON 条目，字段为 {sorted(entry)}；body 是 JSON 的 base64 编码"})
    run.say(stored["say"])
    run.data.update(headers={k: headers.get(k) for k in HEADERS}, properties=properties, body=body,
                    value=value, task_id=result.id, redis_key=key, redis_fields=sorted(entry or {}), result_key=stored["key"], ttl_s=stored["ttl_s"],
                    stored=stored["meta"])
    run.expect(headers["task"] == tasks.add.name and headers["id"] == result.id == properties["correlation_id"],
               {"en": "headers say which task and which id; correlation_id is the same id",
                "zh": "headers 写明了哪个任务、哪个 id；correlation_id 就是同一个 id"})
    run.expect(headers["root_id"] == result.id and headers["parent_id"] is None and headers["retries"] == 0,
               {"en": "a task sent by a client is its own root: root_id = id, no parent_id, 0 retries",
                "zh": "客户端直接发送的任务就是自己的根：root_id = id，没有 parent_id，重试 0 次"})
    run.expect(bool(headers["eta"]) and bool(headers["expires"]) and headers["argsrepr"] == "(2, 3)",
               {"en": f"countdown and expires became absolute times in the headers; argsrepr is {headers['argsrepr']!r}",
                "zh": f"countdown 和 expires 在 headers 里变成了绝对时间；argsrepr 是 {headers['argsrepr']!r}"})
    run.expect(body[:2] == [[2, 3], {}] and set(body[2]) == {"callbacks", "errbacks", "chain", "chord"},
               {"en": "the JSON body is \\[args, kwargs, embed]: [[2, 3], {}, {callbacks, errbacks, chain, chord}]",
                "zh": "JSON body 是 \\[args, kwargs, embed]：[[2, 3], {}, {callbacks, errbacks, chain, chord}]"})
    run.expect(value == 5, {"en": "once a worker consumed 'wire', it ran the same message: 5",
                            "zh": "有 worker 消费 'wire' 之后，它执行了同一条消息：5"})
    if stored["ttl_s"] is not None:       # a Redis backend; the memory cache and rpc:// have no key to read
        run.expect(0 < stored["ttl_s"] <= tasks.app.conf.result_expires,
                   {"en": f"the result key's TTL ({stored['ttl_s']} s) comes from result_expires = "
                          f"{tasks.app.conf.result_expires} s",
                    "zh": f"结果键的 TTL（{stored['ttl_s']} 秒）来自 result_expires = {tasks.app.conf.result_expires} 秒"})


@scenario.step(
    title={"en": "What the broker holds, and which setting made each thing",
           "zh": "消息代理里存了什么，每一样又是哪个设置造成的"},
    explain={"en": "Redis: a list per queue (task_queues / queue=), a set of bindings per exchange, and the "
                   "unacked hash + index that visibility_timeout watches; all behind the run's global_keyprefix. "
                   "RabbitMQ counts ready messages per queue (a passive declare asks without creating); "
                   "unacknowledged ones (prefetch, acks_late) are not in that count.",
             "zh": "Redis：每个队列一个列表（task_queues / queue=），每个交换机一个绑定集合，还有受 visibility_timeout "
                   "监视的 unacked 哈希和索引；它们都带着本次运行的 global_keyprefix 前缀。RabbitMQ 按队列统计就绪的"
                   "消息（passive 声明只询问、不创建）；未确认的消息（预取、acks_late）不计在内。"},
    modes=("redis", "rabbitmq"), unsupported=NEEDS_BROKER,
)
def broker_holds(run):
    held = tasks.hold.delay(1.0)                        # acks_late: unacknowledged while it runs
    waiting = [tasks.add.apply_async((i, i), queue="idle") for i in range(3)]   # nobody consumes "idle"
    waits.wait_until(lambda: tracker.tasks.get(held.id) and tracker.tasks[held.id].started, bounds.RESULT_S, 0.02)
    if run.mode == "redis":
        keys = broker_keys(tasks.app)                  # SCAN <prefix>*: type, size, the setting behind it
    else:
        keys = passive_depth(tasks.app, ["lesson12", "idle", "fast", "no-such-queue"])
    stats = waits.inspect(tasks.app, "stats", bounds.INSPECT_S, destination=[run.workers[0]])
    prefetch = stats.get(run.workers[0], {}).get("prefetch_count")
    run.get(held)
    held.forget()
    if run.mode == "redis":                            # acks_late: the ack follows the stored result
        waits.wait_until(lambda: not any(r["name"] == "unacked" for r in broker_keys(tasks.app)), bounds.LOG_S, 0.05)
    after = broker_keys(tasks.app) if run.mode == "redis" else passive_depth(tasks.app, ["lesson12"])
    with tasks.app.connection_for_write() as conn:
        Queue("idle").bind(conn.default_channel).delete()       # the 3 waiting messages go with it
    for row in keys:
        run.say({lang: f"{row['key']}: {row['what'][lang]} — {row['setting'][lang]}" for lang in ("en", "zh")})
    run.say({"en": f"worker1's prefetch_count (inspect stats) = {prefetch}: concurrency × worker_prefetch_multiplier",
             "zh": f"worker1 的 prefetch_count（inspect stats）= {prefetch}：并发数 × worker_prefetch_multiplier"})
    by_name = {row["name"]: row for row in keys}
    run.data.update(keys=keys, after=after, prefetch_count=prefetch, held=held.id, waiting=len(waiting))
    if run.mode == "redis":
        run.expect(by_name["idle"]["size"] == 3, {"en": "the list 'idle' holds the 3 messages nobody consumes",
                                                   "zh": "列表 'idle' 里有 3 条没人消费的消息"})
        unacked = by_name.get("unacked", {})
        run.expect(held.id in unacked.get("tags", []),
                   {"en": "while hold() ran, its message sat in the unacked hash (acks_late)",
                    "zh": "hold() 运行期间，它的消息待在 unacked 哈希里（acks_late）"})
        run.expect(not {r["name"]: r for r in after}.get("unacked", {}).get("size"),
                   {"en": "once it ended the worker acked it: unacked is empty again",
                    "zh": "任务结束后 worker 确认了它：unacked 又空了"})
        run.expect(any(r["name"].startswith("_kombu.binding.") for r in keys),
                   {"en": "each exchange has a set of bindings (routing key, pattern, queue)",
                    "zh": "每个交换机都有一个绑定集合（路由键、模式、队列）"})
    else:
        run.expect(by_name["idle"]["messages"] == 3 and by_name["idle"]["consumers"] == 0,
                   {"en": "'idle': 3 ready messages, 0 consumers", "zh": "'idle'：3 条就绪消息，0 个消费者"})
        run.expect(by_name["lesson12"]["messages"] == 0 and by_name["lesson12"]["consumers"] >= 1,
                   {"en": "'lesson12': hold() is delivered and unacked, so not counted; worker1 consumes it",
                    "zh": "'lesson12'：hold() 已投递但未确认，所以不计数；worker1 在消费它"})
        run.expect(by_name["no-such-queue"]["messages"] is None,
                   {"en": f"a passive declare of a missing queue fails and creates nothing: {by_name['no-such-queue']['what']['en']}",
                    "zh": f"对不存在的队列做 passive 声明会失败，也不会创建它：{by_name['no-such-queue']['what']['zh']}"})
    run.expect(prefetch == 2, {"en": "prefetch_count = 2 × 1 on worker1", "zh": "worker1 的 prefetch_count = 2 × 1"})


@scenario.step(
    title={"en": "A live benchmark: raw broker, kombu, Celery, tuned Celery",
           "zh": "现场基准测试：直连代理、kombu、Celery、调优后的 Celery"},
    explain={"en": "Each layer adds work per message: kombu adds serialization and its envelope; Celery adds the "
                   "task protocol, a Request in the worker, the pool's pipe to a child process, acks and events; "
                   "a result adds a backend write and a round trip. Tuning removes what you do not need, and "
                   "chunks sends fewer, bigger messages.",
             "zh": "每一层都给每条消息增加了工作：kombu 加上序列化和它的信封；Celery 加上任务协议、worker 里的 Request、"
                   "进程池通往子进程的管道、确认和事件；结果又加上一次后端写入和一次往返。调优就是去掉用不着的部分，"
                   "而 chunks 则是发更少、更大的消息。"},
    modes=("redis", "rabbitmq"), unsupported=NEEDS_PROCESSES,
)
def benchmark(run):
    app, tuned = tasks.app, run.workers[1]
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
    app.control.pool_grow(2, destination=[tuned], reply=True, timeout=bounds.INSPECT_S)   # -c 2 -> 4
    grown = measure.best_of({"c4": tiers["tuned"]}, rounds=2)["c4"]
    app.control.pool_shrink(2, destination=[tuned], reply=True, timeout=bounds.INSPECT_S)
    counted = {w: measure.tasks_run(app, w) for w in run.workers}
    rate = {name: tier["rate"] for name, tier in best.items()}
    ratio = rate["tuned"] / rate["kombu"]
    run.bars([({"en": "raw broker", "zh": "直连代理"}, rate["raw"]), ("kombu", rate["kombu"]),
              ({"en": "celery, no result", "zh": "celery，无结果"}, rate["celery"]),
              ({"en": "celery + get() each", "zh": "celery + 逐个 get()"}, rate["get_each"]),
              ({"en": "prefetch ×64", "zh": "预取 ×64"}, rate["prefetch"]),
              ({"en": "tuned", "zh": "调优后"}, rate["tuned"]),
              ({"en": "tuned, concurrency 4", "zh": "调优后，并发 4"}, grown["rate"])],
             {"en": "messages per second (best of 4 rounds)", "zh": "每秒消息数（4 轮中最好的一轮）"}, "/s")
    run.bars([({"en": "chunks(…, 100)", "zh": "chunks(…, 100)"}, rate["chunks"]),
              ({"en": "tuned, 1 call/msg", "zh": "调优后，1 次/条"}, rate["tuned"])],
             {"en": "task calls per second", "zh": "每秒任务调用次数"}, "/s")
    for name, tier in best.items():
        run.say(f"{name}: {' / '.join(f'{r:.0f}' for r in tier['rates'])} {tier['unit']}/s")
    run.say({"en": f"tuned Celery / raw kombu = {rate['tuned']:.0f} / {rate['kombu']:.0f} = {ratio:.2f}: the worker "
                   "still turns each message into a Request, sends it down a pipe to a pool process, gets the "
                   "outcome back and acks; kombu only hands the body to a callback.",
             "zh": f"调优后的 Celery / 纯 kombu = {rate['tuned']:.0f} / {rate['kombu']:.0f} = {ratio:.2f}：worker "
                   "仍要把每条消息变成 Request、经管道交给池里的进程、取回结果再确认；kombu 只是把 body 交给回调函数。"})
    gain = rate["tuned"] / rate["celery"]
    batched = best["tuned"]["batched"]
    run.say({"en": f"end to end, tuned / defaults = × {gain:.2f}. With a task that does nothing on 2 shared "
                   "cores, the client and the worker's main process share the CPU, and the rounds above "
                   "spread wider than this gain: the lesson claims no end-to-end gain from prefetch, events or "
                   "concurrency here. Batched pipeline on this broker: " + str(batched) + ".",
             "zh": f"端到端看，调优后 / 默认 = × {gain:.2f}。任务什么都不做、两个核又被共用时，客户端和 worker 的主进程"
                   "争用 CPU，上面各轮之间的波动比这个提升还大：所以本课不声称预取、事件或并发在这里带来端到端的提升。"
                   "这个消息代理上的批量管道：" + ("有" if batched else "没有") + "。"})
    run.data.update(best=best, concurrency4=grown, ratio_tuned_kombu=round(ratio, 3), counted=counted)
    ran = counted[run.workers[0]].get(tasks.noop.name, 0) + counted[tuned].get(tasks.noop.name, 0)
    run.expect(ran == 150 * 3 * 4 + 150 * 2 and counted[tuned].get("celery.starmap") == 60,
               {"en": f"every message ran: the workers counted {ran} noop tasks and 60 chunk tasks (inspect stats)",
                "zh": f"每条消息都执行了：worker 统计到 {ran} 个 noop 任务和 60 个 chunk 任务（inspect stats）"})
    run.expect(min(rate["raw"], rate["kombu"]) > rate["celery"],
               {"en": f"Celery costs: raw {rate['raw']:.0f} and kombu {rate['kombu']:.0f} > Celery {rate['celery']:.0f} /s",
                "zh": f"Celery 有代价：直连代理 {rate['raw']:.0f} 和 kombu {rate['kombu']:.0f} > Celery {rate['celery']:.0f} 条/秒"})
    if run.mode == "redis":       # RabbitMQ: basic_get is a round trip per message, kombu's consumer is pushed to
        run.expect(rate["raw"] > rate["kombu"],
                   {"en": f"on Redis kombu costs too: raw LPUSH/BRPOP {rate['raw']:.0f} > kombu {rate['kombu']:.0f} /s",
                    "zh": f"在 Redis 上 kombu 也有代价：直接 LPUSH/BRPOP {rate['raw']:.0f} > kombu {rate['kombu']:.0f} 条/秒"})
    run.expect(rate["celery"] > rate["get_each"],
               {"en": f"no result ({rate['celery']:.0f}/s) beats storing one and waiting for it ({rate['get_each']:.0f}/s)",
                "zh": f"不存结果（{rate['celery']:.0f} 条/秒）比存下结果再等它（{rate['get_each']:.0f} 条/秒）快"})
    if best["tuned"]["batched"]:     # Redis: one pipeline of LPUSHes; RabbitMQ publishes without waiting anyway
        run.expect(best["tuned"]["send_s"] < best["celery"]["send_s"],
                   {"en": f"one producer in a batch sends faster than delay() one by one: "
                          f"{best['tuned']['send_s']:.3f} s vs {best['celery']['send_s']:.3f} s for 150 (fastest rounds)",
                    "zh": f"一个生产者批量发送比逐个 delay() 快：150 条用 {best['tuned']['send_s']:.3f} 秒对 "
                          f"{best['celery']['send_s']:.3f} 秒（最快的一轮）"})
    run.expect(rate["chunks"] > 3 * rate["tuned"],
               {"en": f"chunks: {rate['chunks']:.0f} calls/s, over 3 × one call per message ({rate['tuned']:.0f}/s)",
                "zh": f"chunks：每秒 {rate['chunks']:.0f} 次调用，是每条消息一次调用（{rate['tuned']:.0f} 次/秒）的 3 倍以上"})
    run.expect(ratio < 1, {"en": f"tuned Celery is still below raw kombu: ratio {ratio:.2f}",
                           "zh": f"调优后的 Celery 仍比不上纯 kombu：比值 {ratio:.2f}"})


@scenario.step(
    title={"en": "Serialization: JSON vs msgpack, and pickle refused", "zh": "序列化：JSON 与 msgpack，以及拒收 pickle"},
    explain={"en": "msgpack is binary: smaller and faster, but not readable in redis-cli. pickle can carry any "
                   "Python object, so whoever can write to the broker could make the worker run code; "
                   "accept_content = ['json'] makes the worker refuse it (ContentDisallowed) before anything runs.",
             "zh": "msgpack 是二进制格式：更小、更快，但在 redis-cli 里没法直接阅读。pickle 能携带任何 Python 对象，"
                   "所以谁能往消息代理里写消息，谁就能让 worker 执行代码；accept_content = ['json'] 让 worker "
                   "在执行任何东西之前就拒收它（ContentDisallowed）。"},
)
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
    refused = run.worker_log("ContentDisallowed")
    run.sleep(0.3)                                                 # time enough to run it, had it been accepted
    record = tracker.tasks.get(pickled.id)
    safe = tasks.add.delay(2, 3)                                   # the same call in JSON runs
    value = run.get(safe)
    safe.forget()
    run.bars([("json", speed["json"]), ("msgpack", speed["msgpack"])],
             {"en": f"dumps + loads per second (body: json {sizes['json']} B, msgpack {sizes['msgpack']} B)",
              "zh": f"每秒 dumps + loads 次数（body：json {sizes['json']} 字节，msgpack {sizes['msgpack']} 字节）"}, "/s")
    for line in refused[:1]:
        run.say(line.strip()[:300])
    run.data.update(sizes=sizes, speed={k: round(v) for k, v in speed.items()}, refused_lines=len(refused),
                    refused=(refused[0][:300] if refused else ""), pickled_state=pickled.state,
                    pickled_events=bool(record and (record.received or record.started)), json_value=value)
    run.expect(sizes["msgpack"] < sizes["json"],
               {"en": f"msgpack is smaller: {sizes['msgpack']} B vs {sizes['json']} B",
                "zh": f"msgpack 更小：{sizes['msgpack']} 字节对 {sizes['json']} 字节"})
    run.expect(speed["msgpack"] > speed["json"],
               {"en": f"msgpack is faster here: {speed['msgpack']:.0f} vs {speed['json']:.0f} round trips/s",
                "zh": f"在这台机器上 msgpack 更快：每秒 {speed['msgpack']:.0f} 次对 {speed['json']:.0f} 次"})
    run.expect(bool(refused) and "pickle" in refused[0],
               {"en": "the worker logged ContentDisallowed for the pickle message",
                "zh": "worker 为这条 pickle 消息记录了 ContentDisallowed"})
    run.expect(pickled.state == "PENDING" and not (record and (record.received or record.started)),
               {"en": "and nothing ran: no task-received or task-started event, the state stays PENDING",
                "zh": "而且什么都没执行：没有 task-received 或 task-started 事件，状态一直是 PENDING"})
    run.expect(value == 5, {"en": "the same call in JSON ran: 5", "zh": "同样的调用用 JSON 发送就执行了：5"})
