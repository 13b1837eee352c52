"""Checks for exercise 1: python runner.py check 1"""
import time
import uuid

from classroom.lessonkit import Checker

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


@checker.check({"en": "state_of(id) says SUCCESS for a finished task, and what the backend says for an unknown id",
                "zh": "state_of(id) 对已完成的任务返回 SUCCESS，对未知的 id 返回结果后端给出的状态"})
def state_by_id(ctx):
    result = ctx.send("add", 1, 1)
    ctx.outcome(result, "add(1, 1)")
    state = ctx.client("state_of", result.id)
    ctx.expect(state == "SUCCESS", {"en": f"state_of({result.id[:8]}…) to be 'SUCCESS' (add(1, 1) has finished)",
                                    "zh": f"state_of({result.id[:8]}…) 为 'SUCCESS'（add(1, 1) 已经完成）"},
               {"en": f"it returned {state!r}", "zh": f"它返回了 {state!r}"})
    made_up = str(uuid.uuid4())
    unknown, real = ctx.client("state_of", made_up), ctx.app.AsyncResult(made_up).state
    ctx.expect(unknown == real, {"en": f"for an id nobody sent, the state the result backend holds ({real!r})",
                                 "zh": f"对没人发送过的 id，返回结果后端里的状态（{real!r}）"},
               {"en": f"it returned {unknown!r}", "zh": f"它返回了 {unknown!r}"})


@checker.explain({"en": "UNKNOWN_STATE names the state Celery really reports for an id nobody sent",
                  "zh": "UNKNOWN_STATE 写出的状态，就是 Celery 对没人发送过的 id 真正报告的状态"})
def unknown_state(ctx):
    answer = getattr(ctx.module, "UNKNOWN_STATE", None)
    real = ctx.app.AsyncResult(str(uuid.uuid4())).state
    ctx.data.update(answer=answer, real=real)
    ctx.expect(answer == real,
               {"en": f"UNKNOWN_STATE to be the state the result backend gives for a made-up id ({real!r})",
                "zh": f"UNKNOWN_STATE 等于结果后端对一个编造的 id 给出的状态（{real!r}）"},
               {"en": f"UNKNOWN_STATE is {answer!r}; the backend said {real!r}",
                "zh": f"UNKNOWN_STATE 是 {answer!r}；结果后端给出的是 {real!r}"})


@checker.stretch({"en": "stretch: result_of(id) returns the value of add(20, 22) from its id alone",
                  "zh": "附加挑战：result_of(id) 只凭 id 取回 add(20, 22) 的结果值"})
def result_by_id(ctx):
    result = ctx.send("add", 20, 22)
    value = ctx.client("result_of", result.id)
    ctx.data["value"] = value
    ctx.expect(value == 42, {"en": "result_of(id) to return 42", "zh": "result_of(id) 返回 42"},
               {"en": f"it returned {value!r}", "zh": f"它返回了 {value!r}"})
