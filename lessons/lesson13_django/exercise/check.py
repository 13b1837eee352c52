"""Checks for exercise 13: python runner.py check 13.

Your functions run inside real Django transactions (django.db.transaction on an in-memory SQLite
database, set up here in the checker) that commit or roll back; a real worker runs what was sent.
What was sent is counted where it is sent: Celery's before_task_publish signal in this process.
"""
import threading

import django
from celery.signals import before_task_publish
from django.conf import settings

from classroom.lessonkit import Checker, ClassroomError, bounded, bounds, describe_exception, t

if not settings.configured:
    settings.configure(DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
                       USE_TZ=True)
    django.setup()

from django.db import transaction  # noqa: E402 - after the settings

checker = Checker()


class Report:
    """What a view holds: a model instance (not JSON serializable), with its id."""

    def __init__(self, id, title):
        self.id, self.title = id, title

    def __repr__(self):
        return f"<Report {self.id}: {self.title}>"


class Rollback(Exception):
    pass


class Sent:
    """The build_report messages published while it is open (thread-safe)."""

    def __init__(self):
        self.ids, self.lock = [], threading.Lock()

    def __call__(self, sender=None, headers=None, **_kw):
        if str(sender).endswith("build_report"):
            with self.lock:
                self.ids.append((headers or {}).get("id"))

    def __enter__(self):
        before_task_publish.connect(self, weak=False)
        return self

    def __exit__(self, *exc):
        before_task_publish.disconnect(self)


def in_transaction(ctx, name, report, commit, inside=None):
    """Call the student's `name(report)` inside transaction.atomic(), then commit or roll back.
    `inside(returned)` runs before the commit. Returns (what it returned, ids of the messages sent)."""
    func = getattr(ctx.module, name, None)
    if not callable(func):
        ctx.fail(t("practice.exp_function", name=name), t("practice.no_such_name", name=name))
    call = f"{name}({report!r}) in a transaction that {'commits' if commit else 'rolls back'}"

    def body():
        returned = None
        try:
            with transaction.atomic():
                returned = func(report)
                if inside:
                    inside(returned)
                if not commit:
                    raise Rollback
        except Rollback:
            pass
        return returned

    with Sent() as sent:
        try:
            returned = bounded(body, bounds.EXERCISE_CALL_S)
        except ClassroomError:
            ctx.timed_out = True
            ctx.fail(t("practice.exp_returns", call=call), t("practice.call_timeout", call=call,
                                                             seconds=bounds.EXERCISE_CALL_S))
        except Exception as exc:
            ctx.fail(t("practice.exp_returns", call=call),
                     t("practice.call_raised", call=call, error=describe_exception(exc, ctx.file)))
    return returned, list(sent.ids)


@checker.check({"en": "start_build sends the report's id (JSON), and the worker builds that report",
                "zh": "start_build 发送的是报告的 id（JSON），worker 生成的正是那份报告"})
def sends_the_id(ctx):
    _, sent = in_transaction(ctx, "start_build", Report(7, "Q3"), commit=True)
    ctx.data["sent"] = len(sent)
    ctx.expect(len(sent) == 1, {"en": "one build_report message once the transaction commits",
                                "zh": "事务提交后发出一条 build_report 消息"},
               {"en": f"{len(sent)} were sent", "zh": f"发出了 {len(sent)} 条"})
    out = ctx.outcome(ctx.app.AsyncResult(sent[0]), "build_report")
    ctx.expect_value(out, {"report": 7})


@checker.check({"en": "after a rollback start_build has sent nothing at all",
                "zh": "事务回滚之后，start_build 什么也没有发送"})
def nothing_after_rollback(ctx):
    _, sent = in_transaction(ctx, "start_build", Report(8, "never committed"), commit=False)
    ctx.data["sent"] = len(sent)
    ctx.expect(not sent, {"en": "no build_report message: the row the task would read was rolled back",
                          "zh": "没有 build_report 消息：任务要读的那一行已经回滚"},
               {"en": f"{len(sent)} message(s) went out during the transaction; a worker ran build_report "
                      "for a report that does not exist",
                "zh": f"事务进行中就发出了 {len(sent)} 条消息；worker 为一份不存在的报告运行了 build_report"})


@checker.explain({"en": "explain: how many build_report tasks run after the rolled-back block? (RUNS_AFTER_ROLLBACK, compared with a real run)",
                  "zh": "解释：那个回滚的代码块执行后，会运行几个 build_report 任务？（RUNS_AFTER_ROLLBACK，与真实运行对比）"})
def predicted_runs(ctx):
    answer = getattr(ctx.module, "RUNS_AFTER_ROLLBACK", None)
    task = ctx.task("build_report")
    before = ctx.known_tasks()

    def block():
        try:
            with transaction.atomic():
                task.delay(1)
                transaction.on_commit(lambda: task.delay(2))
                raise Rollback
        except Rollback:
            pass

    bounded(block, bounds.EXERCISE_CALL_S)
    runs = ctx.new_tasks(before, "build_report")
    values = sorted(ctx.value(ctx.app.AsyncResult(r.id), "build_report")["report"] for r in runs)
    ctx.data.update(answer=answer, runs=len(runs), values=values)
    ok = isinstance(answer, int) and not isinstance(answer, bool) and answer == len(runs)
    ctx.expect(ok, {"en": f"RUNS_AFTER_ROLLBACK to be the real count ({len(runs)})",
                    "zh": f"RUNS_AFTER_ROLLBACK 等于实际次数（{len(runs)}）"},
               {"en": f"you answered {answer!r}; the worker ran build_report for {values}",
                "zh": f"你的回答是 {answer!r}；worker 为 {values} 运行了 build_report"})


@checker.stretch({"en": "stretch: start_tracked returns the task id before the commit; the worker runs that id after it",
                  "zh": "挑战：start_tracked 在提交前就返回任务 id；提交后 worker 运行的正是这个 id"})
def tracked(ctx):
    early = []
    returned, sent = in_transaction(ctx, "start_tracked", Report(9, "tracked"), commit=True,
                                    inside=lambda task_id: early.append(task_id))
    ctx.data.update(returned=returned, sent=sent)
    ctx.expect(isinstance(returned, str) and sent == [returned],
               {"en": "a task id (a string) returned at once, and one message with that id sent at commit",
                "zh": "立即返回一个任务 id（字符串），提交时发出一条带着这个 id 的消息"},
               {"en": f"returned {returned!r}; messages sent: {sent}", "zh": f"返回 {returned!r}；发出的消息：{sent}"})
    ctx.expect_value(ctx.outcome(ctx.app.AsyncResult(returned), "build_report"), {"report": 9})
