"""Checks for exercise 22: python runner.py check 22"""
from celery.utils import uuid

from classroom.practice.checks import Checker

checker = Checker()
TASKS = ("add", "shout", "word_count")


@checker.check({"en": "send_all() sends add, shout and word_count, each with two different arguments, and the workers compute them right",
                "zh": "send_all() 发送 add、shout 和 word_count，每个都用两组不同的参数，worker 的计算结果正确"})
def sent_with_different_arguments(ctx):
    results = ctx.client("send_all")
    results = list(results) if isinstance(results, (list, tuple)) else []
    calls = {}
    rows = []
    for result in results:
        if not hasattr(result, "id"):
            ctx.fail({"en": "a list of AsyncResults", "zh": "一个 AsyncResult 列表"},
                     {"en": f"the list holds {result!r}", "zh": f"列表里是 {result!r}"})
        outcome = ctx.outcome(result, result.id[:8])
        name, args = result.name or "", result.args or []          # stored with the result (result_extended)
        here = ctx.app.tasks[name](*args) if name in ctx.app.tasks else None   # the same call, run locally
        rows.append(f"{name.rsplit('.', 1)[-1]}{tuple(args)} -> {outcome.value!r}")
        ctx.expect(outcome.value == here and outcome.state == "SUCCESS",
                   {"en": f"the worker to return {here!r} for {rows[-1].split(' ->')[0]}",
                    "zh": f"worker 对 {rows[-1].split(' ->')[0]} 返回 {here!r}"}, outcome.said())
        calls.setdefault(name.rsplit(".", 1)[-1], set()).add(repr(args))
    ctx.data.update(rows=rows)
    short = [t for t in TASKS if len(calls.get(t, ())) < 2]
    ctx.expect(not short, {"en": "each of add, shout, word_count sent with at least two different arguments",
                           "zh": "add、shout、word_count 每个至少用两组不同的参数发送"},
               {"en": f"send_all() returned {len(results)} result(s): {rows or 'none'}; too few calls of: {', '.join(short)}",
                "zh": f"send_all() 返回了 {len(results)} 个结果：{rows or '没有'}；调用次数不够的任务：{', '.join(short)}"})


@checker.check({"en": "collect(results) returns every value in order, each waited for with a timeout",
                "zh": "collect(results) 按顺序返回每个值，且每次等待都带 timeout"})
def collected_in_order(ctx):
    results = ctx.client("send_all")
    values = [ctx.outcome(r, r.id[:8]).value for r in results]
    collected = ctx.client("collect", results)
    ctx.data.update(values=values, collected=collected)
    ctx.expect(list(collected or []) == values, {"en": f"collect(...) to return {values!r}",
                                                 "zh": f"collect(...) 返回 {values!r}"},
               {"en": f"it returned {collected!r}", "zh": f"它返回了 {collected!r}"})


@checker.explain({"en": "explain: what state does an id nobody knows have? (UNKNOWN_ID_STATE, asked of the real backend)",
                  "zh": "解释：一个没人认识的 id 是什么状态？（UNKNOWN_ID_STATE，询问真实的结果后端）"})
def unknown_id_state(ctx):
    answer = getattr(ctx.module, "UNKNOWN_ID_STATE", None)
    real = ctx.app.AsyncResult(uuid()).state          # a fresh id: no task ever had it
    ctx.data.update(answer=answer, real=real)
    ctx.expect(isinstance(answer, str) and answer.strip().upper() == real,
               {"en": f"UNKNOWN_ID_STATE to be the state the backend really reports: {real!r}",
                "zh": f"UNKNOWN_ID_STATE 是结果后端实际报告的状态：{real!r}"},
               {"en": f"you answered {answer!r}; the backend says {real!r} for an id nobody knows",
                "zh": f"你的回答是 {answer!r}；对一个没人认识的 id，结果后端报告的是 {real!r}"})


@checker.stretch({"en": "stretch: send_group() sends the six calls as one group, and each value is right",
                  "zh": "挑战：send_group() 把六个调用作为一个 group 发送，每个值都正确"})
def sent_as_group(ctx):
    job = ctx.client("send_group")
    children = list(getattr(job, "results", None) or [])
    ctx.expect(len(children) >= 6 and all(hasattr(r, "id") for r in children),
               {"en": "a GroupResult with at least six results", "zh": "一个至少包含六个结果的 GroupResult"},
               {"en": f"send_group() returned {job!r}", "zh": f"send_group() 返回了 {job!r}"})
    values = ctx.value(job, "send_group()")
    rows = []
    for result, value in zip(children, values):
        name, args = result.name or "", result.args or []
        here = ctx.app.tasks[name](*args) if name in ctx.app.tasks else None
        rows.append(f"{name.rsplit('.', 1)[-1]}{tuple(args)} -> {value!r}")
        ctx.expect(value == here, {"en": f"the worker to return {here!r} for {rows[-1].split(' ->')[0]}",
                                   "zh": f"worker 对 {rows[-1].split(' ->')[0]} 返回 {here!r}"},
                   {"en": f"it returned {value!r}", "zh": f"它返回了 {value!r}"})
    ctx.data["rows"] = rows
