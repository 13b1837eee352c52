"""What `python runner.py lesson 9` plays. Each step's body is shown to the learner as it runs.

Every kill is real: `kill -9` (SIGKILL) of a prefork pool process, or of a worker's main process and
its pool (as the OOM killer or a lost machine would), through the session's managed processes.
"""
import sqlite3
import time
from pathlib import Path

import redis

from classroom import paths
from classroom.player.scenario import Scenario
from classroom.runtime import bounds, waits
from classroom.runtime.workers import WorkerSpec

from . import tasks

scenario = Scenario()
BROKERS = ("redis", "rabbitmq")
KILL = {
    "en": "This step kills a worker process (kill -9). In memory mode the worker is a thread inside the "
          "runner's own process: killing it would kill the lesson. See it on real worker processes: "
          "python runner.py lesson 9 --broker redis (or --broker rabbitmq)",
    "zh": "这一步要用 kill -9 杀掉 worker。内存模式下 worker 是 runner 自己进程里的一个线程："
          "杀掉它就等于杀掉整节课。要在真实的 worker 进程上看到它，请运行："
          "python runner.py lesson 9 --broker redis（或 --broker rabbitmq）",
}
NO_TIMEOUT = {
    "en": "visibility_timeout belongs to the Redis transport (and SQS); the memory transport has none. "
          "See the double delivery: python runner.py lesson 9 --broker redis",
    "zh": "visibility_timeout 是 Redis（以及 SQS）传输层的概念；内存传输没有它。"
          "要看到重复投递，请运行：python runner.py lesson 9 --broker redis",
}
held: dict = {}                       # step 3's tasks, which step 4 kills
joined: set = set()                   # workers told to consume "celery" too (add_consumer)
# A dead pool process is noticed when the worker next looks after its pool (every 5 s), then the
# task fails or is requeued: allow that, plus the second run.
LOST_S = 9.0


# --- helpers (not shown): a run log in SQLite, the broker's own counts, kills -----------------------

def visibility_timeout() -> float:
    return float(tasks.app.conf.broker_transport_options["visibility_timeout"])


def runs_file(run, name: str) -> str:
    """A fresh SQLite file for one step's run log (the tasks write one row per run they start)."""
    path = paths.state_dir() / f"lesson09-{run.session.run_id}-{name}.db"
    path.unlink(missing_ok=True)
    return str(path)


def forget(path: str) -> None:
    Path(path).unlink(missing_ok=True)


def runs_of(path: str, result=None, table: str = "runs") -> list[dict]:
    try:
        with sqlite3.connect(path, timeout=5) as db:
            db.row_factory = sqlite3.Row
            rows = db.execute(f"SELECT * FROM {table}").fetchall()        # noqa: S608 - our own table names
    except sqlite3.OperationalError:                                         # no run has created it yet
        return []
    return [dict(r) for r in rows if result is None or r["task_id"] == result.id]


def started(path: str, result, count: int = 1, seconds: float = bounds.RESULT_S) -> dict:
    """The row of the `count`-th run of `result` (bounded wait): which worker, which pool process."""
    waits.wait_until(lambda: len(runs_of(path, result)) >= count, seconds, 0.02)
    rows = runs_of(path, result)
    if len(rows) < count:
        raise AssertionError(f"run {count} of {result.id[:8]} did not start within {seconds} s")
    return rows[count - 1]


def worker_named(run, host: str):
    return next(w for w in run.session.workers if w.hostname == host)


def kill_pool_process(worker, pid: int) -> None:
    """kill -9 of the pool process running the task; the worker's main process lives on."""
    for child in worker.children():
        if child.pid == pid:
            child.kill()


def kill_worker(worker) -> float:
    """kill -9 of the main process and of its pool: nothing of the worker is left to say goodbye."""
    worker.expected_exit = True                   # the session must not report it as a fault
    pool = worker.children()
    worker.kill()
    for child in pool:
        child.kill()
    killed = time.time()
    waits.wait_until(lambda: not worker.alive(), bounds.PROCESS_TERMINATE_S, 0.01)
    return killed


def waiting(run, queue: str = "celery") -> dict:
    """What the broker itself holds: messages ready in the queue, and (Redis) unacked ones."""
    def count() -> dict:
        if run.mode == "rabbitmq":
            with run.app.connection_for_write() as conn:
                ok = conn.default_channel.queue_declare(queue=queue, passive=True)
                return {"ready": ok.message_count, "unacked": None}
        prefix = run.session.settings["broker_transport_options"]["global_keyprefix"]
        client = redis.Redis.from_url(run.session.broker.url, socket_timeout=bounds.BROKER_SOCKET_S)
        try:
            ready = sum(client.llen(key) for key in client.scan_iter(match=f"{prefix}{queue}*")
                        if client.type(key) == b"list")
            return {"ready": ready, "unacked": client.hlen(f"{prefix}unacked")}
        finally:
            client.close()
    return waits.call_with_deadline(count, bounds.BROKER_CONNECT_S + bounds.BROKER_SOCKET_S)


def back_in_queue(run, count: int, since: float, seconds: float) -> float | None:
    """Seconds from `since` until `count` messages are ready in the queue again (None: never)."""
    if waits.wait_until(lambda: waiting(run)["ready"] >= count, seconds, 0.02):
        return round(time.time() - since, 3)
    return None


def consumers_of(run) -> list[str]:
    """The live workers that consume "celery": started on it, or told to by add_consumer."""
    return [w.hostname for w in run.session.workers if w.alive()
            and ("celery" in (w.spec.queues or ("celery",)) or w.hostname in joined)]


def join_celery(run, host: str) -> None:
    """app.control.add_consumer: a running worker starts consuming "celery" too, no restart."""
    run.app.control.add_consumer("celery", destination=[host], reply=True, limit=1, timeout=bounds.INSPECT_S)
    joined.add(host)


# --- the steps ----------------------------------------------------------------------------------------

@scenario.step(
    title={"en": "kill -9 of the pool process: early ack loses the task, acks_late runs it again",
           "zh": "kill -9 池进程：提前确认丢掉任务，acks_late 让它再运行一次"},
    explain={"en": "By default (early ack) the worker acknowledges a message just before the task runs: the "
                   "broker forgets it, and when the pool process dies Celery can only record WorkerLostError. "
                   "With acks_late the ack comes after the task returns, and reject_on_worker_lost makes the "
                   "worker give the message back (reject, requeue): it runs again at once.",
             "zh": "默认（提前确认）时，worker 在任务开始执行前就确认消息：消息代理随即忘掉它，池进程一死，"
                   "Celery 只能记下 WorkerLostError。用了 acks_late，确认要等任务返回之后才发，"
                   "而 reject_on_worker_lost 让 worker 把消息退回（reject 并重新入队）：它马上再运行一次。"},
    modes=BROKERS, unsupported=KILL,
)
def pool_process_killed(run):
    log = runs_file(run, "pool")
    early = tasks.early_ack.delay(log, 30)                   # the default: acked as it starts
    late = tasks.late_ack.delay(log, 1.0)                    # acks_late + reject_on_worker_lost
    for result in (early, late):
        where = started(log, result)                         # running: on which worker, which pool process
        kill_pool_process(worker_named(run, where["host"]), where["pid"])
    killed = time.time()
    error = run.get(early, propagate=False, timeout=LOST_S)
    noticed = round(time.time() - killed, 3)
    value = run.get(late, timeout=LOST_S)
    rows = runs_of(log, late)
    run.show(early, {"en": "early ack", "zh": "提前确认"})
    run.show(late, {"en": "acks_late", "zh": "acks_late"})
    run.data.update(early={"state": early.state, "error": repr(error), "noticed_s": noticed,
                           "runs": len(runs_of(log, early))},
                    late={"state": late.state, "runs": len(rows), "redelivered": [r["redelivered"] for r in rows],
                          "rerun_after_s": round(rows[-1]["started"] - killed, 3) if rows else None})
    forget(log)
    run.expect(early.state == "FAILURE" and type(error).__name__ == "WorkerLostError",
               {"en": f"early ack: FAILURE, {error!r}, recorded {noticed:.2f} s after the kill; it never runs again",
                "zh": f"提前确认：FAILURE，{error!r}，在杀掉后 {noticed:.2f} 秒记录；它不会再运行"})
    run.expect(value == 1.0 and len(rows) == 2 and [r["redelivered"] for r in rows] == [0, 1],
               {"en": f"acks_late: rejected back to the queue, ran again (redelivered=True) to SUCCESS, "
                      f"{run.data['late']['rerun_after_s']} s after the kill",
                "zh": f"acks_late：消息被退回队列，在杀掉后 {run.data['late']['rerun_after_s']} 秒再次运行"
                      "（redelivered=True），直到 SUCCESS"})


@scenario.step(
    title={"en": "kill -9 of the whole worker, then a restart: the unacked message comes back",
           "zh": "kill -9 整个 worker，再重启：未确认的消息回来了"},
    explain={"en": "Now the main process dies too (an OOM kill, a lost machine): nobody is left to record "
                   "anything. The early-ack task was acked: it stays STARTED for ever. The acks_late one was "
                   "never acked, so the broker gives it back: RabbitMQ as soon as the connection drops, Redis "
                   "once visibility_timeout has passed since the worker took it. The restarted worker runs it.",
             "zh": "这回主进程也死了（被 OOM 杀掉、机器没了）：没有谁留下来记录任何事。提前确认的任务已经确认过了："
                   "它永远停在 STARTED。acks_late 的那个从未确认，所以消息代理会把它退回：RabbitMQ 在连接断开时"
                   "立刻退回，Redis 要等到从 worker 取走它算起过了 visibility_timeout。重启后的 worker 执行它。"},
    modes=BROKERS, unsupported=KILL,
)
def worker_killed(run):
    log = runs_file(run, "worker")
    sent = time.time()
    early = tasks.early_ack.delay(log, 30)
    late = tasks.late_ack.delay(log, 1.0)
    hosts = {started(log, r)["host"] for r in (early, late)}
    for host in hosts:
        killed = kill_worker(worker_named(run, host))       # kill -9 of the main process and its pool
    broker = waiting(run)                                    # right after the kill
    back = back_in_queue(run, 1, killed, visibility_timeout() + 3)
    run.session.start_worker(WorkerSpec("worker2", queues=("celery",), concurrency=2))   # the restart
    value = run.get(late)
    rows = runs_of(log, late)
    run.show(early, {"en": "early ack", "zh": "提前确认"})
    run.show(late, {"en": "acks_late", "zh": "acks_late"})
    run.data.update(early={"state": early.state, "runs": len(runs_of(log, early))}, right_after=broker,
                    late={"state": late.state, "runs": len(rows), "redelivered": [r["redelivered"] for r in rows]},
                    back_s=back, back_since_sent_s=round(back + killed - sent, 3) if back is not None else None,
                    visibility_timeout=visibility_timeout())
    forget(log)
    run.say({"en": f"right after the kill the broker held {broker}; the acks_late message was ready again "
                   f"{back} s after the kill, {run.data['back_since_sent_s']} s after it was sent",
             "zh": f"刚杀掉时消息代理里有 {broker}；acks_late 的消息在杀掉后 {back} 秒、发送后 "
                   f"{run.data['back_since_sent_s']} 秒重新就绪"})
    run.expect(early.state == "STARTED" and run.data["early"]["runs"] == 1,
               {"en": "early ack: lost, it stays STARTED and never runs again",
                "zh": "提前确认：丢了，一直停在 STARTED，再也不会运行"})
    run.expect(value == 1.0 and [r["redelivered"] for r in rows] == [0, 1] and rows[1]["host"].startswith("worker2@"),
               {"en": "acks_late: redelivered (redelivered=True) and run to SUCCESS by the restarted worker",
                "zh": "acks_late：被重新投递（redelivered=True），由重启后的 worker 执行成功"})
    if run.mode == "rabbitmq":
        run.expect(back is not None and back < 1.0,
                   {"en": f"RabbitMQ: back in the queue at once ({back} s): the connection closed with the process",
                    "zh": f"RabbitMQ：立刻回到队列（{back} 秒）：连接随进程一起关闭"})
    else:
        run.expect(broker["unacked"] == 1 and back is not None and run.data["back_since_sent_s"] >= visibility_timeout(),
                   {"en": f"Redis: held in 'unacked', back {run.data['back_since_sent_s']} s after the worker took it "
                          f"(visibility_timeout = {visibility_timeout():g} s)",
                    "zh": f"Redis：先留在 'unacked' 里，从 worker 取走它算起 {run.data['back_since_sent_s']} 秒后才回来"
                          f"（visibility_timeout = {visibility_timeout():g} 秒）"})


@scenario.step(
    title={"en": "Prefetch, measured: -c 2 with multiplier 1 holds 2 running + 2 reserved",
           "zh": "实测预取：-c 2、multiplier 为 1 时，正在运行 2 个 + 预留 2 个"},
    explain={"en": "A worker takes up to concurrency × worker_prefetch_multiplier messages it has not acked. "
                   "Under early ack a running task is already acked, so each process also holds one reserved "
                   "message: `celery inspect reserved` lists them next to `inspect active`.",
             "zh": "一个 worker 最多拿 concurrency × worker_prefetch_multiplier 条尚未确认的消息。"
                   "在提前确认下，正在运行的任务已经确认过了，所以每个进程还会再预留一条消息："
                   "`celery inspect reserved` 把它们列在 `inspect active` 旁边。"},
)
def prefetch_reserved(run):
    hosts = consumers_of(run)                                # the workers that consume "celery" now
    held["hosts"], held["sent"] = hosts, time.time()
    held["results"] = results = [tasks.work.delay(1.5) for _ in range(4 * len(hosts))]
    waits.wait_until(lambda: sum(bool(r and r.started) for r in run.records(results, 0)) >= 2 * len(hosts),
                     bounds.RESULT_S, 0.02)
    run.sleep(0.2)
    active = waits.inspect(run.app, "active", bounds.INSPECT_S, destination=hosts)
    reserved = waits.inspect(run.app, "reserved", bounds.INSPECT_S, destination=hosts)
    counts = {h.split("@")[0]: {"active": len(active.get(h, [])), "reserved": len(reserved.get(h, []))} for h in hosts}
    held["reserved_ids"] = [t["id"] for h in hosts for t in reserved.get(h, [])]
    run.say({"en": f"inspect active / reserved: {counts}", "zh": f"inspect active / reserved：{counts}"})
    run.data.update(counts=counts, hosts=hosts)
    run.expect(len(hosts) >= 1 and all(c == {"active": 2, "reserved": 2} for c in counts.values()),
               {"en": "each -c 2 worker runs 2 tasks and holds 2 more, reserved for it",
                "zh": "每个 -c 2 的 worker 正在运行 2 个任务，另外还为自己预留了 2 个"})


@scenario.step(
    title={"en": "Kill it: the running tasks are lost, the reserved ones come back",
           "zh": "杀掉它：正在运行的任务丢了，预留的任务回来了"},
    explain={"en": "standby joins the queue first (add_consumer): nothing is left in it for now. The reserved "
                   "messages were never acked, so the broker gives them back: RabbitMQ at once (the connection "
                   "closed), Redis after visibility_timeout (they wait in its 'unacked' hash). The running ones "
                   "were acked as they started: gone for good.",
             "zh": "standby 先加入这个队列（add_consumer）：此刻队列里什么也没有。预留的消息从未被确认，"
                   "所以消息代理会把它们退回：RabbitMQ 立刻退回（连接关闭了），Redis 要等 visibility_timeout"
                   "（它们在 'unacked' 哈希表里等着）。正在运行的那些在开始时就确认了：永远消失了。"},
    modes=BROKERS, unsupported=KILL,
)
def reserved_come_back(run):
    results = held["results"]
    standby = next(w.hostname for w in run.session.workers if w.hostname.startswith("standby@"))
    join_celery(run, standby)                                # idle: the queue itself is empty
    killed = kill_worker(worker_named(run, held["hosts"][0]))
    right_after = waiting(run)
    reserved = [r for r in results if r.id in held["reserved_ids"]]
    running = [r for r in results if r not in reserved]
    values = [run.get(r, timeout=visibility_timeout() + 5) for r in reserved]
    back = round(min(rec.started for rec in run.records(reserved)) - killed, 3)   # standby started them
    states = {"running": [r.state for r in running], "reserved": [r.state for r in reserved]}
    for r in results:
        run.show(r, {"en": "was reserved" if r in reserved else "was running",
                     "zh": "曾被预留" if r in reserved else "曾在运行"})
    run.timeline(results, {"en": "2 lost with the worker, 2 run by standby",
                           "zh": "2 个随 worker 丢失，2 个由 standby 执行"})
    since_sent = round(back + killed - held["sent"], 3)
    run.data.update(right_after=right_after, back_s=back, back_since_sent_s=since_sent, states=states,
                    ran_on=sorted({r.hostname.split("@")[0] for r in run.records(reserved)}),
                    runs={"running": [len(rec.attempts) for rec in run.records(running, 0)],
                          "reserved": [len(rec.attempts) for rec in run.records(reserved, 0)]})
    run.say({"en": f"right after the kill the broker held {right_after}; standby started the reserved tasks "
                   f"{back} s after the kill, {since_sent} s after they were sent",
             "zh": f"刚杀掉时消息代理里有 {right_after}；standby 在杀掉后 {back} 秒、发送后 {since_sent} 秒"
                   "开始执行那两个预留的任务"})
    run.expect(values == [1.5, 1.5] and states["running"] == ["STARTED", "STARTED"],
               {"en": "the 2 reserved tasks ran to SUCCESS on standby; the 2 running ones stay STARTED",
                "zh": "2 个预留的任务在 standby 上执行成功；2 个正在运行的任务一直停在 STARTED"})
    if run.mode == "rabbitmq":
        run.expect(back < 1.0, {"en": f"RabbitMQ: redelivered at once ({back} s after the kill)",
                                "zh": f"RabbitMQ：立刻重新投递（杀掉后 {back} 秒）"})
    else:
        run.expect(right_after["unacked"] == 2 and since_sent >= visibility_timeout(),
                   {"en": f"Redis: held in 'unacked', back {since_sent} s after the worker took them "
                          f"(visibility_timeout = {visibility_timeout():g} s)",
                    "zh": f"Redis：先留在 'unacked' 里，从 worker 取走它们算起 {since_sent} 秒后才回来"
                          f"（visibility_timeout = {visibility_timeout():g} 秒）"})


@scenario.step(
    title={"en": "Multiplier 4 versus 1, side by side, on an uneven workload",
           "zh": "multiplier 4 与 1 并排比较：不均匀的工作量"},
    explain={"en": "eager (-c 1, multiplier 4) and modest (-c 1, multiplier 1) each get a 2 s task and six "
                   "0.1 s tasks. While each runs its long task, a free worker joins their queues: it can only "
                   "take what the busy one has not reserved. eager hoards 4 short tasks behind its long one.",
             "zh": "eager（-c 1，multiplier 4）和 modest（-c 1，multiplier 1）各收到一个 2 秒的任务和六个 0.1 秒的任务。"
                   "它们各自忙着长任务时，一个空闲的 worker 加入它们的队列：它只能拿走忙的那个没有预留的消息。"
                   "eager 在长任务后面囤了 4 个短任务。"},
)
def prefetch_multiplier(run):
    for queue in ("hoard4", "hoard1"):                       # eager consumes hoard4, modest hoard1
        tasks.work.apply_async((2.0,), queue=queue)
        [tasks.work.apply_async((0.1,), queue=queue) for _ in range(6)]
    run.sleep(0.3)                                           # each busy worker has reserved what it may
    helper = next(w.hostname for w in run.session.workers if w.hostname.startswith("standby@"))   # a free worker
    for queue in ("hoard4", "hoard1"):
        run.app.control.add_consumer(queue, destination=[helper], reply=True, limit=1, timeout=bounds.INSPECT_S)
    ran = run.step_tasks(seconds=4.0)
    eager = [r for r in ran if run.records([r])[0].queue == "hoard4"]
    modest = [r for r in ran if run.records([r])[0].queue == "hoard1"]
    run.timeline(eager, {"en": "multiplier 4: shorts stuck behind the long task",
                         "zh": "multiplier 4：短任务被堵在长任务后面"})
    run.timeline(modest, {"en": "multiplier 1: the free worker takes them",
                          "zh": "multiplier 1：空闲的 worker 把它们拿走"})
    facts = {name: stuck(run, group, helper) for name, group in (("multiplier_4", eager), ("multiplier_1", modest))}
    run.data.update(facts)
    run.say({"en": f"short tasks that waited for the long one: multiplier 4 → {facts['multiplier_4']['stuck']}, "
                   f"multiplier 1 → {facts['multiplier_1']['stuck']}",
             "zh": f"等待长任务结束的短任务：multiplier 4 → {facts['multiplier_4']['stuck']} 个，"
                   f"multiplier 1 → {facts['multiplier_1']['stuck']} 个"})
    run.expect(facts["multiplier_4"]["stuck"] == 4 and facts["multiplier_1"]["stuck"] == 1,
               {"en": "multiplier 4: 4 short tasks waited behind the long one; multiplier 1: only 1",
                "zh": "multiplier 4：4 个短任务等在长任务后面；multiplier 1：只有 1 个"})
    run.expect(facts["multiplier_4"]["done_s"] > facts["multiplier_1"]["short_done_s"],
               {"en": f"the last short task ended at {facts['multiplier_4']['done_s']:.2f} s with 4, "
                      f"the free worker had finished its share by {facts['multiplier_1']['short_done_s']:.2f} s with 1",
                "zh": f"multiplier 4 时最后一个短任务在 {facts['multiplier_4']['done_s']:.2f} 秒结束，"
                      f"multiplier 1 时空闲 worker 在 {facts['multiplier_1']['short_done_s']:.2f} 秒就做完了它那份"})


def stuck(run, group, helper) -> dict:
    """How many short tasks ran on the busy worker after its long one, and when things ended."""
    recs = run.records(group, 2.0)
    first = min(r.sent or r.started for r in recs)
    busy = next((r.hostname for r in recs if r.ended and r.started and r.ended - r.started > 0.5), "")
    shorts = [r for r in recs if not (r.ended and r.started and r.ended - r.started > 0.5)]
    on_busy = [r for r in shorts if r.hostname == busy]
    on_helper = [r for r in shorts if r.hostname == helper]
    return {"stuck": len(on_busy), "helped": len(on_helper), "busy": busy.split("@")[0],
            "done_s": round(max((r.ended or 0) for r in shorts) - first, 3),
            "short_done_s": round(max((r.ended or 0) for r in on_helper) - first, 3) if on_helper else None}


@scenario.step(
    title={"en": "Redis visibility_timeout: a countdown longer than it runs twice",
           "zh": "Redis 的 visibility_timeout：比它更长的 countdown 会执行两次"},
    explain={"en": "A worker holds a countdown/eta task unacked until it is due. Redis gives back any message "
                   "unacked for longer than visibility_timeout (3 s here, 1 hour by default), even from a "
                   "healthy worker: then two copies wait for the same moment. Keep every countdown, eta and "
                   "acks_late run below it. RabbitMQ has no such timeout (its consumer_timeout, 30 min by "
                   "default, closes the channel instead).",
             "zh": "worker 把 countdown/eta 任务以未确认的状态一直拿着，直到到期。Redis 会把未确认超过 "
                   "visibility_timeout（这里是 3 秒，默认 1 小时）的消息退回，即使 worker 好好的：于是两份副本"
                   "等着同一个时刻。让所有 countdown、eta 以及 acks_late 任务的运行时间都小于它。"
                   "RabbitMQ 没有这种超时（它的 consumer_timeout 默认 30 分钟，到时会关闭通道）。"},
    modes=BROKERS, unsupported=NO_TIMEOUT,
)
def visibility_timeout_trap(run):
    log = runs_file(run, "eta")
    vt = visibility_timeout()
    too_long = tasks.later.apply_async((log,), countdown=vt + 1.5)   # 4.5 s > visibility_timeout
    fits = tasks.later.apply_async((log,), countdown=vt - 1.0)       # 2 s < visibility_timeout
    run.get(fits, timeout=vt + 2)
    run.get(too_long, timeout=vt + 5)
    run.sleep(0.3)
    twice, once = runs_of(log, too_long), runs_of(log, fits)
    run.show(too_long, {"en": f"countdown={vt + 1.5:g}", "zh": f"countdown={vt + 1.5:g}"})
    run.show(fits, {"en": f"countdown={vt - 1.0:g}", "zh": f"countdown={vt - 1.0:g}"})
    run.data.update(visibility_timeout=vt, too_long_runs=len(twice), fits_runs=len(once),
                    redelivered=[r["redelivered"] for r in twice])
    forget(log)
    run.say({"en": f"countdown {vt + 1.5:g} s ran {len(twice)}×, countdown {vt - 1.0:g} s ran {len(once)}×",
             "zh": f"countdown {vt + 1.5:g} 秒的运行了 {len(twice)} 次，countdown {vt - 1.0:g} 秒的运行了 {len(once)} 次"})
    if run.mode == "redis":
        run.expect(len(twice) == 2 and 1 in [r["redelivered"] for r in twice],
                   {"en": f"Redis: the countdown longer than visibility_timeout ({vt:g} s) ran twice",
                    "zh": f"Redis：比 visibility_timeout（{vt:g} 秒）更长的 countdown 执行了两次"})
    else:
        run.expect(len(twice) == 1, {"en": "RabbitMQ: no visibility timeout, the long countdown ran once",
                                     "zh": "RabbitMQ：没有 visibility timeout，长 countdown 只执行了一次"})
    run.expect(len(once) == 1, {"en": "the fix: a countdown below visibility_timeout ran once",
                                "zh": "解决办法：小于 visibility_timeout 的 countdown 只执行了一次"})


@scenario.step(
    title={"en": "Idempotency, the real fix: a redelivered payment is not paid twice",
           "zh": "幂等性才是真正的解决办法：重新投递的付款不会付两次"},
    explain={"en": "acks_late means 'at least once': a task can run again after it did its work but before "
                   "its ack. Both tasks write a payment, then the step kills their pool processes. pay adds a "
                   "row each run; pay_once keys the payment by order (a PRIMARY KEY; a Redis SET NX key does "
                   "the same), so its second run changes nothing.",
             "zh": "acks_late 意味着“至少一次”：任务可能在做完工作、还没确认时被再执行一次。两个任务都先写入一笔付款，"
                   "然后这一步杀掉它们的池进程。pay 每运行一次就加一行；pay_once 以订单号为键（PRIMARY KEY；"
                   "Redis 的 SET NX 键也一样），所以第二次运行什么也不改变。"},
    modes=BROKERS, unsupported=KILL,
)
def idempotency(run):
    log = runs_file(run, "pay")
    naive = tasks.pay.delay(log, "A-1001", 30)
    keyed = tasks.pay_once.delay(log, "A-1002", 30)
    running = [started(log, result) for result in (naive, keyed)]
    run.sleep(0.2)                                           # the payments are written; no ack is sent yet
    for where in running:
        kill_pool_process(worker_named(run, where["host"]), where["pid"])
    run.get(naive, timeout=LOST_S)
    run.get(keyed, timeout=LOST_S)
    ledger = [row["payment"] for row in runs_of(log, table="ledger")]
    paid = [row["payment"] for row in runs_of(log, table="paid")]
    counts = {"pay": len(runs_of(log, naive)), "pay_once": len(runs_of(log, keyed))}
    run.show(naive)
    run.show(keyed)
    run.say({"en": f"runs: {counts}; pay's ledger: {ledger}; pay_once's table: {paid}",
             "zh": f"运行次数：{counts}；pay 的账本：{ledger}；pay_once 的表：{paid}"})
    run.data.update(runs=counts, ledger=ledger, paid=paid)
    forget(log)
    run.expect(counts == {"pay": 2, "pay_once": 2}, {"en": "both tasks ran twice (killed once, redelivered)",
                                                     "zh": "两个任务都运行了两次（被杀一次，重新投递）"})
    run.expect(ledger == ["A-1001", "A-1001"], {"en": "pay paid order A-1001 twice",
                                                 "zh": "pay 给订单 A-1001 付了两次款"})
    run.expect(paid == ["A-1002"], {"en": "pay_once paid A-1002 once, despite the second run",
                                     "zh": "pay_once 尽管运行了两次，A-1002 只付了一次"})
