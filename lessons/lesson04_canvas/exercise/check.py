"""Checks for exercise 4: python runner.py check 4"""
from classroom.lessonkit import Checker

checker = Checker()


def returned(ctx, value, en, zh):
    ctx.fail({"en": en, "zh": zh}, {"en": f"it returned {value!r}", "zh": f"它返回了 {value!r}"})


@checker.check({"en": "squares(4) returns a GroupResult; four mul tasks give [0, 1, 4, 9]",
                "zh": "squares(4) 返回 GroupResult；四个 mul 任务得到 [0, 1, 4, 9]"})
def group_of_squares(ctx):
    before = ctx.known_tasks()
    result = ctx.client("squares", 4)
    if not hasattr(result, "results"):
        returned(ctx, result, "squares(4) to return the GroupResult of group(...).apply_async()",
                 "squares(4) 返回 group(...).apply_async() 得到的 GroupResult")
    values = ctx.value(result, "squares(4)")
    ran = ctx.new_tasks(before, "mul")
    ctx.data.update(values=values, workers=sorted({r.hostname for r in ran}))
    ctx.expect(values == [0, 1, 4, 9] and len(ran) == 4,
               {"en": "[0, 1, 4, 9] from four mul tasks run by workers", "zh": "四个由 worker 执行的 mul 任务得到 [0, 1, 4, 9]"},
               {"en": f"{values!r} from {len(ran)} mul task(s)", "zh": f"{len(ran)} 个 mul 任务得到 {values!r}"})


@checker.check({"en": "plus_one_times_ten(4) is a chain add(4, 1) | mul(10) that gives 50",
                "zh": "plus_one_times_ten(4) 是 add(4, 1) | mul(10) 组成的 chain，结果为 50"})
def chain_of_two(ctx):
    result = ctx.client("plus_one_times_ten", 4)
    if not hasattr(result, "parent"):
        returned(ctx, result, "plus_one_times_ten(4) to return the chain's AsyncResult",
                 "plus_one_times_ten(4) 返回 chain 的 AsyncResult")
    value = ctx.value(result, "plus_one_times_ten(4)")
    parent = result.parent
    first = ctx.value(parent, "add(4, 1)") if parent is not None else None
    ctx.data.update(value=value, parent=first)
    ctx.expect(value == 50 and first == 5,
               {"en": "50: mul(10) received 5, the result of add(4, 1), and the chain's result has add as its parent",
                "zh": "50：mul(10) 收到了 add(4, 1) 的结果 5，而且 chain 的结果以 add 为 parent"},
               {"en": f"the result was {value!r}; its parent's result was {first!r}",
                "zh": f"结果是 {value!r}；它的 parent 的结果是 {first!r}"})


@checker.check({"en": "sum_of_squares(4) is a chord: four mul tasks, then total([0, 1, 4, 9]) = 14",
                "zh": "sum_of_squares(4) 是一个 chord：四个 mul 任务，然后 total([0, 1, 4, 9]) = 14"})
def chord_total(ctx):
    before = ctx.known_tasks()
    result = ctx.client("sum_of_squares", 4)
    if not hasattr(result, "id"):
        returned(ctx, result, "sum_of_squares(4) to return the chord's AsyncResult (of total)",
                 "sum_of_squares(4) 返回 chord 的 AsyncResult（即 total 的结果）")
    value = ctx.value(result, "sum_of_squares(4)")
    squares, totals = ctx.new_tasks(before, "mul"), ctx.new_tasks(before, "total")
    ctx.data.update(value=value, mul=len(squares), total=len(totals))
    ctx.expect(value == 14 and len(squares) == 4 and len(totals) == 1,
               {"en": "14 from four mul tasks and one total task that received their results",
                "zh": "14：来自四个 mul 任务，以及一个收到它们结果的 total 任务"},
               {"en": f"{value!r}, with {len(squares)} mul and {len(totals)} total task(s) run",
                "zh": f"{value!r}，共运行了 {len(squares)} 个 mul 和 {len(totals)} 个 total 任务"})


@checker.explain({"en": "IMMUTABLE_CHAIN is the value add.s(4, 1) | mul.si(2, 3) really gives on a worker",
                  "zh": "IMMUTABLE_CHAIN 就是 add.s(4, 1) | mul.si(2, 3) 在 worker 上真正得到的值"})
def immutable_chain(ctx):
    answer = getattr(ctx.module, "IMMUTABLE_CHAIN", None)
    add, mul = ctx.task("add"), ctx.task("mul")
    result = ctx.send(add.s(4, 1) | mul.si(2, 3))
    real = ctx.value(result, "add.s(4, 1) | mul.si(2, 3)")
    ctx.data.update(answer=answer, real=real)
    ctx.expect(answer == real,
               {"en": f"IMMUTABLE_CHAIN to be {real!r}, what the worker computed",
                "zh": f"IMMUTABLE_CHAIN 为 {real!r}，也就是 worker 算出的值"},
               {"en": f"IMMUTABLE_CHAIN is {answer!r}; the chain gave {real!r}",
                "zh": f"IMMUTABLE_CHAIN 是 {answer!r}；chain 得到的是 {real!r}"})


@checker.stretch({"en": "stretch: batches(3) is a group of three chains that gives [0, 20, 40]",
                  "zh": "附加挑战：batches(3) 是三个 chain 组成的 group，结果为 [0, 20, 40]"})
def group_of_chains(ctx):
    before = ctx.known_tasks()
    result = ctx.client("batches", 3)
    if not hasattr(result, "results"):
        returned(ctx, result, "batches(3) to return a GroupResult", "batches(3) 返回 GroupResult")
    values = ctx.value(result, "batches(3)")
    adds, muls = ctx.new_tasks(before, "add"), ctx.new_tasks(before, "mul")
    ctx.data.update(values=values, add=len(adds), mul=len(muls))
    ctx.expect(values == [0, 20, 40] and len(adds) == 3 and len(muls) == 3,
               {"en": "[0, 20, 40] from three add and three mul tasks", "zh": "三个 add 和三个 mul 任务得到 [0, 20, 40]"},
               {"en": f"{values!r} from {len(adds)} add and {len(muls)} mul task(s)",
                "zh": f"{len(adds)} 个 add 和 {len(muls)} 个 mul 任务得到 {values!r}"})
