"""What `python runner.py lesson 10` plays. Each step's body is shown to the learner as it runs."""
import re
from datetime import datetime, timedelta, timezone

from celery import chain
from celery.utils.time import maybe_make_aware

from classroom import paths
from classroom.player.scenario import Scenario
from classroom.runtime.tracking import tracker
from classroom.runtime import bounds
from classroom.runtime.waits import call_with_deadline, wait_until

from . import tasks

scenario = Scenario()
NO_PRIORITY_IN_MEMORY = {
    "en": "The memory transport keeps one plain FIFO list per queue: it ignores priority (kombu/transport/"
          "memory.py has no priority code). See the order measured on a real broker: "
          "python runner.py lesson 10 --broker redis (or --broker rabbitmq)",
    "zh": "内存传输为每个队列只保留一个普通的先进先出列表：它忽略优先级（kombu/transport/memory.py "
          "里没有任何优先级代码）。要看在真实消息代理上测得的顺序，请运行："
          "python runner.py lesson 10 --broker redis（或 --broker rabbitmq）",
}
# 30 tasks: priorities 0-9, three of each, sent mixed up (three rounds of the same shuffled ten).
SENT = [p for _ in range(3) for p in (7, 4, 1, 8, 5, 2, 9, 6, 3, 0)]


def started_order(results) -> list:
    """The results sorted by the moment their worker reported task-started."""
    tracker.settle([r.id for r in results], 1.0)
    return sorted(results, key=lambda r: tracker.tasks[r.id].started)


def rows(values, per_row: int = 10) -> str:
    """Numbers in rows of ten, each row labelled with its positions: fits a 60-column terminal."""
    return "\n".join(f"  {i + 1:>2}-{min(i + per_row, len(values)):<2}  " + " ".join(str(v) for v in values[i:i + per_row])
                     for i in range(0, len(values), per_row))


def hold(queue: str, *seconds: float) -> list:
    """Keep a -c 1 worker busy: the first task runs, the second waits in its one prefetch slot. Returns
    once the worker has started the first and received the second, so the next messages stay queued."""
    held = [tasks.busy.apply_async((s,), queue=queue) for s in seconds]
    wait_until(lambda: all(tracker.tasks.get(r.id) for r in held) and tracker.tasks[held[0].id].started
               and tracker.tasks[held[-1].id].received, 3.0, 0.01)
    return held


def journal(run, name: str):
    path = paths.state_dir() / f"lesson10-{name}-{run.workers[0].split('@')[-1]}.txt"
    path.write_text("")
    return path


def read(path) -> list[int]:
    lines = [int(x) for x in path.read_text().split()]
    path.unlink()
    return lines


def tidy(lines: list[str]) -> str:
    """Worker log lines without their prefixes: "Discarding revoked task: ping ef2cd6bb"."""
    out = []
    for line in lines:
        line = re.sub(r"^\[[^\]]*\] ", "", line)                      # [time: LEVEL/process]
        line = line.split("]: ", 1)[-1]                                  # a task logger's name[id]:
        out.append(re.sub(r"[\w.]+\.(\w+)\[([0-9a-f]{8})[0-9a-f-]*\]", r"\1 \2", line))
    return "\n".join(re.sub(r"([0-9a-f]{8})-[0-9a-f-]{27}", r"\1", line) for line in out)


def named(run, name: str) -> list:
    """Tracking records of the tasks called `name` seen since this step began."""
    return [rec for rec in (tracker.tasks.get(r.id) for r in run.step_tasks()) if rec and rec.name.endswith(f".{name}")]


@scenario.step(
    title={"en": "priority: 30 tasks behind a busy worker, the order measured",
           "zh": "priority：忙碌的 worker 后面排着 30 个任务，实测执行顺序"},
    explain={"en": "One process (-c 1), prefetch multiplier 1: the worker runs one task and holds one more, so "
                   "the other 30 wait in the broker, which hands them out by priority. RabbitMQ (queue declared "
                   "with x-max-priority=10) serves the highest number first; Redis (one list per priority_steps "
                   "entry, popped in that order) serves 0 first. A task sent without a priority counts as 0.",
             "zh": "一个进程（-c 1），预取倍数为 1：worker 执行一个任务、再保留一个，其余 30 个都在消息代理里"
                   "等待，由消息代理按优先级分发。RabbitMQ（队列声明时带 x-max-priority=10）先发最大的数字；"
                   "Redis（priority_steps 的每一档一个列表，按这个顺序取）先发 0。不带优先级发送的任务按 0 处理。"},
    modes=("redis", "rabbitmq"), unsupported=NO_PRIORITY_IN_MEMORY,
)
def priority_order(run):
    held = hold("prioritized", 0.6, 0.2)              # one running, one in the prefetch slot
    sent = [tasks.job.apply_async((f"{p}.{n // 10}",), queue="prioritized", priority=p)
            for n, p in enumerate(SENT)]
    published = tracker.tasks[sent[-1].id].sent
    labels = [run.get(r) for r in sent]
    ran = [run.get(r) for r in started_order(sent)]
    priorities = [int(label.split(".")[0]) for label in ran]
    rule = {"redis": sorted(SENT), "rabbitmq": sorted(SENT, reverse=True)}[run.mode]
    fifo = all([lb for lb in ran if lb.startswith(f"{p}.")] == [f"{p}.{k}" for k in range(3)] for p in range(10))
    first = tracker.tasks[held[1].id].started
    run.data.update(sent=SENT, ran=priorities, labels=ran, fifo=fifo, queued_in_time=published < first)
    run.say({"en": f"sent (priority of each task, in send order):\n{rows(SENT)}\n"
                   f"ran on {run.mode} (in the order the worker started them):\n{rows(priorities)}",
             "zh": f"发送顺序（每个任务的优先级，按发送先后）：\n{rows(SENT)}\n"
                   f"在 {run.mode} 上的执行顺序（按 worker 开始执行的先后）：\n{rows(priorities)}"})
    run.expect(sorted(labels) == sorted(ran) and published < first,
               {"en": "all 30 were queued before the worker took the next message, and all 30 ran",
                "zh": "30 个任务都在 worker 取下一条消息之前进入了队列，并且全部执行了"})
    if run.mode == "redis":
        run.expect(priorities == rule, {"en": "Redis: 0 ran first, 9 last (priority_steps order)",
                                        "zh": "Redis：0 最先执行，9 最后（priority_steps 的顺序）"})
    else:
        run.expect(priorities == rule, {"en": "RabbitMQ: 9 ran first, 0 last (x-max-priority queue)",
                                        "zh": "RabbitMQ：9 最先执行，0 最后（带 x-max-priority 的队列）"})
    run.expect(fifo, {"en": "equal priorities ran in the order they were sent",
                      "zh": "优先级相同的任务按发送顺序执行"})
    run.say({"en": "The rule for both: the broker decides what a number means. Urgent is the highest number on "
                   "RabbitMQ and 0 on Redis; for work that must win on any broker, give it its own queue.",
             "zh": "两种消息代理都适用的规则：数字的含义由消息代理决定。表示紧急的，在 RabbitMQ 上是最大的数字，"
                   "在 Redis 上是 0；不管用哪种消息代理都必须优先的工作，就给它单独的队列。"})


def waiting(run, queue: str) -> int:
    """How many messages the broker holds in `queue` (declared as the app declares it: no change)."""
    def count() -> int:
        with run.app.connection_for_write() as conn:
            return run.app.amqp.queues[queue].bind(conn.default_channel).queue_declare().message_count
    return call_with_deadline(count, bounds.BROKER_SOCKET_S + 2)


def evidence(run, log, in_seconds, aware, naive) -> dict:
    """What became of the three expiring tasks: states, log lines, task events, messages left queued."""
    pair = (in_seconds, naive)
    return {"states": [in_seconds.state, aware.state, naive.state], "queued": waiting(run, "in_order"),
            "logged": [any(r.id in line for line in log) for r in pair],
            "received": [bool(tracker.tasks[r.id].received) for r in pair],
            "started": [bool(tracker.tasks[r.id].started) for r in pair]}


@scenario.step(
    title={"en": "expires: in seconds, as an aware datetime, and the naive-datetime mistake",
           "zh": "expires：用秒数、用带时区的 datetime，以及不带时区的 datetime 这个错误"},
    explain={"en": "expires=0.3 means 0.3 s after sending. A worker that receives a task after that does not "
                   "run it: it logs 'Discarding revoked task' and stores REVOKED. On RabbitMQ Celery also sets "
                   "the message's TTL (AMQP expiration), so the broker drops a message that expires in the "
                   "queue: no worker ever sees it, its state stays PENDING. A datetime without a timezone is "
                   "read as UTC, so datetime.now() (local time) is off by the machine's UTC offset: shown "
                   "with the local time of a machine at UTC-5.",
             "zh": "expires=0.3 表示发送后 0.3 秒。在这之后才收到任务的 worker 不会执行它：日志里写 "
                   "'Discarding revoked task'，并把状态存为 REVOKED。在 RabbitMQ 上，Celery 还会设置消息的 TTL"
                   "（AMQP expiration），所以在队列里过期的消息会被消息代理直接丢弃：没有任何 worker 见过它，"
                   "状态一直是 PENDING。不带时区的 datetime 会被当作 UTC，所以 datetime.now()（本地时间）"
                   "会差出本机与 UTC 的时差：这里用一台 UTC-5 机器的本地时间来演示。"},
)
def expires(run):
    hold("in_order", 0.8, 0.05)                                   # the next messages wait in the broker
    in_seconds = tasks.ping.apply_async(queue="in_order", expires=0.3)
    aware = tasks.ping.apply_async(queue="in_order",
                                   expires=datetime.now(timezone.utc) + timedelta(seconds=10))
    value = run.get(aware)                                        # the worker is idle again
    # The mistake, safely: what datetime.now() returns on a machine at UTC-5 (naive, 5 h behind UTC).
    local_at_utc_minus_5 = (datetime.now(timezone.utc) - timedelta(hours=5)).replace(tzinfo=None)
    naive = tasks.ping.apply_async(queue="in_order", expires=local_at_utc_minus_5 + timedelta(seconds=10))
    dropped_by_broker = run.mode == "rabbitmq"                    # the AMQP expiration (TTL) did it
    wait_until(lambda: naive.state == "REVOKED" and (dropped_by_broker or in_seconds.state == "REVOKED"), 3.0, 0.02)
    log = run.worker_log("Discarding revoked task", count=1 if dropped_by_broker else 2)
    for result, label in ((in_seconds, "expires=0.3"), (aware, {"en": "aware +10 s", "zh": "带时区 +10 秒"}),
                          (naive, {"en": "naive at UTC-5", "zh": "无时区 UTC-5"})):
        run.show(result, label)
    run.say(tidy(log))
    # At UTC+8 the same mistake is 8 h late instead: the deadline Celery's maybe_make_aware gives the worker.
    local_at_utc_plus_8 = (datetime.now(timezone.utc) + timedelta(hours=8)).replace(tzinfo=None)
    late_h = (maybe_make_aware(local_at_utc_plus_8) - datetime.now(timezone.utc)).total_seconds() / 3600
    offset_h = datetime.now().astimezone().utcoffset().total_seconds() / 3600
    facts = evidence(run, log, in_seconds, aware, naive)
    facts.update(late_at_utc_plus_8_h=round(late_h, 2), local_offset_h=offset_h)
    run.data.update(facts)
    run.say({"en": f"this machine's UTC offset: {offset_h:+.0f} h (a naive datetime.now() is that far off); "
                   f"at UTC+8 it would expire {late_h:.1f} h late",
             "zh": f"本机与 UTC 的时差：{offset_h:+.0f} 小时（不带时区的 datetime.now() 就差这么多）；"
                   f"在 UTC+8 的机器上它会晚 {late_h:.1f} 小时才过期"})
    run.expect(value == "pong" and aware.state == "SUCCESS",
               {"en": "the aware datetime (+10 s) ran", "zh": "带时区的 datetime（+10 秒）正常执行了"})
    run.expect(facts["states"][2] == "REVOKED" and facts["logged"][1] and not facts["started"][1],
               {"en": "the naive UTC-5 time was already past: REVOKED, 'Discarding revoked task', never started",
                "zh": "UTC-5 的无时区时间早已过去：REVOKED，日志里有 'Discarding revoked task'，从未开始"})
    if dropped_by_broker:
        run.expect(facts["states"][0] == "PENDING" and not facts["received"][0] and facts["queued"] == 0,
                   {"en": "expires=0.3 on RabbitMQ: dropped by the broker, never received, still PENDING",
                    "zh": "RabbitMQ 上的 expires=0.3：被消息代理丢弃，worker 从未收到，状态仍是 PENDING"})
    else:
        run.expect(facts["states"][0] == "REVOKED" and facts["logged"][0] and not facts["started"][0],
                   {"en": "expires=0.3: REVOKED by the worker that received it late, never started",
                    "zh": "expires=0.3：收到时已过期，被 worker 标记为 REVOKED，从未开始"})


def placement(run, ok, order, receipts, success_log, alert_log) -> dict:
    """Where each callback ran: the workers of the order and the receipt, and the pids in the log lines."""
    return {"order_worker": tracker.tasks[ok.id].hostname.split("@")[0],
            "receipt_worker": receipts[0].hostname.split("@")[0] if receipts else "",
            "receipts": len(receipts), "alert_tasks": len(named(run, "alert")),
            "on_success_same_pid": bool(success_log) and success_log[0].endswith(f"pid {order['pid']}"),
            "alert_same_pid": bool(alert_log) and bool(re.search(r"\(pid (\d+)\).*pid \1$", alert_log[0]))}


@scenario.step(
    title={"en": "link, link_error and on_success: which runs where",
           "zh": "link、link_error 与 on_success：各在哪里运行"},
    explain={"en": "link sends a new task with the return value when the task succeeds: it is a message like "
                   "any other and runs on whichever worker consumes its queue. An errback with "
                   "(request, exc, traceback) is called inside the failed task's worker process, without a "
                   "message. on_success, a method of the task class, runs in the same process right after it.",
             "zh": "link 在任务成功时发送一个新任务，参数是返回值：它和其他消息一样，由消费它所在队列的"
                   "任意 worker 执行。参数为 (request, exc, traceback) 的错误回调，在失败任务所在的 worker "
                   "进程里直接调用，不发消息。on_success 是任务类的方法，紧接着任务在同一个进程里运行。"},
)
def callbacks(run):
    receipt = tasks.send_receipt.s().set(queue="in_order")       # a link can go to another queue
    ok = tasks.place_order.apply_async(("A-1",), link=receipt, link_error=tasks.alert.s())
    bad = tasks.place_order.apply_async(("BAD-2",), link=receipt, link_error=tasks.alert.s())
    order = run.get(ok)
    run.get(bad, propagate=False)
    success_log = run.worker_log(f"on_success of {ok.id}")
    alert_log = run.worker_log(f"alert: {bad.id}")
    wait_until(lambda: len(named(run, "send_receipt")) == 1 and named(run, "send_receipt")[0].ended, 2.0, 0.02)
    receipts = named(run, "send_receipt")
    run.show(ok)
    run.show(bad)
    for rec in receipts:
        run.show(run.app.AsyncResult(rec.id), "link")
    run.say(tidy(success_log + alert_log))
    where = placement(run, ok, order, receipts, success_log, alert_log)
    run.data.update(where)
    run.expect(where["receipts"] == 1 and where["receipt_worker"] == "single" and where["order_worker"] == "worker1",
               {"en": "link: one new task (for A-1 only), run by the worker of its queue (single), not worker1",
                "zh": "link：只为 A-1 发了一个新任务，由它所在队列的 worker（single）执行，而不是 worker1"})
    run.expect(where["alert_same_pid"] and where["alert_tasks"] == 0,
               {"en": "link_error: called in the failed task's own process, no task message",
                "zh": "link_error：在失败任务自己的进程里调用，没有发任务消息"})
    run.expect(where["on_success_same_pid"], {"en": "on_success: same process as the task, right after it",
                                              "zh": "on_success：与任务同一个进程，紧接着任务运行"})


@scenario.step(
    title={"en": "Order is not guaranteed: -c 2 finishes out of send order",
           "zh": "顺序没有保证：-c 2 完成的顺序与发送顺序不同"},
    explain={"en": "One worker with two processes runs two tasks at once: task 1 is slow, so tasks 2-6 pass it. "
                   "Each task appends its number to a journal: the journal is the order the work happened.",
             "zh": "一个有两个进程的 worker 会同时执行两个任务：任务 1 比较慢，任务 2-6 就超过了它。"
                   "每个任务把自己的编号追加到一个记录文件（journal）：文件里的顺序就是工作真正发生的顺序。"},
)
def two_processes(run):
    path = journal(run, "two")
    sent = [tasks.write.delay(str(path), i, 0.4 if i == 1 else 0.02) for i in range(1, 7)]
    [run.get(r) for r in sent]
    done = read(path)
    run.timeline(sent, {"en": "task 1 is slow; the others pass it", "zh": "任务 1 很慢；其余的超过了它"})
    run.data["journal"] = done
    run.say({"en": f"sent 1 2 3 4 5 6; journal: {' '.join(map(str, done))}",
             "zh": f"发送顺序 1 2 3 4 5 6；记录顺序：{' '.join(map(str, done))}"})
    run.expect(sorted(done) == list(range(1, 7)) and done != list(range(1, 7)) and done[-1] == 1,
               {"en": "the journal is out of send order: task 1 finished last",
                "zh": "记录顺序与发送顺序不同：任务 1 最后完成"})


@scenario.step(
    title={"en": "-c 1, prefetch 1 keeps order... until a retry breaks it",
           "zh": "-c 1、预取 1 能保持顺序……直到一次重试把它打乱"},
    explain={"en": "With one process and one message at a time the work happens in send order. Then task 2 "
                   "fails once and retries with countdown=0.1: the retry is a new message, due later, and "
                   "tasks 3, 4... run before it. A redelivery (a worker that dies) reorders the same way.",
             "zh": "只有一个进程、每次一条消息时，工作按发送顺序进行。接着让任务 2 失败一次，以 countdown=0.1 "
                   "重试：重试是一条稍后才到期的新消息，任务 3、4……会先于它执行。重新投递（worker 崩溃）"
                   "也会这样打乱顺序。"},
)
def one_process(run):
    calm, broken = journal(run, "calm"), journal(run, "broken")
    first = [tasks.write.apply_async((str(calm), i), queue="in_order") for i in range(1, 7)]
    [run.get(r) for r in first]
    second = [tasks.write.apply_async((str(broken), i), {"fail_first": i == 2}, queue="in_order")
              for i in range(1, 7)]
    [run.get(r) for r in second]
    kept, retried = read(calm), read(broken)
    run.data.update(kept=kept, retried=retried)
    run.say({"en": f"no retry: {' '.join(map(str, kept))}\ntask 2 retried: {' '.join(map(str, retried))}",
             "zh": f"没有重试：{' '.join(map(str, kept))}\n任务 2 重试后：{' '.join(map(str, retried))}"})
    run.expect(kept == list(range(1, 7)), {"en": "without a retry: 1 2 3 4 5 6, in send order",
                                           "zh": "没有重试时：1 2 3 4 5 6，与发送顺序一致"})
    run.expect(sorted(retried) == list(range(1, 7)) and retried.index(2) > retried.index(3),
               {"en": "with one retry, task 2 ran after task 3: order broken",
                "zh": "重试一次后，任务 2 在任务 3 之后才执行：顺序被打乱"})


@scenario.step(
    title={"en": "Keeping order: a chain, or a sequence number the task checks",
           "zh": "保持顺序：用 chain，或者让任务检查序号"},
    explain={"en": "A chain sends each task only when the previous one has succeeded, retries included, so "
                   "the -c 2 worker still writes 1-6 in order. A sequence number works without a chain: "
                   "the task compares it with what has been applied and retries until its turn comes.",
             "zh": "chain 只在前一个任务成功（包括重试后成功）之后才发送下一个，所以 -c 2 的 worker 依然"
                   "按 1-6 的顺序写入。序号则不需要 chain：任务把自己的序号和已经应用的部分比较，没轮到自己就重试。"},
)
def keep_order(run):
    chained, numbered = journal(run, "chained"), journal(run, "numbered")
    steps = chain(tasks.write.si(str(chained), i, 0.02, fail_first=i == 2) for i in range(1, 7))
    run.get(steps.apply_async())
    sequenced = [tasks.apply_in_sequence.delay(str(numbered), seq) for seq in range(6, 0, -1)]   # sent 6..1
    [run.get(r) for r in sequenced]
    in_chain, in_sequence = read(chained), read(numbered)
    run.data.update(chain=in_chain, sequence=in_sequence)
    run.say({"en": f"chain (task 2 retried): {' '.join(map(str, in_chain))}\n"
                   f"sequence numbers (sent 6 5 4 3 2 1): {' '.join(map(str, in_sequence))}",
             "zh": f"chain（任务 2 重试过）：{' '.join(map(str, in_chain))}\n"
                   f"序号（发送顺序 6 5 4 3 2 1）：{' '.join(map(str, in_sequence))}"})
    run.expect(in_chain == list(range(1, 7)), {"en": "the chain wrote 1-6 in order despite the retry",
                                               "zh": "尽管有重试，chain 依然按 1-6 的顺序写入"})
    run.expect(in_sequence == list(range(1, 7)), {"en": "sequence numbers: applied 1-6 in order, sent backwards",
                                                  "zh": "序号：倒序发送，却按 1-6 的顺序应用"})
