"""Checks for exercise 9: python runner.py check 9 (real workers; checks 3 and 4 kill a pool process)."""
import sqlite3
import uuid

from classroom.lessonkit import Checker

checker = Checker()
BROKERS = ("redis", "rabbitmq")
KILL = {"en": "The checker kills a worker's pool process with kill -9; in memory mode the worker is a thread of "
              "the checker itself. Run it on real processes: python runner.py check 9 --broker redis",
        "zh": "检查程序要用 kill -9 杀掉 worker 的池进程；内存模式下 worker 是检查程序自己的一个线程。"
              "请在真实的进程上运行：python runner.py check 9 --broker redis"}
LOST_S = 9.0          # a dead pool process is noticed within about 5 s, then the task runs again


def ledger(ctx):
    return ctx.run.file(f"ex09-{uuid.uuid4().hex[:8]}.db")     # a fresh file, removed when the check ends


def rows(path, table="ledger"):
    try:
        with sqlite3.connect(path, timeout=5) as db:
            return [r[0] for r in db.execute(f"SELECT payment FROM {table}")]   # noqa: S608 - our own names
    except sqlite3.OperationalError:         # no run has created the table
        return []


def attempts(ctx, task_id, count, seconds):
    """Task-started events the workers sent for `task_id`: each run that began."""
    ctx.run.wait_until(lambda: len(ctx.run.tasks([task_id], settle=0)[0].attempts) >= count, seconds, 0.02)
    return list(ctx.run.tasks([task_id], settle=0)[0].attempts)


def delivered_twice(ctx, name, *args):
    """The same message twice (one task id): what a redelivery looks like to the task."""
    task_id = str(uuid.uuid4())
    first = ctx.send(name, *args, task_id=task_id)
    second = ctx.send(name, *args, task_id=task_id)
    ctx.outcome(first, f"{name}{args}")
    runs = attempts(ctx, task_id, 2, 3.0)
    # Both runs must have ended (task-succeeded) before the ledger is read: the second run's row is
    # written after its start event, and reading in between would miss a double booking.
    ctx.run.wait_until(lambda: all(run[1] for run in attempts(ctx, task_id, 2, 0.0)), 3.0, 0.02)
    return len(runs), second


def killed_once(ctx, path, order):
    """charge runs for 1 s; its pool process is killed (kill -9) 0.3 s in, after the booking."""
    result = ctx.send("charge", path, order, 10, 1.0)
    first = attempts(ctx, result.id, 1, 5.0)
    host = ctx.run.tasks([result], settle=0)[0].host
    if not first or not host:
        ctx.fail({"en": f"charge({order!r}) to start on a worker", "zh": f"charge({order!r}) 在 worker 上开始运行"},
                 {"en": "it did not start within 5 s", "zh": "它在 5 秒内没有开始"})
    ctx.run.wait_until(lambda: rows(path), 1.0, 0.02)
    worker = ctx.run.worker(host)
    active = ctx.run.inspect("active", [worker.name]).get(worker.name) or []
    for pid in {t["worker_pid"] for t in active if t["id"] == result.id}:    # the pool process running it
        worker.kill_pool_process(pid)
    out = ctx.outcome(result, f"charge({order!r})", timeout=LOST_S)
    return out, len(attempts(ctx, result.id, 2, 1.0))


@checker.check({"en": "charge delivered twice (the same message) books the order once",
                "zh": "同一条消息投递两次，charge 只为这个订单记一笔"})
def idempotent(ctx):
    path = ledger(ctx)
    runs, _ = delivered_twice(ctx, "charge", path, "A-1", 10)
    booked = rows(path)
    ctx.data.update(runs=runs, booked=booked)
    ctx.expect(runs == 2 and booked == ["A-1"],
               {"en": "two runs, one row for A-1 in the ledger", "zh": "运行两次，账本里 A-1 只有一行"},
               {"en": f"{runs} run(s); the ledger holds {booked}", "zh": f"运行了 {runs} 次；账本里是 {booked}"})


@checker.check({"en": "kill -9 of charge's pool process: it runs again to SUCCESS, booked once",
                "zh": "kill -9 杀掉 charge 的池进程：它再次运行直到 SUCCESS，只记了一笔"},
               modes=BROKERS, unsupported=KILL)
def survives_a_kill(ctx):
    path = ledger(ctx)
    out, runs = killed_once(ctx, path, "A-2")
    booked = rows(path)
    ctx.data.update(state=out.state, runs=runs, booked=booked)
    ctx.expect(out.state == "SUCCESS" and runs == 2 and booked == ["A-2"],
               {"en": "SUCCESS after a second run, one row for A-2", "zh": "第二次运行后 SUCCESS，A-2 只有一行"},
               {"en": f"{out.said()} after {runs} run(s); the ledger holds {booked}",
                "zh": f"{out.said()}，运行了 {runs} 次；账本里是 {booked}"})


@checker.explain({"en": "explain: RUNS_AFTER_ONE_KILL is how often charge starts when killed once",
                  "zh": "解释：RUNS_AFTER_ONE_KILL 是 charge 被杀一次时开始运行的次数"},
                 modes=BROKERS, unsupported=KILL)
def runs_after_one_kill(ctx):
    answer = getattr(ctx.module, "RUNS_AFTER_ONE_KILL", None)
    path = ledger(ctx)
    _, runs = killed_once(ctx, path, "A-3")
    ctx.data.update(answer=answer, runs=runs)
    ctx.expect(answer == runs and not isinstance(answer, bool),
               {"en": f"RUNS_AFTER_ONE_KILL to be {runs}, the runs the worker really started",
                "zh": f"RUNS_AFTER_ONE_KILL 等于 worker 实际开始运行的次数 {runs}"},
               {"en": f"you answered {answer!r}; charge started {runs} time(s)",
                "zh": f"你的回答是 {answer!r}；charge 开始运行了 {runs} 次"})


@checker.stretch({"en": "stretch: refund delivered twice books one refund",
                  "zh": "附加挑战：refund 投递两次只记一笔退款"})
def refund_once(ctx):
    path = ledger(ctx)
    runs, _ = delivered_twice(ctx, "refund", path, "A-4")
    refunded = rows(path, "refunds")
    ctx.data.update(runs=runs, refunded=refunded)
    ctx.expect(runs == 2 and refunded == ["A-4"], {"en": "two runs, one refund", "zh": "运行两次，一笔退款"},
               {"en": f"{runs} run(s); refunds: {refunded}", "zh": f"运行了 {runs} 次；退款：{refunded}"})
