"""Checks for exercise 8: python runner.py check 8"""
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
