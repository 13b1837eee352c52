"""Checks for exercise 6: python runner.py check 6 (one worker, so the limit is the worker's)."""
from classroom.lessonkit import Checker

checker = Checker()


def run_five(ctx, name, count=5):
    results = [ctx.send(name, i) for i in range(count)]      # all sent at once
    times = sorted(ctx.value(r, f"{name}({i})") for i, r in enumerate(results))
    return times[-1] - times[0]


@checker.check({"en": "five call_api tasks sent at once run about 0.2 s apart (5/s on the worker)",
                "zh": "同时发送的五个 call_api 任务大约每隔 0.2 秒执行一个（worker 上限每秒 5 个）"})
def limited(ctx):
    span = run_five(ctx, "call_api")
    ctx.data["span_s"] = span
    ctx.expect(span >= 0.6, {"en": "the five runs to spread over about 0.8 s (at least 0.6 s)",
                             "zh": "五次执行分散在大约 0.8 秒内（至少 0.6 秒）"},
               {"en": f"the worker ran all five within {span:.2f} s: no rate limit",
                "zh": f"worker 在 {span:.2f} 秒内就执行完了全部五个：没有限速"})


@checker.check({"en": "the limit belongs to call_api only: five health tasks run at once",
                "zh": "限速只作用于 call_api：五个 health 任务立即执行"})
def others_unaffected(ctx):
    span = run_five(ctx, "health")
    ctx.data["span_s"] = span
    ctx.expect(span < 0.5, {"en": "the five health runs within 0.5 s", "zh": "五次 health 在 0.5 秒内执行完"},
               {"en": f"they spread over {span:.2f} s: is a limit set for every task (task_default_rate_limit)?",
                "zh": f"它们分散在 {span:.2f} 秒内：是不是给所有任务都设置了限速（task_default_rate_limit）？"})


@checker.explain({"en": "TEN_SPAN_S is about the span the worker really takes to start ten call_api tasks",
                  "zh": "TEN_SPAN_S 接近 worker 启动十个 call_api 任务真正用去的时间"})
def ten_span(ctx):
    answer = getattr(ctx.module, "TEN_SPAN_S", None)
    span = run_five(ctx, "call_api", 10)
    ctx.data.update(answer=answer, span_s=span)
    ok = isinstance(answer, (int, float)) and not isinstance(answer, bool) and abs(answer - span) <= 0.4
    ctx.expect(ok, {"en": f"TEN_SPAN_S within 0.4 s of the {span:.2f} s the worker took",
                    "zh": f"TEN_SPAN_S 与 worker 实际用去的 {span:.2f} 秒相差不超过 0.4 秒"},
               {"en": f"TEN_SPAN_S is {answer!r}; the ten started over {span:.2f} s",
                "zh": f"TEN_SPAN_S 是 {answer!r}；十个任务在 {span:.2f} 秒内陆续开始"})


@checker.stretch({"en": "stretch: five bulk_api tasks run about 0.1 s apart (10/s from the configuration)",
                  "zh": "附加挑战：五个 bulk_api 任务大约每隔 0.1 秒执行一个（配置里的每秒 10 个）"})
def limit_from_configuration(ctx):
    span = run_five(ctx, "bulk_api")
    ctx.data["span_s"] = span
    ctx.expect(0.25 <= span < 0.75, {"en": "the five runs to spread over about 0.4 s", "zh": "五次执行分散在大约 0.4 秒内"},
               {"en": f"they spread over {span:.2f} s", "zh": f"它们分散在 {span:.2f} 秒内"})
