"""What `python runner.py lesson 11` plays. Each step's body is shown to the learner as it runs."""
from __future__ import annotations

import os
import time
from collections import Counter

from classroom.player.scenario import Scenario
from classroom.runtime import waits
from classroom.runtime.proctable import pid_alive
from classroom.runtime.tracking import tracker
from classroom.runtime.workers import WorkerSpec

from . import tasks

scenario = Scenario()
PROCESSES = ("redis", "rabbitmq")


def needs(what: dict, command: str) -> dict:
    """A skip reason for memory mode (one process, a threads worker) naming the command that shows it."""
    return {"en": f"{what['en']} Memory mode has one process and a threads worker. See it: {command}",
            "zh": f"{what['zh']}内存模式只有一个进程和一个 threads worker。要看到它，请运行：{command}"}


SHOW = "python runner.py lesson 11 --broker redis"


def burst(task, count: int, queue: str, *args) -> list:
    """`count` copies of one task, sent at once to one queue."""
    return [task.apply_async(args, queue=queue) for _ in range(count)]


def records(run, results) -> list:
    """The workers' events for these tasks (who ran each, when it started and ended)."""
    return [rec for rec in run.records(results, 2.0) if rec and rec.started]


def per_worker(recs) -> dict[str, int]:
    return dict(sorted(Counter(rec.hostname.split("@")[0] for rec in recs).items()))


def ended(results) -> list:
    """The ones a worker has reported finished (task-succeeded events), so far."""
    with tracker.lock:
        return [r for r in results if r.id in tracker.tasks and tracker.tasks[r.id].ended]


def short(hostname: str) -> str:
    return hostname.split("@")[0]


@scenario.step(
    title={"en": "Three workers share one queue: each takes the next task when it is free",
           "zh": "三个 worker 共享一个队列：谁空闲，谁就取下一个任务"},
    explain={"en": "A queue is a list in the broker; every worker that consumes it takes the next message "
                   "when it has a free process (prefetch multiplier 1: one running and one reserved each). "
                   "Nobody assigns the work: faster or freer workers simply take more.",
             "zh": "队列是消息代理里的一个列表；每个消费它的 worker 在有空闲进程时取下一条消息"
                   "（预取倍数为 1：每个 worker 一个在运行、一个已预留）。没有谁分配工作："
                   "更快、更空闲的 worker 自然就多拿。"},
)
def shared_queue(run):
    results = burst(tasks.io_bound, 12, "scale-out", 0.1)    # 12 tasks of 0.1 s, one queue
    [run.get(r) for r in results]
    recs = records(run, results)
    counts = per_worker(recs)
    span = max(r.ended for r in recs) - min(r.sent for r in recs)
    run.timeline(results, {"en": "12 tasks, 3 workers, 1 process each", "zh": "12 个任务，3 个 worker，各 1 个进程"})
    run.say({"en": f"tasks per worker: {counts}; all 12 in {span:.2f} s (one worker: ≥ 1.2 s)",
             "zh": f"各 worker 的任务数：{counts}；12 个共用 {span:.2f} 秒（一个 worker 至少 1.2 秒）"})
    run.data.update(per_worker=counts, span_s=round(span, 3), count=len(recs))
    run.expect(len(recs) == 12 and sorted(counts) == ["worker1", "worker2", "worker3"],
               {"en": "all three workers ran part of the burst", "zh": "三个 worker 都执行了一部分任务"})
    run.expect(span < 1.0, {"en": f"together in {span:.2f} s, faster than one worker could (1.2 s)",
                            "zh": f"合起来用了 {span:.2f} 秒，比一个 worker 可能的最快速度（1.2 秒）还快"})


@scenario.step(
    title={"en": "A fourth worker joins in the middle of a burst: the backlog drains faster",
           "zh": "突发进行到一半时加入第四个 worker：积压消化得更快"},
    explain={"en": "Scaling out is starting another worker on the same queue, on this machine or any other "
                   "that reaches the broker: no restart, no configuration change. It takes a share as soon "
                   "as it consumes. The rate is measured from the workers' events, before and after it joined.",
             "zh": "横向扩展就是在同一个队列上再启动一个 worker，在本机或任何能连到消息代理的机器上都行："
                   "不用重启，不用改配置。它一开始消费就分走一份工作。速率根据 worker 的事件测得，"
                   "分加入前和加入后两段。"},
)
def add_a_worker(run):
    results = burst(tasks.io_bound, 90, "scale-out", 0.1)    # 3 workers need about 3 s for these
    waits.wait_until(lambda: len(ended(results)) >= 12, 3.0, 0.02)       # the burst is under way
    began = time.time()
    fourth = run.session.start_worker(WorkerSpec(name="worker4", queues=("scale-out",), concurrency=1))
    joined = time.time()
    [run.get(r, timeout=10) for r in results]
    recs = records(run, results)
    before = [r for r in recs if r.ended <= joined]
    after = [r for r in recs if r.started >= joined]
    rate_before = len(before) / max(joined - min(r.started for r in recs), 1e-3)
    rate_after = len(after) / max(max(r.ended for r in recs) - joined, 1e-3)
    counts = per_worker(recs)
    run.timeline(results, {"en": "worker4 joins mid-burst", "zh": "worker4 在突发中途加入"})
    run.say({"en": f"worker4 booted and answered a ping in {joined - began:.2f} s; tasks per worker: {counts}",
             "zh": f"worker4 启动并回应 ping 用了 {joined - began:.2f} 秒；各 worker 的任务数：{counts}"})
    run.say({"en": f"drain rate: {rate_before:.1f} tasks/s with 3 workers, {rate_after:.1f} tasks/s with 4",
             "zh": f"消化速率：3 个 worker 时每秒 {rate_before:.1f} 个，4 个时每秒 {rate_after:.1f} 个"})
    run.data.update(per_worker=counts, boot_s=round(joined - began, 3), rate_before=round(rate_before, 2),
                    rate_after=round(rate_after, 2), worker4=fourth.hostname, count=len(recs))
    run.expect(len(recs) == 90 and counts.get("worker4", 0) >= 5,
               {"en": f"worker4 took {counts.get('worker4', 0)} of the 90 tasks", "zh": f"worker4 拿走了 90 个任务中的 {counts.get('worker4', 0)} 个"})
    run.expect(rate_after > 1.15 * rate_before,
               {"en": f"the backlog drained {rate_after / rate_before:.2f}× as fast with 4 (≈ 4/3 expected)",
                "zh": f"4 个 worker 时积压的消化速度是原来的 {rate_after / rate_before:.2f} 倍（预期约 4/3）"})


@scenario.step(
    title={"en": "One worker stopped warm mid-burst: nothing is lost",
           "zh": "突发进行中热关闭一个 worker：一个任务都不丢"},
    explain={"en": "SIGTERM (Ctrl+C once) starts a warm shutdown: the worker stops taking messages, finishes "
                   "the task it runs, and gives back the one it had reserved but not started: it was never "
                   "acknowledged, so the broker hands it to another worker. Only kill -9 can lose a started task.",
             "zh": "SIGTERM（按一次 Ctrl+C）触发热关闭：worker 不再取消息，把正在运行的任务做完，"
                   "并交还已预留但尚未开始的那个：它从未被确认，所以消息代理会把它交给别的 worker。"
                   "只有 kill -9 才可能丢掉已经开始的任务。"},
    modes=PROCESSES, unsupported=needs({"en": "Stopping one worker needs worker processes.",
                                        "zh": "单独停止一个 worker 需要 worker 进程。"}, SHOW),
)
def warm_stop(run):
    results = burst(tasks.io_bound, 16, "scale-out", 0.3)    # 4 workers, 4 rounds of 0.3 s
    worker2 = next(w for w in run.session.workers if w.hostname.startswith("worker2@"))
    waits.wait_until(lambda: getattr(tracker.tasks.get(results[0].id), "started", None), 2.0, 0.02)
    held = waits.inspect(run.app, "reserved", destination=[worker2.hostname]).get(worker2.hostname, [])
    worker2.expected_exit = True                            # the runner must not report it as a crash
    stop_began = time.time()
    worker2.stop()                                          # SIGTERM: warm shutdown
    stop_took = time.time() - stop_began
    values = [run.get(r) for r in results]
    recs = records(run, results)
    held_ids = [task["id"] for task in held]
    rerun_by = {i[:8]: short(tracker.tasks[i].hostname) for i in held_ids if i in tracker.tasks}
    run.timeline(results, {"en": "worker2 stopped warm", "zh": "worker2 被热关闭"})
    run.say({"en": f"worker2 held {len(held_ids)} reserved task(s) {list(rerun_by)}; after the stop they ran on "
                   f"{sorted(set(rerun_by.values()))}; the stop took {stop_took:.2f} s",
             "zh": f"worker2 预留了 {len(held_ids)} 个任务 {list(rerun_by)}；停止后它们在 "
                   f"{sorted(set(rerun_by.values()))} 上执行；停止用了 {stop_took:.2f} 秒"})
    run.data.update(per_worker=per_worker(recs), held=len(held_ids), rerun_by=sorted(set(rerun_by.values())),
                    stop_s=round(stop_took, 3), states=sorted({r.state for r in results}), alive=worker2.alive())
    run.expect(len(values) == 16 and {r.state for r in results} == {"SUCCESS"} and len(recs) == 16,
               {"en": "all 16 tasks succeeded, each run once", "zh": "16 个任务全部成功，每个只执行一次"})
    run.expect(not worker2.alive() and per_worker(recs).get("worker2", 0) >= 1,
               {"en": "worker2 finished the task it was running, then exited", "zh": "worker2 做完了手上的任务，然后退出"})
    run.expect(held_ids and "worker2" not in rerun_by.values(),
               {"en": "the task worker2 had reserved ran on another worker", "zh": "worker2 预留的任务由另一个 worker 执行了"})


def pool_info(run, name: str) -> dict:
    """`celery inspect stats` for one worker: its pool processes and the autoscaler's view."""
    host = next(h for h in run.session.hostnames if h.startswith(f"{name}@"))
    stats = waits.inspect(run.app, "stats", destination=[host]).get(host, {})
    pool = stats.get("pool", {})
    return {"processes": len(pool.get("processes", [])), "max": pool.get("max-concurrency"),
            "autoscaler": stats.get("autoscaler", {}), "t": time.time()}


@scenario.step(
    title={"en": "--autoscale=4,1: the pool grows under a burst and shrinks after it",
           "zh": "--autoscale=4,1：执行池在突发时扩大，之后收缩"},
    explain={"en": "The autoscaler compares the tasks the worker holds (prefetch is sized for the maximum, 4) "
                   "with its processes: it forks more at once, and removes idle ones when no task has arrived "
                   "for AUTOSCALE_KEEPALIVE seconds (default 30, set to 1 here; it is also how often it checks). "
                   "Not scalable: the keepalive cannot be 0, and a busy process is never removed.",
             "zh": "自动伸缩器比较 worker 手里的任务数（预取按最大值 4 计算）和进程数：不够就立刻 fork 新进程；"
                   "连续 AUTOSCALE_KEEPALIVE 秒没有新任务到达时，就移除空闲的进程（默认 30 秒，这里设为 1；"
                   "它也是检查的间隔）。无法缩短的：keepalive 不能为 0，忙碌的进程永远不会被移除。"},
    modes=PROCESSES, unsupported=needs({"en": "Autoscaling grows and shrinks a prefork pool.",
                                        "zh": "自动伸缩扩大和收缩的是 prefork 执行池。"}, SHOW),
)
def autoscale(run):
    idle = pool_info(run, "elastic")                          # celery inspect stats -d elastic@...
    results = burst(tasks.io_bound, 8, "autoscale", 0.3)
    seen = [idle]
    waits.wait_until(lambda: (seen.append(pool_info(run, "elastic")), seen[-1]["processes"] >= 4)[1], 3.0, 0.05)
    [run.get(r) for r in results]
    waits.wait_until(lambda: (seen.append(pool_info(run, "elastic")), seen[-1]["processes"] <= 1)[1], 10.0, 0.2)
    recs = records(run, results)
    pids = sorted({r.result for r in results})
    grown = next((s for s in seen if s["processes"] >= 4), None)
    shrunk = seen[-1] if seen[-1]["processes"] <= 1 and grown else None
    sizes = [s["processes"] for s in seen]
    run.timeline(results, {"en": "8 tasks of 0.3 s on --autoscale=4,1", "zh": "--autoscale=4,1 上的 8 个 0.3 秒任务"})
    run.say({"en": f"idle: {idle['processes']} process, autoscaler {idle['autoscaler']}",
             "zh": f"空闲时：{idle['processes']} 个进程，自动伸缩器 {idle['autoscaler']}"})
    run.say({"en": f"pool size seen by inspect stats: {' → '.join(str(n) for n, _ in _runs(sizes))}; "
                   f"{len(pids)} different pids ran the burst",
             "zh": f"inspect stats 看到的执行池大小：{' → '.join(str(n) for n, _ in _runs(sizes))}；"
                   f"执行这批任务的 pid 有 {len(pids)} 个"})
    grow_s = grown["t"] - min(r.sent for r in recs) if grown else None
    arrived = max(r.received or r.started for r in recs)    # the keepalive counts from the last task message
    shrink_s = shrunk["t"] - arrived if shrunk else None
    if grown and shrunk:
        run.say({"en": f"4 processes {grow_s:.2f} s after the burst was sent; back to 1 {shrink_s:.2f} s after the last task arrived",
                 "zh": f"突发发出 {grow_s:.2f} 秒后有 4 个进程；最后一个任务到达 {shrink_s:.2f} 秒后回到 1 个"})
    run.data.update(sizes=sizes, idle=idle, pids=len(pids), grow_s=grow_s and round(grow_s, 3),
                    shrink_s=shrink_s and round(shrink_s, 3), keepalive=1.0)
    run.expect(idle["processes"] == 1 and idle["autoscaler"].get("max") == 4 and grown is not None,
               {"en": "1 process when idle, 4 under the burst", "zh": "空闲时 1 个进程，突发时 4 个"})
    run.expect(shrunk is not None and 0.9 <= shrink_s < 10.0,
               {"en": "back to 1 process at a check (every keepalive, 1 s) at least 1 s after the last task arrived",
                "zh": "最后一个任务到达至少 1 秒后，在某次检查（每个 keepalive，1 秒）时回到 1 个进程"})


def _runs(values: list) -> list:
    """[1, 1, 4, 4, 1] -> [(1, 2), (4, 2), (1, 1)]: the distinct sizes in order."""
    out: list = []
    for v in values:
        if out and out[-1][0] == v:
            out[-1] = (v, out[-1][1] + 1)
        else:
            out.append((v, 1))
    return out


POOLS = ("prefork", "threads", "solo", "gevent")


def wall(results) -> float:
    """From the first send to the last task's end, as the worker's events say."""
    recs = [tracker.tasks[r.id] for r in results]
    return max(rec.ended for rec in recs) - min(rec.sent for rec in recs)


@scenario.step(
    title={"en": "Pools for the job: the same bursts on prefork -c 2, threads -c 8, solo and gevent -c 8",
           "zh": "按任务选执行池：同样的突发分别交给 prefork -c 2、threads -c 8、solo 和 gevent -c 8"},
    explain={"en": "I/O-bound tasks wait: threads and greenlets (gevent) wait side by side, 8 at once, in one "
                   "process. CPU-bound tasks compute: in one process only one thread runs Python at a time "
                   "(the GIL), so 8 threads are no faster than solo; prefork's processes use one core each.",
             "zh": "I/O 密集的任务在等待：threads 和 gevent 的协程可以在一个进程里同时等待，一次 8 个。"
                   "CPU 密集的任务在计算：一个进程里同一时刻只有一个线程能执行 Python（GIL），"
                   "所以 8 个线程并不比 solo 快；prefork 的每个进程各用一个核。"},
    modes=PROCESSES, unsupported=needs({"en": "Comparing pools needs a worker process per pool.",
                                        "zh": "比较执行池需要每种池各一个 worker 进程。"}, SHOW),
)
def pools(run):
    io = {pool: burst(tasks.io_bound, 8, f"pool-{pool}", 0.1) for pool in POOLS}   # 8 × 0.1 s, all at once
    [run.get(r) for results in io.values() for r in results]
    cpu = {}
    for pool in POOLS:                                      # one pool at a time: they would share the cores
        cpu[pool] = burst(tasks.cpu_bound, 4, f"pool-{pool}")
        [run.get(r) for r in cpu[pool]]
    run.records([r for rs in list(io.values()) + list(cpu.values()) for r in rs], 2.0)
    table = {}
    for pool in POOLS:
        used = [r.result for r in cpu[pool]]
        table[pool] = {"io_s": round(wall(io[pool]), 3), "cpu_s": round(wall(cpu[pool]), 3),
                       "task_cpu_s": round(sum(u["cpu_s"] for u in used) / 4, 3),
                       "task_wall_s": round(sum(u["wall_s"] for u in used) / 4, 3)}
    run.timeline(cpu["prefork"] + cpu["threads"], {"en": "4 CPU-bound tasks: prefork -c 2, then threads -c 8",
                                                   "zh": "4 个 CPU 密集任务：先 prefork -c 2，再 threads -c 8"})
    for row in table.values():                              # CPU seconds used per second of wall time
        row["cores_used"] = round(4 * row["task_cpu_s"] / row["cpu_s"], 2)
    run.say({"en": "pool      8 × sleep 0.1 s  4 × compute  cores used  one task: CPU / wall",
             "zh": "执行池    8 × sleep 0.1 秒 4 × 计算     用了几个核  单个任务：CPU / 墙钟"})
    for pool, row in table.items():
        run.say(f"{pool:9} {row['io_s']:9.2f} s {row['cpu_s']:9.2f} s {row['cores_used']:8.2f}    "
                f"{row['task_cpu_s']:.2f} s / {row['task_wall_s']:.2f} s")
    threads, prefork, solo = table["threads"], table["prefork"], table["solo"]
    run.data.update(table=table, cores=os.cpu_count())
    run.expect(threads["io_s"] < 0.5 * prefork["io_s"] and solo["io_s"] >= 0.75,
               {"en": f"waiting: threads -c 8 {threads['io_s']:.2f} s (8 at once), prefork -c 2 {prefork['io_s']:.2f} s "
                      f"(2 at once), solo {solo['io_s']:.2f} s (one at a time)",
                "zh": f"等待型：threads -c 8 {threads['io_s']:.2f} 秒（一次 8 个），prefork -c 2 {prefork['io_s']:.2f} 秒"
                      f"（一次 2 个），solo {solo['io_s']:.2f} 秒（一次一个）"})
    gevent = table["gevent"]["io_s"]
    if run.mode == "redis":
        run.expect(gevent < 0.5 * prefork["io_s"], {"en": f"gevent -c 8 waited side by side too: {gevent:.2f} s",
                                                    "zh": f"gevent -c 8 也是并排等待：{gevent:.2f} 秒"})
    else:                                  # measured on py-amqp: one message per finished task (see the notes)
        run.expect(gevent >= 0.6, {"en": f"gevent -c 8 on RabbitMQ (py-amqp): {gevent:.2f} s, the 8 waits one after another",
                                   "zh": f"RabbitMQ（py-amqp）上的 gevent -c 8：{gevent:.2f} 秒，8 次等待一个接一个"})
    run.expect(threads["cores_used"] <= 1.15 and table["gevent"]["cores_used"] <= 1.15,
               {"en": f"computing: 8 threads used {threads['cores_used']:.2f} cores, gevent "
                      f"{table['gevent']['cores_used']:.2f}: the GIL lets one thread of a process run Python at a time",
                "zh": f"计算型：8 个线程只用了 {threads['cores_used']:.2f} 个核，gevent 用了 "
                      f"{table['gevent']['cores_used']:.2f} 个：GIL 让一个进程里同一时刻只有一个线程执行 Python"})
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0      # other programs using the cores
    free = (os.cpu_count() or 1) - load
    run.data.update(load=round(load, 2), parallel_checked=free >= 1.5)
    if free < 1.5:
        run.say({"en": f"load average {load:.1f} on {os.cpu_count()} cores: no two free cores, so prefork's speed-up is not checked",
                 "zh": f"{os.cpu_count()} 个核上的平均负载是 {load:.1f}：没有两个空闲的核，所以不检查 prefork 的加速"})
    else:
        run.expect(prefork["cpu_s"] < threads["cpu_s"],
                   {"en": f"prefork -c 2 computed in {prefork['cpu_s']:.2f} s ({prefork['cores_used']:.2f} cores), "
                          f"threads in {threads['cpu_s']:.2f} s: two processes, a GIL each",
                    "zh": f"prefork -c 2 用 {prefork['cpu_s']:.2f} 秒算完（{prefork['cores_used']:.2f} 个核），"
                          f"threads 用了 {threads['cpu_s']:.2f} 秒：两个进程，各有各的 GIL"})


@scenario.step(
    title={"en": "worker_max_tasks_per_child=2: each pool process is replaced after 2 tasks",
           "zh": "worker_max_tasks_per_child=2：每个池进程执行 2 个任务后被替换"},
    explain={"en": "--max-tasks-per-child (worker_max_tasks_per_child) makes prefork replace a process after "
                   "N tasks: memory a leaky library never gives back is returned to the system. Forking costs "
                   "a little each time, so real values are hundreds or thousands. "
                   "worker_max_memory_per_child does the same by resident memory (KiB).",
             "zh": "--max-tasks-per-child（worker_max_tasks_per_child）让 prefork 在一个进程执行 N 个任务后换掉它："
                   "有内存泄漏的库占着不还的内存就还给了系统。每次 fork 都有一点开销，所以实际取值是几百或几千。"
                   "worker_max_memory_per_child 按常驻内存（KiB）做同样的事。"},
    modes=PROCESSES, unsupported=needs({"en": "Replacing pool processes needs the prefork pool.",
                                        "zh": "替换池进程需要 prefork 执行池。"}, SHOW),
)
def max_tasks_per_child(run):
    recycler = next(w for w in run.session.workers if w.hostname.startswith("recycler@"))
    before = [p.pid for p in recycler.children()]
    began = time.time()
    pids = [run.get(tasks.whoami.apply_async(queue="recycle")) for _ in range(4)]   # one after another
    took = time.time() - began
    waits.wait_until(lambda: recycler.children(), 6.0, 0.05)     # the replacement of the second one
    after = [p.pid for p in recycler.children()]
    uses = Counter(pids)
    run.say({"en": f"pool process before: {before}; the 4 tasks ran in {pids} ({took:.2f} s); now: {after}",
             "zh": f"之前的池进程：{before}；4 个任务依次在 {pids} 中执行（{took:.2f} 秒）；现在：{after}"})
    run.data.update(pids=pids, before=before, after=after, took_s=round(took, 3))
    run.expect(len(uses) == 2 and set(uses.values()) == {2},
               {"en": "2 different pool processes, 2 tasks each", "zh": "2 个不同的池进程，每个执行 2 个任务"})
    run.expect(pids[0] in before and not set(before) & set(after),
               {"en": "the first process was the one running before; none of the old ones is left",
                "zh": "第一个进程就是原来那个；原来的进程一个都不剩"})


@scenario.step(
    title={"en": "celery multi: two nodes in the background, pid and log files, a bounded stop",
           "zh": "celery multi：后台运行两个节点，pid 和日志文件，有时限的停止"},
    explain={"en": "celery multi starts detached workers (one per name) with a pid file each; stop sends "
                   "SIGTERM through the pid files, stopwait also waits until they have exited (it checks "
                   "every 2 s, a value you cannot change). On a server, systemd does this job; multi is "
                   "the quick way on one machine.",
             "zh": "celery multi 启动脱离终端的 worker（每个名字一个），各带一个 pid 文件；stop 通过 pid 文件发送 "
                   "SIGTERM，stopwait 还会一直等到它们退出（每 2 秒检查一次，这个值改不了）。在服务器上，"
                   "这件事由 systemd 来做；multi 是在一台机器上的快捷方式。"},
    modes=PROCESSES, unsupported=needs({"en": "celery multi starts worker processes in the background.",
                                        "zh": "celery multi 在后台启动 worker 进程。"}, SHOW),
)
def celery_multi(run):
    multi = run.session.services["multi"]       # the runner ran `celery multi start` with the workers
    run.say(multi.info["start"])
    files = sorted(p.name for p in multi.folder.iterdir())
    pids = dict(multi.pids)
    answered = waits.ping(run.app, destination=multi.nodes)
    results = burst(tasks.io_bound, 6, "multi", 0.1)
    [run.get(r) for r in results]
    counts = per_worker(records(run, results))
    run.say({"en": f"files in {multi.folder.name}/: {files}; pids {list(pids.values())}; tasks per node: {counts}",
             "zh": f"{multi.folder.name}/ 里的文件：{files}；pid {list(pids.values())}；各节点的任务数：{counts}"})
    multi.stop()                                 # celery multi stopwait node1@... node2@... --pidfile=...
    run.say(multi.info["stop"])
    run.say(multi.output.get("stop", ""))
    left = [pid for pid in pids.values() if pid_alive(pid)]
    pidfiles = [n for n in multi.nodes if os.path.exists(multi.pidfile(n))]
    run.data.update(files=files, per_worker=counts, answered=sorted(answered), stop_s=multi.seconds.get("stop"),
                    start_s=multi.seconds.get("start"), left=left, pidfiles_left=pidfiles)
    run.expect(sorted(answered) == sorted(multi.nodes) and sorted(counts) == ["node1", "node2"],
               {"en": "both nodes answered a ping and ran tasks from the queue 'multi'",
                "zh": "两个节点都回应了 ping，并执行了队列 'multi' 里的任务"})
    run.expect({"node1.pid", "node2.pid"} <= set(files),
               {"en": "a pid file per node in the runner's state dir", "zh": "runner 的状态目录里每个节点一个 pid 文件"})
    run.expect(not left and not pidfiles and multi.seconds.get("stop", 99) < 10,
               {"en": f"stopwait returned in {multi.seconds.get('stop', 0):.1f} s: both nodes gone, pid files removed",
                "zh": f"stopwait 在 {multi.seconds.get('stop', 0):.1f} 秒内返回：两个节点都已退出，pid 文件已删除"})
