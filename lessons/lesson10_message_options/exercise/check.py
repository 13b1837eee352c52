"""Checks for exercise 10: python runner.py check 10 (one worker, one process: the broker's order is the order)."""
from classroom.lessonkit import Checker

checker = Checker()
REAL_BROKERS = ("redis", "rabbitmq")
NO_PRIORITIES = {"en": "The memory transport ignores priorities (one FIFO list per queue), so no order can be "
                       "measured here. Run: python runner.py check 10 --broker redis (or --broker rabbitmq)",
                 "zh": "内存传输会忽略优先级（每个队列只有一个先进先出列表），这里测不出顺序。请运行："
                       "python runner.py check 10 --broker redis（或 --broker rabbitmq）"}


def ran_in_order(ctx, sends):
    """Keep the worker busy (one task running, one in its prefetch slot), send `sends` [(task, label,
    options)], and return their labels in the order the worker started them."""
    held = [ctx.send("busy", 0.5), ctx.send("busy", 0.1)]
    ctx.run.wait_until(lambda: ctx.run.task(held[0], settle=0).started and ctx.run.task(held[1], settle=0).received,
                       3.0, 0.01)
    results = [ctx.send(task, label, **options) for task, label, options in sends]
    labels = {r.id: ctx.value(r, f"{task}({label!r})") for r, (task, label, _) in zip(results, sends)}
    return [labels[run.id] for run in ctx.run.tasks(results).by_start()]


@checker.check({"en": "the worker consumes `jobs` as a priority queue (x-max-priority, 10)",
                "zh": "worker 把 `jobs` 当作优先级队列来消费（x-max-priority 为 10）"})
def priority_queue(ctx):
    replies = ctx.run.inspect("active_queues")
    queues = [q for qs in replies.values() for q in qs or [] if q["name"] == "jobs"]
    found = queues[0].get("max_priority") or (queues[0].get("queue_arguments") or {}).get("x-max-priority") if queues else None
    ctx.data["max_priority"] = found
    ctx.expect(found == 10, {"en": "the worker's `jobs` queue declared with max_priority 10",
                             "zh": "worker 的 `jobs` 队列声明时带 max_priority 10"},
               {"en": f"the worker reports `jobs` with max_priority {found!r}",
                "zh": f"worker 报告的 `jobs` 队列 max_priority 为 {found!r}"})


@checker.check({"en": "urgent jobs run first, then normal, then bulk, measured on the worker",
                "zh": "实测：紧急任务最先执行，然后是普通任务，最后是批量任务"},
               modes=REAL_BROKERS, unsupported=NO_PRIORITIES)
def urgent_first(ctx):
    numbers = ctx.client("priorities")
    ctx.data["priorities"] = numbers
    plan = [(level, n) for n in (1, 2) for level in ("bulk", "normal", "urgent")]
    order = ran_in_order(ctx, [("job", f"{level}{n}", {"priority": numbers[level]}) for level, n in plan])
    ctx.data["order"] = order
    wanted = ["urgent1", "urgent2", "normal1", "normal2", "bulk1", "bulk2"]
    ctx.expect(order == wanted, {"en": f"on {ctx.mode}: {' '.join(wanted)}", "zh": f"在 {ctx.mode} 上：{' '.join(wanted)}"},
               {"en": f"with {numbers} the worker ran: {' '.join(order)}",
                "zh": f"用 {numbers}，worker 的执行顺序是：{' '.join(order)}"})


@checker.explain({"en": "NO_PRIORITY_VS_5 says where a job without a priority runs, next to one with 5",
                  "zh": "NO_PRIORITY_VS_5 说出了不带优先级的任务与优先级为 5 的任务谁先执行"},
                 modes=REAL_BROKERS, unsupported=NO_PRIORITIES)
def no_priority(ctx):
    answer = (getattr(ctx.module, "NO_PRIORITY_VS_5", None) or {}).get(ctx.mode)
    order = ran_in_order(ctx, [("job", "five", {"priority": 5}), ("job", "none", {})])
    measured = "before" if order.index("none") < order.index("five") else "after"
    ctx.data.update(answer=answer, measured=measured, order=order)
    ctx.expect(answer == measured, {"en": f"NO_PRIORITY_VS_5[{ctx.mode!r}] == {measured!r}, as the worker ran them",
                                    "zh": f"NO_PRIORITY_VS_5[{ctx.mode!r}] == {measured!r}，与 worker 的执行顺序一致"},
               {"en": f"it is {answer!r}; the worker ran: {' '.join(order)}",
                "zh": f"它是 {answer!r}；worker 的执行顺序是：{' '.join(order)}"})


@checker.stretch({"en": "stretch: alert, sent without a priority, runs ahead of bulk and normal jobs",
                  "zh": "附加挑战：不带优先级发送的 alert 排在批量和普通任务前面执行"},
                 modes=REAL_BROKERS, unsupported=NO_PRIORITIES)
def alert_first(ctx):
    numbers = ctx.client("priorities")
    order = ran_in_order(ctx, [("job", "bulk", {"priority": numbers["bulk"]}),
                               ("job", "normal", {"priority": numbers["normal"]}), ("alert", "alert", {})])
    ctx.data["order"] = order
    ctx.expect(order[0] == "alert", {"en": "alert first", "zh": "alert 最先执行"},
               {"en": f"the worker ran: {' '.join(order)}", "zh": f"worker 的执行顺序是：{' '.join(order)}"})
