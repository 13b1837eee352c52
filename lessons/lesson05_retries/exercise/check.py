"""Checks for exercise 5: python runner.py check 5"""
from classroom.lessonkit import Checker, task_run

checker = Checker()


@checker.check({"en": "fetch() fails twice, retries with self.retry and succeeds: 'pong after 2 retries'",
                "zh": "fetch() 失败两次，用 self.retry 重试后成功：'pong after 2 retries'"})
def manual_retry(ctx):
    ctx.expect_value(ctx.call("fetch"), "pong after 2 retries")


@checker.check({"en": "fetch_auto() is retried by Celery (autoretry_for) and succeeds: 'pong after 2 retries'",
                "zh": "fetch_auto() 由 Celery 自动重试（autoretry_for）后成功：'pong after 2 retries'"})
def automatic_retry(ctx):
    ctx.expect_value(ctx.call("fetch_auto"), "pong after 2 retries")


@checker.check({"en": "always_down() is retried twice, then ends in FAILURE with ConnectionError (attempt 2)",
                "zh": "always_down() 重试两次后以 FAILURE 结束，异常为 ConnectionError（attempt 2）"})
def gives_up(ctx):
    outcome = ctx.call("always_down")
    ctx.data.update(state=outcome.state, error=outcome.error)
    ctx.expect(outcome.state == "FAILURE" and outcome.error == "ConnectionError: service down (attempt 2)",
               {"en": "FAILURE with 'ConnectionError: service down (attempt 2)': two retries, then Celery gives up",
                "zh": "FAILURE，异常为 'ConnectionError: service down (attempt 2)'：重试两次后 Celery 放弃"},
               outcome.said())


@checker.explain({"en": "FETCH_RUNS is how many times the worker really ran fetch (first run and retries)",
                  "zh": "FETCH_RUNS 就是 worker 真正运行 fetch 的次数（第一次加上每次重试）"})
def runs_counted(ctx):
    answer = getattr(ctx.module, "FETCH_RUNS", None)
    result = ctx.send("fetch")
    ctx.value(result, "fetch()")
    runs = len(task_run(result).attempts)        # the attempts the worker's events reported
    ctx.data.update(answer=answer, runs=runs)
    ctx.expect(answer == runs,
               {"en": f"FETCH_RUNS to be {runs}, the runs the worker reported", "zh": f"FETCH_RUNS 为 {runs}，即 worker 报告的运行次数"},
               {"en": f"FETCH_RUNS is {answer!r}; the worker started fetch {runs} time(s)",
                "zh": f"FETCH_RUNS 是 {answer!r}；worker 启动了 {runs} 次 fetch"})


@checker.stretch({"en": "stretch: fetch_or_offline() retries twice, then succeeds with 'offline after 2 retries'",
                  "zh": "附加挑战：fetch_or_offline() 重试两次后成功返回 'offline after 2 retries'"})
def falls_back(ctx):
    ctx.expect_value(ctx.call("fetch_or_offline"), "offline after 2 retries")
