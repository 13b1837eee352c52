"""Checks for exercise 5: python runner.py check 5"""
from classroom.practice.checks import Checker

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
