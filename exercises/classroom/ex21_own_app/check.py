"""Checks for exercise 21: python runner.py check 21"""
import json

from classroom.practice.checks import Checker
from classroom.runtime import waits

checker = Checker()


def own_tasks(ctx):
    prefix = ctx.module.__name__ + "."
    return sorted(name for name in ctx.app.tasks if name.startswith(prefix))


@checker.check({"en": "the worker has at least three tasks from your file", "zh": "worker 上至少有三个来自你文件的任务"})
def three_tasks(ctx):
    registered = waits.inspect(ctx.app, "registered")
    prefix = ctx.module.__name__ + "."
    mine = sorted({n.rsplit(".", 1)[-1] for names in registered.values() for n in names if n.startswith(prefix)})
    ctx.data["registered"] = mine
    ctx.expect(len(mine) >= 3, {"en": "at least 3 tasks of yours registered on the worker (celery inspect registered)",
                                "zh": "worker 上注册了至少 3 个你的任务（celery inspect registered）"},
               {"en": f"the worker knows {len(mine)}: {', '.join(mine) or 'none'}",
                "zh": f"worker 只认识 {len(mine)} 个：{', '.join(mine) or '没有'}"})


@checker.check({"en": "EXAMPLES has an example for each of your tasks", "zh": "EXAMPLES 为你的每个任务都提供了示例"})
def examples_cover_tasks(ctx):
    examples = getattr(ctx.module, "EXAMPLES", [])
    covered = {getattr(example[0], "name", "") for example in examples if len(example) == 3}
    missing = [name.rsplit(".", 1)[-1] for name in own_tasks(ctx) if name not in covered]
    ctx.expect(not missing, {"en": "one (task, args, expected result) entry in EXAMPLES for every task",
                             "zh": "EXAMPLES 里为每个任务准备一条 (任务, 参数, 期望结果)"},
               {"en": f"no example for: {', '.join(missing)}", "zh": f"这些任务没有示例：{', '.join(missing)}"})


@checker.check({"en": "every example runs on a worker and returns the result you expect",
                "zh": "每个示例都在 worker 上运行，并返回你期望的结果"})
def examples_pass(ctx):
    ctx.data["examples"] = []
    for task, args, expected in ctx.module.EXAMPLES:
        outcome = ctx.call(task, *args)
        ctx.data["examples"].append({"call": outcome.call, "value": outcome.value, "worker": outcome.worker})
        as_json = json.loads(json.dumps(expected))   # what a JSON round trip makes of it (tuples -> lists)
        ctx.expect_value(outcome, as_json)


@checker.explain({"en": "explain: a task returns the tuple (1, 2); what does the caller get? (TUPLE_COMES_BACK_AS, compared with a real worker)",
                  "zh": "解释：任务返回元组 (1, 2)，调用方拿到什么？（TUPLE_COMES_BACK_AS，与真实的 worker 对比）"})
def tuple_round_trip(ctx):
    missing = object()
    answer = getattr(ctx.module, "TUPLE_COMES_BACK_AS", missing)
    # celery.accumulate is built into every worker: with two arguments it returns them as a tuple.
    result = ctx.send(ctx.app.tasks["celery.accumulate"], 1, 2)
    real = ctx.value(result, "celery.accumulate(1, 2)")
    ctx.data.update(answer=repr(answer), real=repr(real))
    shown = "nothing" if answer is missing else repr(answer)
    ctx.expect(answer is not missing and type(answer) is type(real) and answer == real,
               {"en": f"TUPLE_COMES_BACK_AS to be what the caller really got back: {real!r}"
                      f" (a {type(real).__name__})",
                "zh": f"TUPLE_COMES_BACK_AS 是调用方实际拿到的值：{real!r}（类型 {type(real).__name__}）"},
               {"en": f"you answered {shown}; the worker returned (1, 2) and the caller got {real!r}",
                "zh": f"你的回答是 {'没有' if answer is missing else repr(answer)}；worker 返回了 (1, 2)，调用方拿到的是 {real!r}"})


@checker.stretch({"en": "stretch: every FAILING_EXAMPLES entry fails on the worker with the exception you name",
                  "zh": "挑战：FAILING_EXAMPLES 的每一条都在 worker 上以你写的异常失败"})
def failing_examples(ctx):
    examples = getattr(ctx.module, "FAILING_EXAMPLES", None)
    ctx.expect(isinstance(examples, (list, tuple)) and examples and all(len(e) == 3 for e in examples),
               {"en": "FAILING_EXAMPLES: a list of (task, args, exception class name)",
                "zh": "FAILING_EXAMPLES：一个 (任务, 参数, 异常类名) 的列表"},
               {"en": f"FAILING_EXAMPLES is {examples!r}", "zh": f"FAILING_EXAMPLES 是 {examples!r}"})
    ctx.data["failing"] = []
    for task, args, exc_name in examples:
        outcome = ctx.call(task, *args)
        ctx.data["failing"].append({"call": outcome.call, "state": outcome.state, "error": outcome.error})
        ctx.expect(outcome.state == "FAILURE" and outcome.exc_type == exc_name,
                   {"en": f"{outcome.call} to fail on the worker with {exc_name}",
                    "zh": f"{outcome.call} 在 worker 上以 {exc_name} 失败"}, outcome.said())
