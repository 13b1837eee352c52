"""What `python runner.py lesson 8` plays: each step's body is shown as it runs; its words are in steps.toml."""
import signal
import time

import psutil
from classroom.lessonkit import Scenario, short

from . import tasks

scenario = Scenario()
app = tasks.app


@scenario.step()
def inspect_cluster(run):
    later = tasks.add.apply_async((2, 2), countdown=1.5)     # held in a worker until it is due
    busy = [tasks.work.delay(1.0) for _ in range(6)]         # more than the two workers may prefetch
    run.wait_until(lambda: len({t["id"] for ts in run.inspect("reserved").values() for t in ts}) == 4, 3.0)
    pong, active, reserved = run.inspect("ping"), run.inspect("active"), run.inspect("reserved")
    scheduled, stats = run.inspect("scheduled"), run.inspect("stats")
    nobody = app.control.inspect(destination=["nobody@nowhere"], timeout=0.3).ping()
    run.timeline(busy, "busy_timeline")
    run.echo("\n".join(f"{w}: active {len(active[w])}, reserved {len(reserved[w])}, scheduled {len(scheduled[w])}, "
                       f"prefetch_count {stats[w]['prefetch_count']}, "
                       f"max-concurrency {stats[w]['pool']['max-concurrency']}" for w in sorted(pong)))
    running, waiting = ({t["id"] for ts in replies.values() for t in ts} for replies in (active, reserved))
    run.say("who_lists", listed=sum(map(len, active.values())), running=len(running))
    run.expect(sorted(pong) == ["worker1", "worker2"] and all(pong.values()), "both_answered_ping")
    run.expect(len(running) == 2, "two_running")
    run.expect([run.get(r) for r in busy] + [run.get(later)] == [1.0] * 6 + [4], "all_finished")
    run.expect(len(waiting) == 4 and sorted(run.tasks(busy).count_by_worker().values()) == [3, 3], "three_each")
    run.expect(later.id in [e["request"]["id"] for es in scheduled.values() for e in es], "countdown_scheduled")
    run.expect(nobody is None, "nobody_none")


@scenario.step(needs="processes")
def inspect_cli(run):
    busy = tasks.work.delay(4.0)           # longer than the CLI takes to start on a busy machine
    run.wait_until(lambda: busy.state == "STARTED", 3.0)
    (code, output), (nobody, said) = run.celery(
        ["inspect", "active", "--timeout", "1", "-d", ",".join(run.workers)],
        ["inspect", "ping", "--timeout", "0.3", "-d", "nobody@nowhere"])
    run.get(busy)
    shown = [line[:70] + (" …" if len(line) > 70 else "") for line in output.splitlines() if line.strip()]
    run.echo("\n".join([run.celery_shown(["inspect", "active", "--timeout", "1"]), *shown]))
    run.expect(code == 0 and busy.id in output, "cli_found", task_id=busy.id[:8])
    run.expect(nobody == 69 and "No nodes replied" in said, "cli_nobody")


@scenario.step()
def consumers(run):
    consuming = lambda: [q["name"] for q in run.inspect("active_queues", ["worker2"])["worker2"]]  # noqa: E731
    backlog = [tasks.report.delay(i) for i in range(5)]     # routed to "reports": nobody consumes it
    run.sleep(0.5)
    waiting = [r.state for r in backlog]
    added = app.control.add_consumer("reports", destination=[run.workers[1]], reply=True, timeout=1.0)
    values, during = [run.get(r) for r in backlog], consuming()
    cancelled = app.control.cancel_consumer("reports", destination=[run.workers[1]], reply=True, timeout=1.0)
    run.wait_until(lambda: "reports" not in consuming(), 2.0)
    run.timeline(backlog, "backlog_timeline")
    run.echo(f"add_consumer: {added}\ncancel_consumer: {cancelled}")
    run.expect(waiting == ["PENDING"] * 5, "still_pending")
    ran_on = run.tasks(backlog).count_by_worker()             # from the events
    run.expect(values == [f"report {i}" for i in range(5)] and ran_on == {"worker2": 5}, "worker2_ran_all")
    run.expect("reports" in during and "reports" not in consuming(), "queues_listed")


@scenario.step()
def live_changes(run):
    pool = lambda: run.inspect("stats", ["worker1"])["worker1"]["pool"].get("processes", [])  # noqa: E731
    w1, before = run.worker("worker1"), len(pool())
    grow, asked = app.control.pool_grow(1, destination=[w1.host], reply=True, timeout=1.0), time.monotonic()
    app.control.rate_limit(tasks.add.name, "2/s", destination=[w1.host], reply=True, timeout=1.0)
    limited = [name for name in run.inspect("registered", ["worker1"])["worker1"] if name.startswith(tasks.add.name)]
    app.control.rate_limit(tasks.add.name, None, destination=[w1.host], reply=True, timeout=1.0)   # no limit again
    run.echo(f"registered: {limited[0]}\npool_grow: {grow}")
    run.expect(limited[0].endswith("[rate_limit=2/s]"), "registered_limit")
    if "error" in str(grow):                  # the threads pool of memory mode cannot grow
        return run.expect("error" in str(grow), "threads_cannot_grow")
    run.wait_until(lambda: len(pool()) == 2, 6.0)
    grown, grow_s = len(pool()), time.monotonic() - asked
    shrink, asked = app.control.pool_shrink(1, destination=[w1.host], reply=True, timeout=1.0), time.monotonic()
    run.wait_until(lambda: len(w1.children()) == 1, 3.0, interval=0.02)   # the process table, as `ps` shows it
    shrink_s, shrunk, listed = time.monotonic() - asked, len(w1.children()), len(pool())
    run.echo(f"pool_shrink: {shrink}")
    run.say("pool_sizes", before=before, grown=grown, shrunk=shrunk, grow_s=grow_s, shrink_s=shrink_s, listed=listed)
    run.expect([before, grown, shrunk] == [1, 2, 1] and shrink_s < 1.0, "grow_then_shrink")


@scenario.step()
def revoke_queued(run):
    later = tasks.add.apply_async((1, 1), countdown=2.0)     # 2 s: revoke() comes first on a busy machine too
    run.sleep(0.3)                                            # a worker holds it, waiting for its ETA
    later.revoke()
    final = run.poll(later, until=lambda state, _info: state == "REVOKED", timeout=1.5)
    early = not run.log(f"Discarding revoked task: {tasks.add.name}[{later.id}]", timeout=0)   # no ETA yet
    held = run.inspect("revoked")
    lines = run.log(f"Discarding revoked task: {tasks.add.name}[{later.id}]", timeout=4.0)   # at its ETA
    run.show(later, "revoked")
    run.echo((lines or ["-"])[0])
    run.expect(final == "REVOKED" and early, "revoked_before_eta")
    run.expect(not run.task(later).started and lines, "never_started")
    run.expect(len(held) == 2 and all(later.id in (ids or []) for ids in held.values()), "both_remember")


@scenario.step(needs="prefork")
def revoke_running(run):
    runaway = tasks.runaway.delay(10)                         # would take 10 s
    seen = []
    run.poll(runaway, until=lambda state, info: state == "PROGRESS" and info["done"] >= 5,
             on_change=lambda state, info: seen.append(info))
    runaway.revoke(terminate=True, signal="SIGTERM")
    final = run.poll(runaway, until=lambda state, _info: state == "REVOKED", timeout=3.0)
    lines, done = run.log(f"Terminating {runaway.id}"), max(i["done"] for i in seen if "done" in (i or {}))
    run.echo((lines or ["-"])[0])
    run.expect(final == "REVOKED" and lines, "state_revoked")
    run.expect(done < 100, "stopped_at", done=done)


@scenario.step()
def events_dashboard(run):
    with run.dashboard() as dash:          # app.events.Receiver + app.events.State, as Flower does
        burst = [tasks.add.delay(i, i) for i in range(60)] + [tasks.work.delay(0.2) for _ in range(4)]
        values = [run.get(r) for r in burst]
        run.wait_until(lambda: dash.snapshot()["states"].get("SUCCESS", 0) >= len(burst), 2.0)
        snap = dash.finish()
    run.expect(values[:60] == [2 * i for i in range(60)], "burst_finished")
    run.expect(snap["states"].get("SUCCESS", 0) == len(burst), "counted", count=snap["states"].get("SUCCESS", 0))
    run.expect(sum(w["processed"] for w in snap["workers"].values()) == len(burst), "processed_adds_up")
    run.expect(snap["lag_max_s"] < 1.0, "lag", lag=snap["lag_max_s"])


@scenario.step(needs="processes")
def flower_api(run):
    flower = run.service("flower")
    sent = [tasks.add.delay(i, 100) for i in range(3)]
    [run.get(r) for r in sent]
    run.wait_until(lambda: all(r.id in flower.api("GET", "/api/tasks")[1] for r in sent), 5.0)
    status, info = flower.api("GET", f"/api/task/info/{sent[0].id}")
    (_, workers), (anon, _) = flower.api("GET", "/api/workers?refresh=1"), flower.api("GET", "/api/workers", auth=False)
    metrics, health = run.http("GET", flower.url + "/metrics"), run.http("GET", flower.url + "/healthcheck")
    sockets = psutil.Process(flower.process.pid).net_connections()                # what `ss -ltnp` would show
    listening = sorted({f"{c.laddr.ip}:{c.laddr.port}" for c in sockets if c.status == psutil.CONN_LISTEN})
    run.say("login", url=flower.url, user=flower.user, password=flower.password)
    run.echo(f"GET /api/task/info/{sent[0].id[:8]}… → {status} state={info.get('state')} worker={info.get('worker')}")
    run.say("without_password", anon=anon, health=f"{health[0]} {health[1]}")
    run.echo(next((ln for ln in str(metrics[1]).splitlines() if ln.startswith("flower_events_total{")), "-")[:76])
    run.expect(status == 200 and info.get("state") == "SUCCESS" and info.get("worker") == run.task(sent[0]).host,
               "task_info")                                   # Flower's worker = the events' worker
    run.expect(sorted(w for w in workers if w in run.workers) == sorted(run.workers), "lists_both")
    run.expect(listening and all(a.startswith("127.0.0.1:") for a in listening), "flower_loopback", addresses=listening)
    run.expect(anon == 401, "api_needs_password")
    run.expect(metrics[0] == 200 and all(f'"{name}"' in str(metrics[1]) for name in run.workers + [tasks.add.name]),
               "metrics_open")
    run.expect(health == (200, "OK"), "healthcheck_open")


@scenario.step(needs="processes")
def flower_control(run):
    flower = run.service("flower")
    later = tasks.add.apply_async((3, 3), countdown=1.0)
    revoked, _ = flower.api("POST", f"/api/task/revoke/{later.id}", form={})
    limited, body = flower.api("POST", f"/api/task/rate-limit/{tasks.add.name}",
                               form={"workername": run.workers[0], "ratelimit": "3/s"})
    listed = [n for n in run.inspect("registered", ["worker1"])["worker1"] if n.startswith(tasks.add.name)]
    app.control.rate_limit(tasks.add.name, None, destination=[run.workers[0]], reply=True, timeout=1.0)
    final = run.poll(later, until=lambda state, _info: state == "REVOKED", timeout=3.0)
    run.echo(f"POST /api/task/revoke → {revoked};  POST /api/task/rate-limit → {limited} {body}\n{listed[0]}")
    run.expect(revoked == 200 and final == "REVOKED", "revoked_through_flower")
    run.expect(limited == 200 and listed[0].endswith("[rate_limit=3/s]"), "limited_through_flower")


@scenario.step()
def who_can_steer(run):
    everyone = sorted(name for reply in app.control.ping(timeout=0.5) for name in reply)
    run.say("ping_everyone", workers=", ".join(map(short, everyone)), accepted=app.conf.accept_content)
    run.expect(set(run.workers) <= set(everyone), "broadcast_reaches_all")
    run.expect(list(app.conf.accept_content) == ["json"], "json_only")


@scenario.step(needs="processes")
def shutdown(run):
    finishing = tasks.work.delay(0.8)
    run.wait_until(lambda: run.task(finishing, settle=0).started, 3.0)
    leaving = run.worker(run.task(finishing, settle=0).worker)
    leaving.expect_exit()
    app.control.shutdown(destination=[leaving.host])          # warm: finish, then exit
    meanwhile = [tasks.add.delay(i, 1) for i in range(3)]
    warm, code, served = run.get(finishing), leaving.wait_exit(5.0), [run.get(r) for r in meanwhile]
    cold = run.start_worker("worker3", queues=("cold",), concurrency=1)
    dropped = tasks.work.apply_async((5.0,), queue="cold")   # 5 s: a cold exit took 2.0 s on a busy RabbitMQ
    run.wait_until(lambda: dropped.state == "STARTED", 3.0)
    sent_at = cold.signal(signal.SIGQUIT)                    # cold shutdown: now (kill -QUIT <pid>)
    gone, exit_s = cold.wait_exit(4.0) is not None, time.time() - sent_at
    left, hosts = run.queue_depth("cold").ready, sorted(run.tasks(meanwhile).count_by_worker())
    run.say("warm_exit", worker=leaving.name, warm=warm, code=code, hosts=", ".join(hosts))
    run.expect(warm == 0.8 and code is not None, "warm_finished")
    run.expect(served == [1, 2, 3] and hosts == sorted({"worker1", "worker2"} - {leaving.name}), "other_served")
    run.expect(gone and exit_s < 4.0, "cold_quick", exit_s=exit_s)
    run.expect(dropped.state == "RETRY" and left == 0, "retry_but_gone", left=left)
