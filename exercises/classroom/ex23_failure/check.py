"""Checks for exercise 23: python runner.py check 23"""
from classroom.practice.checks import Checker

checker = Checker()


@checker.check({"en": "parse_age fails on purpose: FAILURE with ValueError \"not an age: …\" for 'abc', '-5' and '200'",
                "zh": "parse_age 故意失败：对 'abc'、'-5' 和 '200' 以 FAILURE 结束，异常为 ValueError \"not an age: …\""})
def fails_on_purpose(ctx):
    for text in ("abc", "-5", "200"):
        outcome = ctx.call("parse_age", text)
        ctx.expect(outcome.state == "FAILURE" and outcome.error == f"ValueError: not an age: {text!r}",
                   {"en": f"parse_age({text!r}) to fail with ValueError: not an age: {text!r}",
                    "zh": f"parse_age({text!r}) 失败，异常为 ValueError: not an age: {text!r}"}, outcome.said())
    result = ctx.send("parse_age", "abc")
    ctx.outcome(result, "parse_age('abc')")
    ctx.data["traceback_last_line"] = (result.traceback or "").strip().splitlines()[-1:]
    ctx.expect("ValueError" in (result.traceback or ""),
               {"en": "the worker to store the traceback with the failure", "zh": "worker 把 traceback 和失败一起保存"},
               {"en": "no traceback was stored", "zh": "没有保存 traceback"})


@checker.check({"en": "the worker survives its failures: parse_age('42') returns 42 right after",
                "zh": "worker 不会因任务失败而停止：紧接着 parse_age('42') 返回 42"})
def worker_survives(ctx):
    ctx.expect_value(ctx.call("parse_age", "42"), 42)


@checker.check({"en": "explain(result) describes a failure and a success without raising",
                "zh": "explain(result) 描述失败和成功的任务，自己不抛出异常"})
def explained(ctx):
    failed = ctx.client("explain", ctx.send("parse_age", "abc"))
    wanted = {"state": "FAILURE", "error": "ValueError", "message": "not an age: 'abc'"}
    ctx.expect(failed == wanted, {"en": f"explain(parse_age.delay('abc')) to return {wanted!r}",
                                  "zh": f"explain(parse_age.delay('abc')) 返回 {wanted!r}"},
               {"en": f"it returned {failed!r}", "zh": f"它返回了 {failed!r}"})
    fine = ctx.client("explain", ctx.send("parse_age", "7"))
    wanted = {"state": "SUCCESS", "error": None, "message": None}
    ctx.expect(fine == wanted, {"en": f"explain(parse_age.delay('7')) to return {wanted!r}",
                                "zh": f"explain(parse_age.delay('7')) 返回 {wanted!r}"},
               {"en": f"it returned {fine!r}", "zh": f"它返回了 {fine!r}"})


@checker.explain({"en": "explain: what state does your parse_age(' 42 ') end in? (PADDED_AGE_STATE, compared with the worker)",
                  "zh": "解释：你的 parse_age(' 42 ') 以什么状态结束？（PADDED_AGE_STATE，与 worker 对比）"})
def padded_age_state(ctx):
    answer = getattr(ctx.module, "PADDED_AGE_STATE", None)
    outcome = ctx.call("parse_age", " 42 ")
    ctx.data.update(answer=answer, real=outcome.state)
    ctx.expect(isinstance(answer, str) and answer.strip().upper() == outcome.state,
               {"en": f"PADDED_AGE_STATE to be the state your parse_age(' 42 ') really ends in: {outcome.state!r}",
                "zh": f"PADDED_AGE_STATE 是你的 parse_age(' 42 ') 实际的结束状态：{outcome.state!r}"},
               {"en": f"you answered {answer!r}; {outcome.said()}", "zh": f"你的回答是 {answer!r}；{outcome.said()}"})


@checker.stretch({"en": "stretch: ages(texts) sends them all and maps each text to its age, or None where it failed",
                  "zh": "挑战：ages(texts) 全部发送，并把每个 text 对应到它的年龄，失败的为 None"})
def ages_map(ctx):
    texts = ["42", "abc", "200", "7"]
    before = ctx.known_tasks()
    got = ctx.client("ages", texts)
    ran = ctx.new_tasks(before, "parse_age")
    wanted = {"42": 42, "abc": None, "200": None, "7": 7}
    ctx.data.update(got=repr(got), ran=len(ran))
    ctx.expect(got == wanted and len(ran) >= len(texts),
               {"en": f"ages({texts!r}) to return {wanted!r}, with a parse_age task on a worker for each text",
                "zh": f"ages({texts!r}) 返回 {wanted!r}，且每个 text 都有一个 parse_age 任务在 worker 上运行"},
               {"en": f"it returned {got!r}; the workers ran {len(ran)} parse_age task(s)",
                "zh": f"它返回了 {got!r}；worker 运行了 {len(ran)} 个 parse_age 任务"})
