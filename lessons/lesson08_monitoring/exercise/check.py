"""Checks for exercise 8: python runner.py check 8 (two workers, two processes each)."""
import random
import time

from classroom.lessonkit import Checker

checker = Checker()
RUNAWAY_S, NORMAL_S = 4.0, 0.6
NEEDS_PREFORK = {
    "en": "Stopping a running task needs a pool process to signal; memory mode's threads pool has none. "
          "Check it on real workers: python runner.py check 8 --broker redis",
    "zh": "停下正在执行的任务需要一个可以发信号的池进程；内存模式的 threads 池没有。"
          "请在真正的 worker 上检查：python runner.py check 8 --broker redis",
}


def batch(ctx):
    """Six jobs, one of them a runaway (sent first, so it started first), in a shuffled list;
    returns (results, runaway result), with some normal ones finished and some running beside it."""
    runaway = ctx.send("job", 0, RUNAWAY_S)
    results = [runaway] + [ctx.send("job", i, NORMAL_S) for i in range(1, 6)]
    random.shuffle(results)
    time.sleep(NORMAL_S + 0.4)                  # the first normal ones are done, the next ones run
    return results, runaway


def cleanup(ctx, runaway):
    """Do not leave a runaway holding a pool process for the next check."""
    if ctx.mode != "memory":
        ctx.app.control.revoke(runaway.id, terminate=True, signal="SIGKILL")


@checker.check({"en": "find_runaway returns the id of the task running the longest",
                "zh": "find_runaway 返回运行最久的那个任务的 id"})
def finds_it(ctx):
    results, runaway = batch(ctx)
    found = ctx.client("find_runaway", ctx.app, ctx.workers)
    cleanup(ctx, runaway)
    ctx.data.update(found=found, runaway=runaway.id)
    ctx.expect(found == runaway.id, {"en": f"the id {runaway.id[:8]}… (started first, still running)",
                                     "zh": f"id {runaway.id[:8]}…（最先开始、仍在运行）"},
               {"en": f"find_runaway returned {found!r}", "zh": f"find_runaway 返回了 {found!r}"})


@checker.check({"en": "stop(app, id) ends the running task within a second: state REVOKED",
                "zh": "stop(app, id) 在一秒内结束正在执行的任务：状态 REVOKED"},
               modes=("redis", "rabbitmq"), unsupported=NEEDS_PREFORK)
def stops_it(ctx):
    results, runaway = batch(ctx)
    began = time.monotonic()
    ctx.client("stop", ctx.app, runaway.id)
    while time.monotonic() - began < 1.5 and runaway.state != "REVOKED":
        time.sleep(0.05)
    took = time.monotonic() - began
    state = runaway.state
    cleanup(ctx, runaway)
    ctx.data.update(state=state, seconds=round(took, 2))
    ctx.expect(state == "REVOKED", {"en": "REVOKED within 1.5 s (the task would run 4 s)",
                                    "zh": "1.5 秒内变成 REVOKED（这个任务本来要跑 4 秒）"},
               {"en": f"after {took:.1f} s its state is {state}: was it revoked with terminate=True?",
                "zh": f"{took:.1f} 秒后它的状态是 {state}：撤销时用了 terminate=True 吗？"})


@checker.check({"en": "others_finished waits for every other task and reports SUCCESS for each",
                "zh": "others_finished 等待其他每个任务，并为每个报告 SUCCESS"})
def others_done(ctx):
    results, runaway = batch(ctx)
    states = ctx.client("others_finished", results, runaway.id)
    cleanup(ctx, runaway)
    wanted = {r.id: "SUCCESS" for r in results if r.id != runaway.id}
    ctx.data.update(states=states)
    ctx.expect(states == wanted, {"en": "five ids, each SUCCESS, and not the runaway's",
                                  "zh": "五个 id，每个都是 SUCCESS，且不含失控任务的 id"},
               {"en": f"others_finished returned {states!r}", "zh": f"others_finished 返回了 {states!r}"})


@checker.explain({"en": "STATE_RIGHT_AFTER_REVOKE is what .state really says soon after revoke(), before the ETA",
                  "zh": "STATE_RIGHT_AFTER_REVOKE 就是调用 revoke() 之后不久、ETA 之前 .state 的真实值"})
def state_after_revoke(ctx):
    answer = getattr(ctx.module, "STATE_RIGHT_AFTER_REVOKE", None)
    later = ctx.send("job", 99, 0.0, countdown=2.0)
    time.sleep(0.3)
    later.revoke()
    settled = time.monotonic() + 1.0                  # well before the ETA (2 s after sending)
    while later.state == "PENDING" and time.monotonic() < settled:
        time.sleep(0.05)
    seen = later.state
    ctx.data.update(answer=answer, seen=seen)
    ctx.expect(answer == seen, {"en": f"the state the worker really left: {seen}",
                                "zh": f"worker 实际留下的状态：{seen}"},
               {"en": f"STATE_RIGHT_AFTER_REVOKE is {answer!r}", "zh": f"STATE_RIGHT_AFTER_REVOKE 是 {answer!r}"})


@checker.stretch({"en": "stretch: find_runaway answers in under 0.5 s (it stops waiting once all have replied)",
                  "zh": "附加挑战：find_runaway 在 0.5 秒内给出答案（所有 worker 答复后就不再等待）"})
def answers_fast(ctx):
    results, runaway = batch(ctx)
    began = time.monotonic()
    ctx.client("find_runaway", ctx.app, ctx.workers)
    took = time.monotonic() - began
    cleanup(ctx, runaway)
    ctx.data["seconds"] = round(took, 2)
    ctx.expect(took < 0.5, {"en": "under 0.5 s", "zh": "少于 0.5 秒"},
               {"en": f"{took:.2f} s: without limit= it waits for its whole timeout",
                "zh": f"{took:.2f} 秒：没有 limit= 时它会等满整个超时"})
