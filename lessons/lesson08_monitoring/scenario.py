"""What `python runner.py lesson 8` plays. Each step's body is shown to the learner as it runs."""
import signal
import time

import psutil

from classroom.player import dashboard
from classroom.player.scenario import Scenario
from classroom.runtime import cli
from classroom.runtime.tracking import tracker
from classroom.runtime.workers import WorkerSpec

from . import tasks

scenario = Scenario()
app = tasks.app
BROKER_ONLY = ("redis", "rabbitmq")

NEEDS_PROCESSES = {
    "en": "In memory mode the broker (memory://) lives inside the runner's own process, so no other "
          "program can reach it: not the celery command line, not Flower. See it: "
          "python runner.py lesson 8 --broker redis",
    "zh": "内存模式下，消息代理（memory://）就在 runner 自己的进程里，别的程序都连不上它："
          "celery 命令行不行，Flower 也不行。要看到这一步，请运行：python runner.py lesson 8 --broker redis",
}
NEEDS_PREFORK = {
    "en": "terminate=True stops the pool process that runs the task; the threads pool of memory mode has "
          "no process to stop (its terminate_job raises NotImplementedError), so the task runs on. "
          "See it stop mid-way on prefork: python runner.py lesson 8 --broker redis",
    "zh": "terminate=True 会结束正在执行该任务的池进程；内存模式用的 threads 池没有可以结束的进程"
          "（它的 terminate_job 会抛出 NotImplementedError），任务会照样跑下去。"
          "要在 prefork 池上看到任务中途被停下，请运行：python runner.py lesson 8 --broker redis",
}
NEEDS_OWN_PROCESS = {
    "en": "In memory mode both workers are threads of the runner: a shutdown command or a SIGQUIT would "
          "stop the lesson itself. See one worker stop while the other serves: "
          "python runner.py lesson 8 --broker redis",
    "zh": "内存模式下两个 worker 都是 runner 里的线程：shutdown 命令或 SIGQUIT 会把整个课程一起停掉。"
          "要看到一个 worker 停下而另一个继续工作，请运行：python runner.py lesson 8 --broker redis",
}


def messages_waiting(queue: str) -> int:
    """Messages ready in `queue` (a passive declare: it creates nothing). Redis deletes an empty list,
    so there "no such queue" (404) means 0 messages; on RabbitMQ the queue is really there."""
    from kombu.exceptions import ChannelError
    with app.connection_for_write() as conn:
        try:
            return conn.default_channel.queue_declare(queue, passive=True).message_count
        except ChannelError:
            return 0


def short(hostname: str) -> str:
    return hostname.split("@", 1)[0]


@scenario.step(
    title={"en": "inspect: who is there, and what does each worker hold?",
           "zh": "inspect：谁在线？每个 worker 手里有什么？"},
    explain={"en": "inspect broadcasts a question on the broker's control exchange and collects replies "
                   "until the timeout (or limit= replies). A worker holds three kinds of task: active "
                   "(running in a pool process), reserved (prefetched, waiting in the worker) and scheduled "
                   "(an ETA/countdown not due yet). None means nobody answered in time.",
             "zh": "inspect 在消息代理的控制交换机上广播一个问题，在超时前（或收到 limit= 个答复后）收集答复。"
                   "worker 手里的任务分三种：active（正在池进程里执行）、reserved（已预取，在 worker 里排队）、"
                   "scheduled（设了 ETA/countdown、时间未到）。返回 None 表示没有人按时答复。"},
)
def inspect_cluster(run):
    busy = [tasks.work.delay(1.0) for _ in range(4)]       # each worker: one running, one reserved
    later = tasks.add.apply_async((2, 2), countdown=1.5)   # held in a worker until it is due
    insp = app.control.inspect(destination=run.workers, timeout=1.0, limit=len(run.workers))
    run.wait_until(lambda: all((insp.active() or {}).get(w) for w in run.workers), 3.0)
    pong = insp.ping()
    active, reserved, scheduled = insp.active(), insp.reserved(), insp.scheduled()
    registered, stats, queues = insp.registered(), insp.stats(), insp.active_queues()
    nobody = app.control.inspect(destination=["nobody@nowhere"], timeout=0.3).ping()
    values = [run.get(r) for r in busy] + [run.get(later)]
    held = {short(w): {"active": len(active.get(w, [])), "reserved": len(reserved.get(w, [])),
                       "scheduled": len(scheduled.get(w, []))} for w in run.workers}
    due = [entry["request"]["id"] for entries in scheduled.values() for entry in entries]
    pools = {short(w): stats[w]["pool"] for w in run.workers}
    run.data.update(held=held, scheduled_ids=due, later=later.id, nobody=nobody, pong=sorted(pong),
                    registered=sorted(registered[run.workers[0]]), pools=pools,
                    prefetch={short(w): stats[w]["prefetch_count"] for w in run.workers},
                    queues={short(w): [q["name"] for q in queues[w]] for w in run.workers})
    for w in run.workers:
        run.say(f"{short(w)}: active {held[short(w)]['active']}, reserved {held[short(w)]['reserved']}, "
                f"scheduled {held[short(w)]['scheduled']}, prefetch_count {stats[w]['prefetch_count']}, "
                f"pool max-concurrency {pools[short(w)].get('max-concurrency')}, "
                f"queues {run.data['queues'][short(w)]}")
    run.say({"en": f"registered on {short(run.workers[0])}: " + ", ".join(t.rsplit('.', 1)[-1] for t in registered[run.workers[0]]),
             "zh": f"{short(run.workers[0])} 上注册的任务：" + "、".join(t.rsplit('.', 1)[-1] for t in registered[run.workers[0]])})
    run.expect(sorted(pong) == sorted(run.workers), {"en": "both workers answered ping",
                                                     "zh": "两个 worker 都答复了 ping"})
    running = {task["id"] for tasks_ in active.values() for task in tasks_}
    run.data["running"] = len(running)
    if run.mode == "memory":
        run.say({"en": "Memory mode: both workers are threads of one process and share Celery's worker state "
                       "(celery/worker/state.py), so each lists every task running in the process.",
                 "zh": "内存模式：两个 worker 是同一个进程里的线程，共用 Celery 的 worker 状态"
                       "（celery/worker/state.py），所以每个 worker 都会列出本进程里所有正在执行的任务。"})
        run.expect(len(running) == 2, {"en": "two tasks running, one per worker thread pool",
                                       "zh": "有两个任务在执行，每个 worker 的线程池各一个"})
    else:
        run.expect(all(h["active"] == 1 for h in held.values()) and len(running) == 2,
                   {"en": "one task active in each worker (one pool process each)",
                    "zh": "每个 worker 各有一个任务在执行（各有一个池进程）"})
    run.expect(sum(h["reserved"] for h in held.values()) >= 1,
               {"en": f"{sum(h['reserved'] for h in held.values())} task(s) reserved: prefetched, waiting in a worker",
                "zh": f"{sum(h['reserved'] for h in held.values())} 个任务处于 reserved：已预取，在 worker 里等待"})
    run.expect(later.id in due, {"en": "the countdown task is listed as scheduled, with its ETA",
                                 "zh": "countdown 任务出现在 scheduled 里，带着它的 ETA"})
    run.expect(nobody is None, {"en": "a destination nobody has: inspect returns None after its 0.3 s timeout",
                                "zh": "目标是不存在的 worker：inspect 在 0.3 秒超时后返回 None"})
    run.expect(values == [1.0] * 4 + [4], {"en": "then every task finished", "zh": "之后所有任务都完成了"})


@scenario.step(
    title={"en": "The same from the command line: celery inspect active",
           "zh": "用命令行做同样的事：celery inspect active"},
    explain={"en": "The CLI is a client like any other: it connects to the broker, broadcasts, and prints "
                   "the replies that arrive within --timeout (default 1 s). An empty reply prints "
                   "'Error: No nodes replied within time constraint' and exits 69.",
             "zh": "命令行也只是一个普通客户端：连接消息代理、广播、打印在 --timeout（默认 1 秒）内收到的答复。"
                   "没有答复时会打印 'Error: No nodes replied within time constraint'，退出码为 69。"},
    modes=BROKER_ONLY, unsupported=NEEDS_PROCESSES,
)
def inspect_cli(run):
    busy = tasks.work.delay(2.0)
    (code, output), (missing_code, missing) = cli.run_side_by_side(run.session, [
        ["inspect", "active", "--timeout", "1", "-d", ",".join(run.workers)],
        ["inspect", "ping", "--timeout", "0.3", "-d", "nobody@nowhere"]])
    run.get(busy)
    run.say(cli.shown(run.session, ["inspect", "active", "--timeout", "1"]))
    run.say("\n".join(line if len(line) < 72 else line[:70] + " …" for line in output.splitlines() if line.strip()))
    run.data.update(code=code, found=busy.id in output, missing_code=missing_code,
                    missing_says="No nodes replied" in missing)
    run.expect(code == 0 and busy.id in output,
               {"en": f"exit code 0, and the running task {busy.id[:8]}… is in the output",
                "zh": f"退出码 0，输出里有正在执行的任务 {busy.id[:8]}…"})
    run.expect(missing_code == 69 and "No nodes replied" in missing,
               {"en": "nobody there: 'No nodes replied within time constraint', exit code 69",
                "zh": "没有 worker：'No nodes replied within time constraint'，退出码 69"})


@scenario.step(
    title={"en": "add_consumer / cancel_consumer: a worker takes on a queue while it runs",
           "zh": "add_consumer / cancel_consumer：worker 在运行中接手一个队列"},
    explain={"en": "Messages wait in a queue that nobody consumes; they are not lost, nobody runs them. "
                   "add_consumer tells chosen workers to start consuming it now (no restart, not saved: a "
                   "restarted worker goes back to its -Q list); cancel_consumer stops it.",
             "zh": "没有人消费的队列里，消息只是在等待：不会丢失，也没人执行。add_consumer 让指定的 worker "
                   "立即开始消费它（无需重启，也不会保存：worker 重启后回到它的 -Q 列表）；cancel_consumer 则停止消费。"},
)
def consumers(run):
    w1, w2 = run.workers
    backlog = [tasks.report.delay(i) for i in range(5)]     # routed to "reports": nobody consumes it
    run.sleep(0.5)
    waiting = [r.state for r in backlog]
    added = app.control.add_consumer("reports", destination=[w2], reply=True, timeout=1.0)
    values = [run.get(r) for r in backlog]
    during = app.control.inspect(destination=[w2], timeout=1.0, limit=1).active_queues()
    cancelled = app.control.cancel_consumer("reports", destination=[w2], reply=True, timeout=1.0)
    after = {}
    run.wait_until(lambda: after.update(app.control.inspect(destination=[w2], timeout=1.0, limit=1).active_queues())
                   or "reports" not in [q["name"] for q in after[w2]], 2.0)
    ran_on = sorted({rec.hostname for rec in run.records(backlog)})
    run.timeline(backlog, {"en": "the backlog of 'reports', drained by worker2", "zh": "'reports' 的积压，由 worker2 处理"})
    run.say(f"add_consumer: {added}")
    run.say(f"cancel_consumer: {cancelled}")
    run.data.update(waiting=waiting, ran_on=ran_on, during=[q["name"] for q in during[w2]],
                    after=[q["name"] for q in after[w2]])
    run.expect(waiting == ["PENDING"] * 5, {"en": "0.5 s after sending, all 5 still PENDING: nobody consumes 'reports'",
                                            "zh": "发送 0.5 秒后，5 个任务都还是 PENDING：没有人消费 'reports'"})
    run.expect(values == [f"report {i}" for i in range(5)] and ran_on == [w2],
               {"en": "after add_consumer, worker2 ran all 5", "zh": "add_consumer 之后，worker2 执行了全部 5 个"})
    run.expect("reports" in run.data["during"] and "reports" not in run.data["after"],
               {"en": "active_queues showed 'reports' on worker2, and no longer after cancel_consumer",
                "zh": "active_queues 显示 worker2 消费 'reports'，cancel_consumer 之后就没有了"})


@scenario.step(
    title={"en": "rate_limit and pool_grow / pool_shrink at run time",
           "zh": "运行时修改：rate_limit 与 pool_grow / pool_shrink"},
    explain={"en": "Lesson 6 measured rate_limit; here it is a remote command like any other, and "
                   "inspect registered shows the new limit. pool_grow raises the pool's size at once, and "
                   "the new process starts at the pool's next upkeep (maintain_pool runs every 5 s: "
                   "celery/concurrency/asynpool.py); pool_shrink stops an idle process at once (billiard's "
                   "Pool.shrink terminates it). Not with "
                   "--autoscale. All of it lasts until the worker restarts.",
             "zh": "第 6 课测量过 rate_limit；这里它只是一条普通的远程命令，inspect registered 会显示新的限速。"
                   "pool_grow 立即调大池的容量，但新进程要等到池的下一次维护才启动：maintain_pool 每 5 秒运行一次"
                   "（celery/concurrency/asynpool.py）；pool_shrink 立即停掉一个空闲进程（billiard 的 Pool.shrink 会结束它）。"
                   "用了 --autoscale 时两者都不能用。这些改动都只在 worker 重启前有效。"},
)
def live_changes(run):
    w1 = run.workers[0]
    one = app.control.inspect(destination=[w1], timeout=1.0, limit=1)
    before = one.stats()[w1]["pool"].get("processes", [])
    grow = app.control.pool_grow(1, destination=[w1], reply=True, timeout=1.0)
    asked = time.monotonic()
    app.control.rate_limit(tasks.add.name, "2/s", destination=[w1], reply=True, timeout=1.0)
    limited = [name for name in one.registered()[w1] if name.startswith(tasks.add.name)]
    app.control.rate_limit(tasks.add.name, None, destination=[w1], reply=True, timeout=1.0)   # no limit again
    run.wait_until(lambda: len(one.stats()[w1]["pool"].get("processes", [])) == 2 or "error" in str(grow), 6.0,
                   interval=0.1)
    grown, grow_s = one.stats()[w1]["pool"].get("processes", []), time.monotonic() - asked
    shrink = app.control.pool_shrink(1, destination=[w1], reply=True, timeout=1.0)
    asked = time.monotonic()
    worker = run.session.workers[0]                           # its process, as `ps` shows it
    run.wait_until(lambda: "error" in str(shrink) or len(worker.children()) == 1, 3.0, interval=0.02)
    shrink_s = time.monotonic() - asked
    shrunk = [] if "error" in str(shrink) else worker.children()
    listed = one.stats()[w1]["pool"].get("processes", [])   # what stats says at that moment
    run.say(f"registered: {limited[0]}")
    run.say(f"pool_grow: {grow}")
    run.say(f"pool_shrink: {shrink}")
    sizes = [len(before), len(grown), len(shrunk)]
    run.data.update(limited=limited[0], processes=sizes, grow=grow, grow_s=round(grow_s, 2),
                    shrink_s=round(shrink_s, 2), listed_after_shrink=len(listed))
    run.say({"en": f"pool processes: {sizes[0]} → {sizes[1]} ({grow_s:.1f} s after pool_grow, in stats) → "
                   f"{sizes[2]} ({shrink_s:.2f} s after pool_shrink, in the process table; stats then listed "
                   f"{len(listed)})",
             "zh": f"池进程数：{sizes[0]} → {sizes[1]}（pool_grow 之后 {grow_s:.1f} 秒，见 stats）→ {sizes[2]}"
                   f"（pool_shrink 之后 {shrink_s:.2f} 秒，见进程表；此时 stats 列出 {len(listed)} 个）"})
    run.expect(limited[0].endswith("[rate_limit=2/s]"), {"en": "inspect registered shows add [rate_limit=2/s]",
                                                        "zh": "inspect registered 显示 add [rate_limit=2/s]"})
    if run.mode == "memory":
        run.expect("error" in str(grow), {"en": "the threads pool cannot grow: the reply is an error",
                                          "zh": "threads 池不能扩容：答复是一个错误"})
    else:
        run.expect(sizes == [1, 2, 1] and shrink_s < 1.0,
                   {"en": "pool_grow added a process at the pool's next upkeep; pool_shrink stopped it at once",
                    "zh": "pool_grow 在池的下一次维护时加了一个进程；pool_shrink 立刻把它停掉了"})


@scenario.step(
    title={"en": "revoke a task that has not started: it never runs",
           "zh": "撤销一个尚未开始的任务：它永远不会执行"},
    explain={"en": "revoke broadcasts the id; every worker adds it to its revoked set (in memory: lost on "
                   "restart unless the worker runs with --statedb). The message is still delivered, and the "
                   "worker discards it when it would run it: then, not at revoke time, the state becomes REVOKED.",
             "zh": "revoke 广播任务 id；每个 worker 都把它加入自己的撤销集合（在内存里：重启就没了，除非 worker "
                   "带 --statedb 运行）。消息照样会投递，worker 在本该执行它的时候丢弃它：那时状态才变成 "
                   "REVOKED，而不是在调用 revoke 的时候。"},
)
def revoke_queued(run):
    later = tasks.add.apply_async((1, 1), countdown=1.0)
    run.sleep(0.3)                                            # a worker holds it, waiting for its ETA
    later.revoke()
    right_after = later.state
    final = run.poll(later, until=lambda state, _info: state == "REVOKED", timeout=3.0)
    held = app.control.inspect(destination=run.workers, timeout=1.0, limit=len(run.workers)).revoked()
    lines = run.worker_log(f"Discarding revoked task: {tasks.add.name}[{later.id}]")
    run.show(later, {"en": "revoked", "zh": "已撤销"})
    run.say(lines[0].strip() if lines else "-")
    rec = tracker.tasks.get(later.id)
    run.data.update(right_after=right_after, final=final, started=bool(rec and rec.started),
                    held_by=sorted(w for w, ids in held.items() if later.id in ids), logged=bool(lines))
    run.expect(right_after == "PENDING" and final == "REVOKED",
               {"en": "PENDING right after revoke(), REVOKED once its ETA came",
                "zh": "刚调用 revoke() 时还是 PENDING，ETA 到了之后变成 REVOKED"})
    run.expect(not run.data["started"] and lines, {"en": "it never started; the worker logged 'Discarding revoked task'",
                                                   "zh": "它从未开始执行；worker 日志里有 'Discarding revoked task'"})
    run.expect(run.data["held_by"] == sorted(run.workers),
               {"en": "inspect revoked: both workers keep the id in memory",
                "zh": "inspect revoked：两个 worker 都在内存里记着这个 id"})


@scenario.step(
    title={"en": "revoke(terminate=True): stop a runaway task mid-way",
           "zh": "revoke(terminate=True)：在中途停下失控的任务"},
    explain={"en": "terminate=True also signals the pool process running the task (SIGTERM here; send SIGKILL "
                   "if the task ignores it). The pool replaces the process. It is a blunt tool: the task "
                   "gets no chance to clean up, and by the time the signal lands the process may be running "
                   "another task.",
             "zh": "terminate=True 还会给正在执行该任务的池进程发信号（这里是 SIGTERM；如果任务不理会，就改发 SIGKILL）。"
                   "池会补上一个新进程。这是个粗暴的工具：任务没有机会清理现场，而且信号送达时进程可能已经在跑别的任务了。"},
    modes=BROKER_ONLY, unsupported=NEEDS_PREFORK,
)
def revoke_running(run):
    runaway = tasks.runaway.delay(10)                         # would take 10 s
    seen = []
    run.poll(runaway, until=lambda state, info: state == "PROGRESS" and info["done"] >= 5,
             on_change=lambda state, info: seen.append(info))
    runaway.revoke(terminate=True, signal="SIGTERM")
    final = run.poll(runaway, until=lambda state, _info: state == "REVOKED", timeout=3.0)
    lines = run.worker_log(f"Terminating {runaway.id}")
    done = max(info["done"] for info in seen if isinstance(info, dict) and "done" in info)
    run.say(lines[0].strip() if lines else "-")
    run.data.update(final=final, done=done, of=200, logged=bool(lines))
    run.expect(final == "REVOKED", {"en": "state REVOKED", "zh": "状态是 REVOKED"})
    run.expect(done < 100, {"en": f"it stopped at step {done} of 200", "zh": f"它停在第 {done} 步（共 200 步）"})


@scenario.step(
    title={"en": "Events: a live dashboard of the cluster",
           "zh": "事件：集群的实时面板"},
    explain={"en": "Workers started with -E send an event for each task state change; app.events.Receiver "
                   "reads them and app.events.State() folds them into workers and tasks. That is all Flower "
                   "and `celery events` do. Try: python runner.py top, celery -A ... events, or "
                   "celery -A ... events --dump for the raw stream.",
             "zh": "带 -E 启动的 worker 在任务状态每次变化时发出一个事件；app.events.Receiver 读取它们，"
                   "app.events.State() 把它们汇总成 worker 和任务。Flower 和 `celery events` 做的也就是这些。"
                   "试试：python runner.py top、celery -A ... events，或用 celery -A ... events --dump 看原始事件流。"},
)
def events_dashboard(run):
    monitor = dashboard.Monitor(app, accept=lambda hostname: hostname in run.workers)
    monitor.start()
    with dashboard.live(monitor) as view:
        burst = [tasks.add.delay(i, i) for i in range(60)] + [tasks.work.delay(0.2) for _ in range(4)]
        values = [run.get(r) for r in burst]
        run.wait_until(lambda: monitor.snapshot()["states"].get("SUCCESS", 0) >= len(burst), 2.0)
        snap = view.finish()
    monitor.stop()
    run.render(dashboard.render(snap))
    run.data.update(states=snap["states"], workers=snap["workers"], lag_max_s=round(snap["lag_max_s"], 3),
                    events=snap["events"])
    run.expect(values[:60] == [2 * i for i in range(60)], {"en": "the burst of 64 finished", "zh": "这批 64 个任务都完成了"})
    run.expect(snap["states"].get("SUCCESS", 0) == len(burst),
               {"en": f"the dashboard counted {snap['states'].get('SUCCESS', 0)} SUCCESS from events alone",
                "zh": f"面板仅凭事件就数出了 {snap['states'].get('SUCCESS', 0)} 个 SUCCESS"})
    run.expect(sum(w["processed"] for w in snap["workers"].values()) == len(burst),
               {"en": "processed per worker adds up to the burst", "zh": "各 worker 处理数之和等于这批任务数"})
    run.expect(snap["lag_max_s"] < 1.0, {"en": f"the dashboard was at most {snap['lag_max_s']:.2f} s behind the workers",
                                         "zh": f"面板最多落后 worker {snap['lag_max_s']:.2f} 秒"})


@scenario.step(
    title={"en": "Flower: the same events, over HTTP, behind a password",
           "zh": "Flower：同样的事件，走 HTTP，并且要密码"},
    explain={"en": "The runner started `celery -A ... flower --address=127.0.0.1 --basic-auth=...` beside "
                   "the workers. Its pages and its API (/api/workers, /api/tasks, /api/task/info/<id>) read "
                   "the event stream; without the credentials every request gets 401.",
             "zh": "runner 在 worker 旁边启动了 `celery -A ... flower --address=127.0.0.1 --basic-auth=...`。"
                   "它的页面和 API（/api/workers、/api/tasks、/api/task/info/<id>）读取的都是事件流；"
                   "不带账号密码的请求一律得到 401。"},
    modes=BROKER_ONLY, unsupported=NEEDS_PROCESSES,
)
def flower_api(run):
    flower = run.session.services["flower"]
    sent = [tasks.add.delay(i, 100) for i in range(3)]
    [run.get(r) for r in sent]
    run.wait_until(lambda: all(r.id in flower.api("GET", "/api/tasks")[1] for r in sent), 5.0)
    status, info = flower.api("GET", f"/api/task/info/{sent[0].id}")
    _, workers = flower.api("GET", "/api/workers?refresh=1")
    anonymous, _ = flower.api("GET", "/api/workers", auth=False)
    run.say({"en": f"{flower.url}  user {flower.user}  password {flower.password}",
             "zh": f"{flower.url}  用户名 {flower.user}  密码 {flower.password}"})
    run.say(f"GET /api/task/info/{sent[0].id[:8]}… → {status} state={info.get('state')} worker={info.get('worker')}")
    run.data.update(url=flower.url, info_state=info.get("state"), info_worker=info.get("worker"),
                    workers=sorted(w for w in workers if w in run.workers), anonymous=anonymous,
                    task_ids=[r.id for r in sent])
    run.expect(status == 200 and info.get("state") == "SUCCESS" and info.get("worker") in run.workers,
               {"en": "task info: SUCCESS, and the worker that ran it", "zh": "任务详情：SUCCESS，以及执行它的 worker"})
    run.expect(run.data["workers"] == sorted(run.workers), {"en": "/api/workers lists both workers",
                                                            "zh": "/api/workers 列出了两个 worker"})
    run.expect(anonymous == 401, {"en": "without the password: 401", "zh": "不带密码：401"})


@scenario.step(
    title={"en": "Flower steers too: revoke and rate limit through its API",
           "zh": "Flower 也能控制集群：通过它的 API 撤销任务、修改限速"},
    explain={"en": "POST /api/task/revoke/<id> and POST /api/task/rate-limit/<name> are the same remote "
                   "control commands sent by Flower's process. Whoever can reach Flower can steer the "
                   "workers: that is why it listens on 127.0.0.1 with a password here.",
             "zh": "POST /api/task/revoke/<id> 和 POST /api/task/rate-limit/<name> 就是同样的远程控制命令，"
                   "只不过由 Flower 进程发出。能访问 Flower 的人就能控制 worker：所以这里它只监听 127.0.0.1，并且要密码。"},
    modes=BROKER_ONLY, unsupported=NEEDS_PROCESSES,
)
def flower_control(run):
    flower = run.session.services["flower"]
    w1 = run.workers[0]
    later = tasks.add.apply_async((3, 3), countdown=1.0)
    revoked, _ = flower.api("POST", f"/api/task/revoke/{later.id}", form={})
    limited, body = flower.api("POST", f"/api/task/rate-limit/{tasks.add.name}", form={"workername": w1, "ratelimit": "3/s"})
    listed = [name for name in app.control.inspect(destination=[w1], timeout=1.0, limit=1).registered()[w1]
              if name.startswith(tasks.add.name)]
    app.control.rate_limit(tasks.add.name, None, destination=[w1], reply=True, timeout=1.0)
    final = run.poll(later, until=lambda state, _info: state == "REVOKED", timeout=3.0)
    run.say(f"POST /api/task/revoke → {revoked};  POST /api/task/rate-limit → {limited} {body}")
    run.say(f"registered: {listed[0]}")
    run.data.update(revoked=revoked, limited=limited, listed=listed[0], final=final)
    run.expect(revoked == 200 and final == "REVOKED", {"en": "revoked through Flower: REVOKED, never ran",
                                                       "zh": "通过 Flower 撤销：REVOKED，从未执行"})
    run.expect(limited == 200 and listed[0].endswith("[rate_limit=3/s]"),
               {"en": "rate limit through Flower: worker1 reports add [rate_limit=3/s]",
                "zh": "通过 Flower 设置限速：worker1 报告 add [rate_limit=3/s]"})


@scenario.step(
    title={"en": "Who can steer your workers?",
           "zh": "谁能控制你的 worker？"},
    explain={"en": "Remote control has no authentication of its own: any client that can write to the broker "
                   "(this vhost, this Redis database) can inspect, revoke and shut down every worker. Protect "
                   "the broker (password, network, TLS); keep Flower on loopback or behind auth; accept only "
                   "JSON, so that a message cannot carry code (pickle).",
             "zh": "远程控制本身没有任何认证：任何能往消息代理（这个 vhost、这个 Redis 库）写消息的客户端，"
                   "都能 inspect、撤销任务、关闭每一个 worker。保护好消息代理（密码、网络、TLS）；让 Flower "
                   "只监听回环地址，或者放在认证后面；只接受 JSON，这样消息里就无法夹带代码（pickle）。"},
)
def who_can_steer(run):
    everyone = sorted(name for reply in app.control.ping(timeout=0.5) for name in reply)
    accepted = sorted(app.conf.accept_content)
    flower = run.session.services.get("flower")
    listening = []
    if flower is not None:
        listening = sorted({f"{c.laddr.ip}:{c.laddr.port}" for c in psutil.Process(flower.process.pid).net_connections()
                            if c.status == psutil.CONN_LISTEN})
    run.say({"en": f"a ping with no destination was answered by {len(everyone)} worker(s): {', '.join(map(short, everyone))}",
             "zh": f"不指定目标的 ping 得到了 {len(everyone)} 个 worker 的答复：{'、'.join(map(short, everyone))}"})
    run.say({"en": f"accept_content = {accepted}" + (f";  Flower listens on {', '.join(listening)}" if listening else ""),
             "zh": f"accept_content = {accepted}" + (f"；Flower 监听在 {'、'.join(listening)}" if listening else "")})
    run.data.update(everyone=everyone, accepted=accepted, listening=listening)
    run.expect(set(run.workers) <= set(everyone), {"en": "a broadcast reaches every worker on the broker",
                                                   "zh": "广播会到达消息代理上的每一个 worker"})
    run.expect(accepted == ["json"], {"en": "the workers accept JSON only", "zh": "worker 只接受 JSON"})
    if flower is not None:
        run.expect(listening and all(addr.startswith("127.0.0.1:") for addr in listening),
                   {"en": "Flower listens on 127.0.0.1 only", "zh": "Flower 只监听 127.0.0.1"})


@scenario.step(
    title={"en": "Stopping one worker: warm shutdown, then cold",
           "zh": "停下一个 worker：先热关闭，再冷关闭"},
    explain={"en": "control.shutdown (like SIGTERM or one Ctrl+C) is a warm shutdown: the worker stops taking "
                   "messages, finishes what it runs, then exits; the other worker keeps serving. SIGQUIT (or a "
                   "second Ctrl+C) is cold: it stops now. Celery 5.5+ cancels the running task and stores RETRY "
                   "('cancelled by Celery'), but under the default early ack its message was acknowledged when it "
                   "started: nothing brings it back (lesson 9 shows acks_late).",
             "zh": "control.shutdown（和 SIGTERM、按一次 Ctrl+C 一样）是热关闭：worker 不再接收消息，做完手上的任务"
                   "再退出；另一个 worker 继续服务。SIGQUIT（或第二次 Ctrl+C）是冷关闭：立即停下。Celery 5.5 及以后会取消"
                   "正在执行的任务，并把状态记为 RETRY（'cancelled by Celery'）；但在默认的提前确认（early ack）下，"
                   "它的消息在任务开始时就已经确认了：没有任何机制会让它重新执行（第 9 课讲 acks_late）。"},
    modes=BROKER_ONLY, unsupported=NEEDS_OWN_PROCESS,
)
def shutdown(run):
    finishing = tasks.work.delay(0.8)
    run.wait_until(lambda: finishing.state == "STARTED" and tracker.tasks[finishing.id].hostname, 3.0)
    leaving = next(w for w in run.session.workers if w.hostname == tracker.tasks[finishing.id].hostname)
    other = next(w for w in run.session.workers if w is not leaving)
    run.allow_exit(leaving)
    app.control.shutdown(destination=[leaving.hostname])      # warm: finish, then exit
    meanwhile = [tasks.add.delay(i, 1) for i in range(3)]
    warm = run.get(finishing)
    stopped = run.wait_until(lambda: not leaving.alive(), 5.0)
    served = [run.get(r) for r in meanwhile]
    cold = run.session.start_worker(WorkerSpec(name="worker3", queues=("cold",), concurrency=1))
    run.allow_exit(cold)
    dropped = tasks.work.apply_async((3.0,), queue="cold")
    run.wait_until(lambda: dropped.state == "STARTED", 3.0)
    cold.kill(signal.SIGQUIT)                                 # cold shutdown: now
    began = time.monotonic()
    gone = run.wait_until(lambda: not cold.alive(), 2.0)
    exit_s = time.monotonic() - began
    left = messages_waiting("cold")
    hosts = sorted({rec.hostname for rec in run.records(meanwhile)})
    run.say({"en": f"{short(leaving.hostname)} finished its task ({warm}) and exited with code {leaving.proc.returncode}; "
                   f"the 3 tasks sent meanwhile ran on {', '.join(map(short, hosts))}",
             "zh": f"{short(leaving.hostname)} 做完了手上的任务（{warm}），以退出码 {leaving.proc.returncode} 退出；"
                   f"期间发送的 3 个任务由 {'、'.join(map(short, hosts))} 执行"})
    run.data.update(warm=warm, stopped=stopped, served=served, hosts=hosts, other=other.hostname,
                    cold_gone=gone, cold_exit_s=round(exit_s, 2), dropped_state=dropped.state,
                    left=left)
    run.expect(warm == 0.8 and stopped, {"en": "warm: the running task finished, then the worker exited",
                                         "zh": "热关闭：正在执行的任务完成了，然后 worker 才退出"})
    run.expect(served == [1, 2, 3] and hosts == [other.hostname],
               {"en": "the other worker served the tasks sent meanwhile", "zh": "期间发送的任务由另一个 worker 执行"})
    run.expect(gone and exit_s < 2.5, {"en": f"cold (SIGQUIT): the worker exited {exit_s:.2f} s later, without finishing its 3 s task",
                                       "zh": f"冷关闭（SIGQUIT）：worker 在 {exit_s:.2f} 秒后就退出了，没有做完那个 3 秒的任务"})
    run.expect(dropped.state == "RETRY" and left == 0,
               {"en": f"its task says RETRY, yet its queue holds {left} messages: nothing will run it again",
                "zh": f"它的任务显示 RETRY，可它的队列里只剩 {left} 条消息：再也不会有人执行它"})
