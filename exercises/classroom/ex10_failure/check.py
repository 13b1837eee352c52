"""Checks for exercise 10: python runner.py check 10"""
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
