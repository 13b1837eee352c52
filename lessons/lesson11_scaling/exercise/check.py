"""Checks for exercise 11: python runner.py check 11 (workers "io": threads -c 8, "cpu": prefork -c 2)."""
from classroom.lessonkit import Checker, TaskRuns, task_run

checker = Checker()


def ran_on(ctx, name: str, *args) -> str:
    """Which worker ran one `name` task (from the workers' own events); the check fails if none did."""
    result = ctx.send(name, *args)
    ctx.value(result, f"{name}{args!r}")
    return ctx.worker_of(result).split("@")[0]


@checker.check({"en": "fetch_page runs on the 'io' worker and crunch on the 'cpu' worker, routed by name",
                "zh": "fetch_page 由 'io' worker 执行，crunch 由 'cpu' worker 执行，按任务名路由"})
def routed(ctx):
    io, cpu = ran_on(ctx, "fetch_page", "https://example.com"), ran_on(ctx, "crunch", 1000)
    ctx.data.update(fetch_page=io, crunch=cpu)
    ctx.expect((io, cpu) == ("io", "cpu"), {"en": "fetch_page on io, crunch on cpu", "zh": "fetch_page 在 io 上，crunch 在 cpu 上"},
               {"en": f"fetch_page ran on {io or 'no worker'}, crunch on {cpu or 'no worker'}",
                "zh": f"fetch_page 在 {io or '没有 worker'} 上执行，crunch 在 {cpu or '没有 worker'} 上执行"})


@checker.explain({"en": "EIGHT_PAGES_S is about the time eight fetch_page tasks really take on the threads worker",
                  "zh": "EIGHT_PAGES_S 接近八个 fetch_page 任务在 threads worker 上真正用去的时间"})
def eight_pages(ctx):
    answer = getattr(ctx.module, "EIGHT_PAGES_S", None)
    results = [ctx.send("fetch_page", f"https://example.com/{i}") for i in range(8)]
    for i, r in enumerate(results):
        ctx.value(r, f"fetch_page({i})")
    span = TaskRuns(task_run(r) for r in results).span()   # first start to last end, from the worker's events
    ctx.data.update(answer=answer, span_s=round(span, 3))
    ok = isinstance(answer, (int, float)) and not isinstance(answer, bool) and abs(answer - span) <= 0.15
    ctx.expect(ok, {"en": f"EIGHT_PAGES_S within 0.15 s of the {span:.2f} s the worker took",
                    "zh": f"EIGHT_PAGES_S 与 worker 实际用去的 {span:.2f} 秒相差不超过 0.15 秒"},
               {"en": f"EIGHT_PAGES_S is {answer!r}; the eight took {span:.2f} s",
                "zh": f"EIGHT_PAGES_S 是 {answer!r}；这八个任务用了 {span:.2f} 秒"})


@checker.stretch({"en": "stretch: resize_image runs on the 'cpu' worker too",
                  "zh": "附加挑战：resize_image 也由 'cpu' worker 执行"})
def stretch_route(ctx):
    where = ran_on(ctx, "resize_image", 1000)
    ctx.data["resize_image"] = where
    ctx.expect(where == "cpu", {"en": "resize_image on cpu", "zh": "resize_image 在 cpu 上"},
               {"en": f"it ran on {where or 'no worker'}", "zh": f"它在 {where or '没有 worker'} 上执行"})
