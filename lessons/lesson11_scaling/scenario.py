"""What `python runner.py lesson 11` plays, step by step; its words are in steps.toml beside this file."""
import os
import signal
import time

from classroom.lessonkit import Scenario

from . import tasks

scenario = Scenario()
POOLS = ("prefork", "threads", "solo", "gevent")


def wall(runs) -> float:                                     # from the first send to the last end
    return round(max(r.ended for r in runs) - min(r.sent for r in runs), 3)


def at_once(runs) -> int:                                    # the most that ran at the same moment
    return max((sum(s <= t < e for s, e in runs.spans()) for t, _ in runs.spans()), default=0)


@scenario.step()
def shared_queue(run):
    results = [tasks.io_bound.apply_async((0.1,), queue="scale-out") for _ in range(12)]   # 12 × 0.1 s
    [run.get(r) for r in results]
    ran = run.tasks(results).ran()
    counts, span = ran.count_by_worker(), wall(ran)
    run.timeline(results, "timeline")
    run.say("shares", counts=counts, span=span)
    run.data.update(per_worker=counts, span_s=round(span, 3), count=len(ran))
    run.expect(len(ran) == 12 and sorted(counts) == ["worker1", "worker2", "worker3"], "all_three_ran")
    run.expect(span < 1.0, "faster_than_one", span=span)


@scenario.step()
def add_a_worker(run):
    results = [tasks.io_bound.apply_async((0.1,), queue="scale-out") for _ in range(150)]   # why 150: lesson.toml
    run.wait_until(lambda: len([r for r in run.tasks(results, settle=0) if r.ended]) >= 12, 3.0)
    began = time.time()
    run.start_worker("worker4", queues=["scale-out"], concurrency=1)   # celery worker -Q scale-out -n worker4@%h
    joined = time.time()
    [run.get(r, timeout=12) for r in results]
    ran = run.tasks(results).ran()
    rate_before = len([r for r in ran if r.ended <= joined]) / max(joined - min(r.started for r in ran), 1e-3)
    rate_after = len([r for r in ran if r.started >= joined]) / max(max(r.ended for r in ran) - joined, 1e-3)
    counts = ran.count_by_worker()
    run.timeline(results, "timeline")
    run.say("booted", boot_s=joined - began, counts=counts)
    run.say("rates", rate_before=rate_before, rate_after=rate_after)
    run.data.update(per_worker=counts, boot_s=round(joined - began, 3), rate_before=round(rate_before, 2),
                    rate_after=round(rate_after, 2), count=len(ran))
    run.expect(len(ran) == 150 and counts.get("worker4", 0) >= 5, "worker4_took", took=counts.get("worker4", 0))
    run.expect(rate_after > 1.15 * rate_before, "drained_faster", ratio=rate_after / rate_before)


@scenario.step(needs="processes")
def warm_stop(run):
    results = [tasks.io_bound.apply_async((0.3,), queue="scale-out") for _ in range(16)]   # 4 rounds of 0.3 s
    worker2 = run.worker("worker2")
    run.wait_until(lambda: run.task(results[0], settle=0).started, 2.0)
    held = [task["id"] for task in run.inspect("reserved", ["worker2"])["worker2"] or []]
    stop_began = worker2.signal(signal.SIGTERM)              # kill -TERM <pid>: a warm shutdown
    worker2.wait_exit(10.0)
    stop_took = time.time() - stop_began
    values = [run.get(r) for r in results]
    ran = run.tasks(results).ran()
    rerun_by = {r.id[:8]: r.worker for r in run.tasks(held)}
    run.timeline(results, "timeline")
    run.say("held", count=len(held), ids=list(rerun_by), ran_on=sorted(set(rerun_by.values())), stop_s=stop_took)
    run.data.update(per_worker=ran.count_by_worker(), held=len(held), rerun_by=sorted(set(rerun_by.values())),
                    stop_s=round(stop_took, 3), states=sorted({r.state for r in results}), alive=worker2.alive())
    run.expect(len(values) == 16 and {r.state for r in results} == {"SUCCESS"} and len(ran) == 16, "all_16_once")
    run.expect(not worker2.alive() and ran.count_by_worker().get("worker2", 0) >= 1, "finished_then_exited")
    run.expect(held and "worker2" not in rerun_by.values(), "reserved_ran_elsewhere")


@scenario.step(needs="processes")
def cold_stop(run):
    results = [tasks.io_bound.apply_async((1.0,), queue="scale-out") for _ in range(6)]   # 3 workers × (1 + 1)
    worker3 = run.worker("worker3")
    run.wait_until(lambda: run.tasks(results, settle=0).on("worker3").ran(), 3.0)   # it started one
    running = run.tasks(results, settle=0).on("worker3").ran()[0].id
    held = [task["id"] for task in run.inspect("reserved", ["worker3"])["worker3"] or []]
    worker3.signal(signal.SIGQUIT)                           # kill -QUIT <pid> (Ctrl+C twice): a cold shutdown
    worker3.wait_exit(10.0)
    lost = tasks.app.AsyncResult(running)
    others = [r for r in results if r.id != running]
    [run.get(r) for r in others]                             # the last of these ends after the lost one would have
    rerun_by = {r.id[:8]: r.worker for r in run.tasks(held)}
    run.timeline(results, "timeline")
    run.say("lost", task_id=running[:8], state=lost.state)
    run.say("held", count=len(held), ids=list(rerun_by), ran_on=sorted(set(rerun_by.values())))
    run.data.update(lost_state=lost.state, held=len(held), rerun_by=sorted(set(rerun_by.values())),
                    others=sorted({r.state for r in others}), alive=worker3.alive())
    run.expect(not worker3.alive() and lost.state == "RETRY", "started_lost", state=lost.state)
    run.expect(held and "worker3" not in rerun_by.values() and all(r.successful() for r in others), "reserved_came_back")


def pool_size(run) -> dict:                                  # celery inspect stats -d elastic@...
    stats = run.inspect("stats", ["elastic"])["elastic"] or {}
    return {"processes": len(stats.get("pool", {}).get("processes", [])),
            "autoscaler": stats.get("autoscaler", {}), "t": time.time()}


@scenario.step(needs="prefork")
def autoscale(run):
    seen = [pool_size(run)]                                  # idle
    results = [tasks.io_bound.apply_async((0.3,), queue="autoscale") for _ in range(8)]
    run.wait_until(lambda: (seen.append(pool_size(run)), seen[-1]["processes"] >= 4)[1], 3.0)
    [run.get(r) for r in results]
    run.wait_until(lambda: (seen.append(pool_size(run)), seen[-1]["processes"] <= 1)[1], 10.0, 0.2)
    ran, idle = run.tasks(results).ran(), seen[0]
    grown = next((s for s in seen if s["processes"] >= 4), None)
    shrunk = seen[-1] if seen[-1]["processes"] <= 1 and grown else None
    sizes = [s["processes"] for s in seen]
    grow_s = grown["t"] - min(r.sent for r in ran) if grown else None
    shrink_s = shrunk["t"] - max(r.received or r.started for r in ran) if shrunk else None   # from the last arrival
    run.timeline(results, "timeline")
    run.say("idle", processes=idle["processes"], autoscaler=idle["autoscaler"])
    run.say("sizes", sizes=" → ".join(str(n) for i, n in enumerate(sizes) if i == 0 or n != sizes[i - 1]),
            pids=len({r.result for r in results}))
    if grown and shrunk:
        run.say("grow_and_shrink", grow_s=grow_s, shrink_s=shrink_s)
    run.data.update(sizes=sizes, idle=idle, pids=len({r.result for r in results}), keepalive=1.0,
                    grow_s=grow_s and round(grow_s, 3), shrink_s=shrink_s and round(shrink_s, 3))
    run.expect(idle["processes"] == 1 and idle["autoscaler"].get("max") == 4 and grown is not None, "one_then_four")
    run.expect(shrunk is not None and 0.9 <= shrink_s < 10.0, "back_to_one")


@scenario.step(needs="processes")
def pools(run):
    io = {pool: [tasks.io_bound.apply_async((0.1,), queue=f"pool-{pool}") for _ in range(8)] for pool in POOLS}
    [run.get(r) for results in io.values() for r in results]
    cpu = {}
    for pool in POOLS:                                       # one pool at a time: they would share the cores
        cpu[pool] = [tasks.cpu_bound.apply_async(queue=f"pool-{pool}") for _ in range(4)]
        [run.get(r) for r in cpu[pool]]
    table = {}                                               # run.tasks(..., 5): events can trail results
    for pool in POOLS:
        used = [r.result for r in cpu[pool]]                 # what each task measured in itself
        table[pool] = {"io_s": wall(run.tasks(io[pool], 5)), "io_at_once": at_once(run.tasks(io[pool], 5)),
                       "cpu_s": wall(run.tasks(cpu[pool], 5)), "task_cpu_s": round(sum(u["cpu_s"] for u in used) / 4, 3),
                       "task_wall_s": round(sum(u["wall_s"] for u in used) / 4, 3)}
        table[pool]["cores_used"] = round(4 * table[pool]["task_cpu_s"] / table[pool]["cpu_s"], 2)
    run.timeline(cpu["prefork"] + cpu["threads"], "timeline")
    run.say("table_head")
    for pool, row in table.items():
        run.say("table_row", pool=pool, **row)
    threads, prefork, solo, gevent = (table[pool] for pool in ("threads", "prefork", "solo", "gevent"))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0      # other programs using the cores
    free = (os.cpu_count() or 1) - load
    run.data.update(table=table, cores=os.cpu_count(), load=round(load, 2), parallel_checked=free >= 1.5)
    # how many at once, not wall-time ratios: under load 8-10, queueing stretched every pool's burst
    run.expect(threads["io_at_once"] > 2 >= prefork["io_at_once"] and solo["io_at_once"] == 1, "waiting",
               threads=threads["io_at_once"], prefork=prefork["io_at_once"], solo=solo["io_at_once"])
    py_amqp = tasks.app.connection_for_write().transport.driver_type == "amqp"   # one message per finished task
    run.expect(gevent["io_at_once"] <= 2 if py_amqp else gevent["io_at_once"] > 2,
               "gevent_one_by_one" if py_amqp else "gevent_side_by_side", at_once=gevent["io_at_once"])
    run.expect(threads["cores_used"] <= 1.15 and gevent["cores_used"] <= 1.15, "computing",
               threads=threads["cores_used"], gevent=gevent["cores_used"])
    if free < 1.5:
        run.say("busy_machine", load=load, cores=os.cpu_count())
    else:
        run.expect(prefork["cpu_s"] < threads["cpu_s"], "prefork_parallel", prefork=prefork["cpu_s"],
                   cores=prefork["cores_used"], threads=threads["cpu_s"])


@scenario.step(needs="prefork")
def max_tasks_per_child(run):
    recycler = run.worker("recycler")
    before, began = [p.pid for p in recycler.children()], time.time()
    pids = [run.get(tasks.whoami.apply_async(queue="recycle"), timeout=10) for _ in range(4)]   # 10 s: lesson.toml
    took = time.time() - began
    run.wait_until(recycler.children, 6.0)                   # the replacement of the second one
    after = [p.pid for p in recycler.children()]
    run.say("pids", before=before, pids=pids, took=took, after=after)
    run.data.update(pids=pids, before=before, after=after, took_s=round(took, 3))
    run.expect(len(set(pids)) == 2 and all(pids.count(pid) == 2 for pid in pids), "two_each")
    run.expect(pids[0] in before and not set(before) & set(after), "old_ones_gone")


@scenario.step(needs="processes")
def celery_multi(run):
    multi = run.service("multi")                             # the runner ran `celery multi start` with the workers
    run.echo(multi.info["start"])
    files = sorted(p.name for p in multi.folder.iterdir())
    answered = run.bounded(lambda: tasks.app.control.ping(destination=multi.nodes, timeout=1.0), 3.0)
    results = [tasks.io_bound.apply_async((0.1,), queue="multi") for _ in range(6)]
    [run.get(r) for r in results]
    counts = run.tasks(results).count_by_worker()
    run.say("files", folder=multi.folder.name, files=files, pids=list(multi.pids.values()), counts=counts)
    multi.stop()                                             # celery multi stopwait node1@... node2@... --pidfile=...
    run.echo(multi.info["stop"] + "\n" + multi.output.get("stop", ""))
    pidfiles = [n for n in multi.nodes if os.path.exists(multi.pidfile(n))]
    stop_s = multi.seconds.get("stop", 99.0)
    run.data.update(files=files, per_worker=counts, answered=sorted(h for a in answered for h in a), stop_s=stop_s,
                    start_s=multi.seconds.get("start"), left=multi.alive(), pidfiles_left=pidfiles)
    run.expect(len(answered) == 2 and sorted(counts) == ["node1", "node2"], "both_nodes")
    run.expect({"node1.pid", "node2.pid"} <= set(files), "pid_files")
    run.expect(not multi.alive() and not pidfiles and stop_s < 10, "stopwait", stop_s=stop_s)
