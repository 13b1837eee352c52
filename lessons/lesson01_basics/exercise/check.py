"""Checks for exercise 1: python runner.py check 1"""
import time
import uuid

from classroom.practice.checks import Checker

checker = Checker()


@checker.check({"en": "add(2, 3) runs on a worker and returns 5", "zh": "add(2, 3) 在 worker 上运行并返回 5"})
def add_returns_sum(ctx):
    ctx.expect_value(ctx.call("add", 2, 3), 5)
    ctx.expect_value(ctx.call("add", -4, 4), 0)


@checker.check({"en": "send_later(6, 7) returns an AsyncResult at once; 13 arrives no sooner than 0.5 s later",
                "zh": "send_later(6, 7) 立即返回 AsyncResult；13 在 0.5 秒之后才到达"})
def countdown(ctx):
    sent = time.monotonic()
    result = ctx.client("send_later", 6, 7)
    ctx.expect(hasattr(result, "ready") and hasattr(result, "id"),
               {"en": "send_later to return the AsyncResult that apply_async gives",
                "zh": "send_later 返回 apply_async 给出的 AsyncResult"},
               {"en": f"it returned {result!r}", "zh": f"它返回了 {result!r}"})
    outcome = ctx.outcome(result, "send_later(6, 7)")
    waited = time.monotonic() - sent
    ctx.data["waited_s"] = waited
    ctx.expect_value(outcome, 13)
    ctx.expect(waited >= 0.45, {"en": "the worker to hold the task for its countdown of 0.5 s",
                                "zh": "worker 按 0.5 秒的倒计时把任务保留到时间再执行"},
               {"en": f"the result came {waited:.2f} s after sending: no countdown was given",
                "zh": f"结果在发送后 {waited:.2f} 秒就到了：没有设置倒计时"})


@checker.check({"en": "state_of(id) says SUCCESS for a finished task and PENDING for an unknown id",
                "zh": "state_of(id) 对已完成的任务返回 SUCCESS，对未知的 id 返回 PENDING"})
def state_by_id(ctx):
    result = ctx.send("add", 1, 1)
    ctx.outcome(result, "add(1, 1)")
    state = ctx.client("state_of", result.id)
    ctx.expect(state == "SUCCESS", {"en": f"state_of({result.id[:8]}…) to be 'SUCCESS' (add(1, 1) has finished)",
                                    "zh": f"state_of({result.id[:8]}…) 为 'SUCCESS'（add(1, 1) 已经完成）"},
               {"en": f"it returned {state!r}", "zh": f"它返回了 {state!r}"})
    unknown = ctx.client("state_of", str(uuid.uuid4()))
    ctx.expect(unknown == "PENDING", {"en": "'PENDING' for an id nobody sent (PENDING means 'unknown')",
                                      "zh": "对没人发送过的 id 返回 'PENDING'（PENDING 的意思是“未知”）"},
               {"en": f"it returned {unknown!r}", "zh": f"它返回了 {unknown!r}"})
