"""What `python runner.py lesson 13` plays. Each step's body is shown to the learner as it runs.

The project is demos/django_project (its app is proj.celery). Django is imported inside the steps:
the runner sets it up (the database service migrates a throwaway SQLite file) before the first one.
"""
from __future__ import annotations

import time
from datetime import datetime

from classroom.player.scenario import Scenario
from classroom.runtime.tracking import tracker

from .web import browser

scenario = Scenario()

NEEDS_WEB = {"en": "the web server is a separate process (runserver), and memory:// lives in this process only, "
                   "so a view there cannot reach this worker. Run: python runner.py lesson 13 --broker redis",
             "zh": "Web 服务器是一个单独的进程（runserver），而 memory:// 只存在于本进程中，"
                   "那里的视图够不着这里的 worker。请运行：python runner.py lesson 13 --broker redis"}


def bar(current: int, total: int, width: int = 10) -> str:
    filled = round(width * current / total) if total else 0
    return "█" * filled + "░" * (width - filled)


def received(name: str, since: float) -> list:
    """Tasks named `name` that a worker received since `since` (Celery events)."""
    time.sleep(0.3)                                   # events trail the task by a few milliseconds
    with tracker.lock:
        return [rec for rec in tracker.tasks.values()
                if rec.name.endswith(name) and (rec.received or 0) >= since]


@scenario.step(
    title={"en": "namespace='CELERY': the app reads CELERY_* from settings.py",
           "zh": "namespace='CELERY'：app 从 settings.py 读取 CELERY_* 设置"},
    explain={"en": "proj/celery.py calls config_from_object('django.conf:settings', namespace='CELERY'): "
                   "CELERY_BROKER_URL is broker_url, CELERY_TASK_TRACK_STARTED task_track_started. Without "
                   "the namespace Celery reads only the names it knew in Celery 3 (CELERY_RESULT_BACKEND, "
                   "CELERY_TIMEZONE happen to be among them) and silently ignores the rest: no broker_url, "
                   "so its default broker, amqp://guest@localhost.",
             "zh": "proj/celery.py 调用 config_from_object('django.conf:settings', namespace='CELERY')："
                   "CELERY_BROKER_URL 就是 broker_url，CELERY_TASK_TRACK_STARTED 就是 task_track_started。"
                   "不加 namespace，Celery 只认 Celery 3 时代的旧名字（CELERY_RESULT_BACKEND、CELERY_TIMEZONE "
                   "碰巧在其中），其余的一概悄悄忽略：没有 broker_url，于是用默认的 amqp://guest@localhost。"},
)
def namespace_celery(run):
    from celery import Celery

    from proj.celery import app

    without = Celery("no_namespace")
    without.config_from_object("django.conf:settings")          # the tutorials' version
    names = ("broker_url", "task_track_started", "beat_scheduler", "result_backend")
    rows = {name: (app.conf[name], without.conf[name]) for name in names}
    for name, (with_it, without_it) in rows.items():
        run.say(f"{name:19} {str(with_it)[-24:]:24} {str(without_it)[-24:]}")
    default_broker = without.connection_for_write().as_uri()
    run.say({"en": f"without the namespace the broker is {default_broker}",
             "zh": f"不加 namespace，消息代理是 {default_broker}"})
    run.data.update(with_namespace={k: str(a) for k, (a, _) in rows.items()},
                    without_namespace={k: str(b) for k, (_, b) in rows.items()}, default_broker=default_broker)
    run.expect(app.conf.broker_url == run.app.conf.broker_url and app.conf.task_track_started
               and app.conf.result_backend == "django-db" and "DatabaseScheduler" in app.conf.beat_scheduler,
               {"en": "with the namespace every CELERY_* setting is read",
                "zh": "加了 namespace，每个 CELERY_* 设置都被读到"})
    run.expect(without.conf.broker_url is None and not without.conf.task_track_started
               and "Persistent" in without.conf.beat_scheduler and default_broker.startswith("amqp://guest"),
               {"en": "without it CELERY_BROKER_URL, CELERY_TASK_TRACK_STARTED and CELERY_BEAT_SCHEDULER are "
                      "ignored: the default amqp:// broker",
                "zh": "不加它，CELERY_BROKER_URL、CELERY_TASK_TRACK_STARTED 和 CELERY_BEAT_SCHEDULER 都被忽略："
                      "用的是默认的 amqp:// 代理"})
    run.expect(without.conf.result_backend == "django-db",
               {"en": "...while CELERY_RESULT_BACKEND, an old Celery 3 name, is still read: half a configuration",
                "zh": "……而 CELERY_RESULT_BACKEND 作为 Celery 3 的旧名字仍然被读到：配置只生效了一半"})


@scenario.step(
    title={"en": "A view enqueues the task and answers at once",
           "zh": "视图把任务放进队列，立即返回"},
    explain={"en": "POST /api/reports/ creates a Report row and, inside transaction.atomic(), registers "
                   "on_commit(lambda: build_report.apply_async(...)): the message is sent once the row is "
                   "committed. The view answers 202 with the task id; the worker builds the report later.",
             "zh": "POST /api/reports/ 创建一行 Report，并在 transaction.atomic() 里登记 "
                   "on_commit(lambda: build_report.apply_async(...))：这行数据提交之后才发送消息。"
                   "视图返回 202 和任务 id；报告由 worker 稍后生成。"},
    modes=("redis", "rabbitmq"), unsupported=NEEDS_WEB,
)
def enqueue_from_request(run):
    from celery.result import AsyncResult

    web = browser(run)
    status, job, seconds = web.post_json("/api/reports/", {"title": "Q3", "pages": 6})
    result = AsyncResult(job["task_id"])
    state_at_reply = result.state
    finished = run.get(result)
    rec = run.records([result])[0]
    took = rec.ended - rec.started if rec and rec.started and rec.ended else 0.0
    run.show(result)
    run.say({"en": f"HTTP {status} in {seconds * 1000:.0f} ms; state then: {state_at_reply}; "
                   f"the worker took {took:.2f} s",
             "zh": f"HTTP {status}，用时 {seconds * 1000:.0f} 毫秒；当时的状态：{state_at_reply}；"
                   f"worker 用了 {took:.2f} 秒"})
    run.data.update(status=status, response_s=round(seconds, 3), task_s=round(took, 3),
                    state_at_reply=state_at_reply, result=finished)
    run.expect(status == 202 and seconds < took,
               {"en": f"202 Accepted in {seconds:.2f} s, before the {took:.2f} s of work was done",
                "zh": f"{seconds:.2f} 秒就返回 202 Accepted，早于 {took:.2f} 秒的工作完成"})
    run.expect(state_at_reply != "SUCCESS" and finished["pages"] == 6,
               {"en": "the reply came before the task finished; a worker built all 6 pages",
                "zh": "返回时任务还没完成；worker 生成了全部 6 页"})


@scenario.step(
    title={"en": "The status endpoint: state and progress",
           "zh": "状态接口：状态与进度"},
    explain={"en": "GET /api/tasks/<id>/ reads AsyncResult(id).state and .info from the result backend: "
                   "PENDING (no row yet: queued, or unknown), STARTED, PROGRESS with the meta the task "
                   "gave update_state(), SUCCESS. The page /reports/<id>/ asks it every 0.3 s and draws a bar.",
             "zh": "GET /api/tasks/<id>/ 从结果后端读取 AsyncResult(id).state 和 .info："
                   "PENDING（还没有记录：在排队，或者 id 不存在）、STARTED、带着任务交给 update_state() "
                   "的 meta 的 PROGRESS、SUCCESS。页面 /reports/<id>/ 每 0.3 秒问一次，并画出进度条。"},
    modes=("redis", "rabbitmq"), unsupported=NEEDS_WEB,
)
def poll_status(run):
    web = browser(run)
    _, job, _ = web.post_json("/api/reports/", {"title": "Q4", "pages": 5})
    seen = []
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        status = web.get_json(job["status_url"])
        step = (status["state"], status["current"], status["total"])
        if not seen or seen[-1] != step:
            seen.append(step)
            run.say(f"{status['state']:9} {bar(status['current'], status['total'])} {status['percent']:3} %")
        if status["state"] in ("SUCCESS", "FAILURE"):
            break
        time.sleep(0.05)
    code, page = web.get(job["page_url"])
    progress = [current for state, current, _ in seen if state == "PROGRESS"]
    run.data.update(states=[s for s, _, _ in seen], progress=progress, page_status=code,
                    page_polls=job["status_url"] in page)
    run.expect(seen and seen[-1] == ("SUCCESS", 5, 5) and "PROGRESS" in [s for s, _, _ in seen],
               {"en": "the endpoint went through PROGRESS to SUCCESS, 5 of 5 pages",
                "zh": "接口经过 PROGRESS，最后是 SUCCESS，5 页中的第 5 页"})
    run.expect(progress == sorted(progress) and len(set(progress)) >= 3,
               {"en": f"progress only went forward: pages {sorted(set(progress))}",
                "zh": f"进度只会向前：第 {sorted(set(progress))} 页"})
    run.expect(code == 200 and job["status_url"] in page,
               {"en": f"the page {job['page_url'][:18]}… polls that endpoint",
                "zh": f"页面 {job['page_url'][:18]}… 轮询的正是这个接口"})


@scenario.step(
    title={"en": "delay() vs on_commit() in a transaction that rolls back",
           "zh": "回滚的事务里：delay() 与 on_commit() 的区别"},
    explain={"en": "delay() inside transaction.atomic() sends the message at once: a worker may run before "
                   "the commit (it cannot see the row yet) or after a rollback (the row never existed). "
                   "on_commit(lambda: task.delay(...)) sends it only if the transaction commits. "
                   "Celery's Django task class has the same as task.delay_on_commit(...).",
             "zh": "在 transaction.atomic() 里调用 delay()，消息立即发出：worker 可能在提交之前就运行"
                   "（还看不到这行数据），也可能在回滚之后运行（这行数据根本不存在）。"
                   "on_commit(lambda: task.delay(...)) 只在事务提交时才发送。"
                   "Celery 为 Django 提供的任务类里，task.delay_on_commit(...) 做的是同一件事。"},
)
def on_commit_vs_delay(run):
    from django.db import transaction

    from jobs.models import Report
    from jobs.tasks import build_report

    class Rollback(Exception):
        """Anything that fails later in the request."""

    began = time.time()
    try:
        with transaction.atomic():
            report = Report.objects.create(title="never committed", pages=1)
            sent_now = build_report.delay(report.id)                       # sent at once
            transaction.on_commit(lambda: build_report.delay(report.id))   # sent at commit
            raise Rollback
    except Rollback:
        pass
    error = run.get(sent_now, propagate=False)
    committed = []
    with transaction.atomic():
        kept = Report.objects.create(title="committed", pages=1)
        transaction.on_commit(lambda: committed.append(build_report.delay(kept.id)))
    done = run.get(committed[0])
    ran = received("build_report", began)
    run.show(sent_now, {"en": "delay() in the rolled-back transaction", "zh": "回滚事务里的 delay()"})
    run.show(committed[0], {"en": "on_commit() after a commit", "zh": "提交后的 on_commit()"})
    run.data.update(delay_state=sent_now.state, delay_error=f"{type(error).__name__}: {error}",
                    ran=len(ran), rolled_back_id=report.id, committed_id=kept.id,
                    committed_state=committed[0].state, committed_result=done)
    run.expect(sent_now.state == "FAILURE" and "DoesNotExist" in type(error).__name__,
               {"en": f"the delay() task ran anyway and failed: {type(error).__name__}",
                "zh": f"delay() 发出的任务照样运行了，并且失败：{type(error).__name__}"})
    run.expect(len(ran) == 2,
               {"en": f"the worker received {len(ran)} build_report tasks: the delay() one and the committed "
                      "on_commit() one; the rolled-back on_commit() was never sent",
                "zh": f"worker 收到 {len(ran)} 个 build_report 任务：delay() 那个和已提交的 on_commit() 那个；"
                      "回滚事务里的 on_commit() 从未发送"})
    run.expect(done["title"] == "committed",
               {"en": "on_commit() sent the committed one, and the worker found its row",
                "zh": "on_commit() 发送了已提交的那个，worker 也找到了它的数据"})


@scenario.step(
    title={"en": "Results are rows in the database (django-celery-results)",
           "zh": "结果是数据库里的行（django-celery-results）"},
    explain={"en": "CELERY_RESULT_BACKEND = 'django-db': the worker stores each state as a TaskResult row "
                   "(table django_celery_results_taskresult). With CELERY_RESULT_EXTENDED the row also has "
                   "the task's name, arguments and worker. The admin lists them under Celery Results.",
             "zh": "CELERY_RESULT_BACKEND = 'django-db'：worker 把每个状态存成一行 TaskResult"
                   "（表 django_celery_results_taskresult）。设置了 CELERY_RESULT_EXTENDED，这一行还带着"
                   "任务名、参数和 worker。Django admin 在 Celery Results 下列出它们。"},
)
def results_in_database(run):
    from django_celery_results.models import TaskResult

    rows = list(TaskResult.objects.order_by("date_done"))
    for row in rows:
        run.say(f"{row.task_name.rsplit('.', 1)[-1]:13} {row.status:8} {row.task_args or '':10} "
                f"{row.date_done:%H:%M:%S}")
    mismatched = [row.task_id for row in rows if run.app.AsyncResult(row.task_id).state != row.status]
    run.data.update(rows=len(rows), statuses=sorted({row.status for row in rows}),
                    names=sorted({row.task_name for row in rows}), mismatched=mismatched,
                    workers=sorted({row.worker or "" for row in rows}))
    run.expect(len(rows) >= 2 and {"SUCCESS", "FAILURE"} <= {row.status for row in rows},
               {"en": f"{len(rows)} TaskResult rows, SUCCESS and FAILURE among them",
                "zh": f"{len(rows)} 行 TaskResult，其中有 SUCCESS，也有 FAILURE"})
    run.expect(not mismatched and all(row.task_name and row.worker for row in rows),
               {"en": "each row says what AsyncResult(id).state says, with the task's name and worker",
                "zh": "每一行与 AsyncResult(id).state 一致，并记着任务名和 worker"})


@scenario.step(
    title={"en": "A periodic task created in the database, sent by beat",
           "zh": "在数据库里创建的周期任务，由 beat 发送"},
    explain={"en": "With the DatabaseScheduler (django-celery-beat) beat reads PeriodicTask rows, not "
                   "beat_schedule. A row created through the ORM or the admin is noticed at beat's next tick "
                   "('Schedule changed'), without a restart. Beat adds the row's name to each message, so "
                   "every result row says which periodic task sent it.",
             "zh": "使用 DatabaseScheduler（django-celery-beat）时，beat 读取的是 PeriodicTask 表里的行，"
                   "而不是 beat_schedule。通过 ORM 或 admin 新建的一行，beat 在下一次 tick 时就会发现"
                   "（“Schedule changed”），无须重启。beat 在每条消息里带上这一行的名字，"
                   "所以每行结果都写明它是哪个周期任务发出的。"},
)
def periodic_in_database(run):
    from django_celery_results.models import TaskResult

    from jobs.periodic import schedule_heartbeat

    entry = schedule_heartbeat(every_seconds=1, name="heartbeat every second")
    run.sleep(3.5)
    entry.enabled = False                              # beat stops sending it at its next tick
    entry.save()
    rows = list(TaskResult.objects.filter(periodic_task_name=entry.name).order_by("date_done"))
    times = [row.date_done for row in rows]
    gaps = [round((b - a).total_seconds(), 2) for a, b in zip(times, times[1:])]
    changed = "Schedule changed" in run.session.services["beat"].log_tail(500)
    for row in rows:
        run.say(f"{row.periodic_task_name}: {row.status} {row.result} ")
    run.data.update(runs=len(rows), gaps_s=gaps, schedule_changed=changed,
                    scheduler=run.session.services["beat"].info["scheduler"],
                    statuses=sorted({row.status for row in rows}))
    run.expect(changed, {"en": "beat logged 'DatabaseScheduler: Schedule changed.' (no restart)",
                         "zh": "beat 记录了 “DatabaseScheduler: Schedule changed.”（无须重启）"})
    run.expect(len(rows) >= 2 and all(0.6 <= gap <= 1.5 for gap in gaps),
               {"en": f"beat sent it {len(rows)}× in 3.5 s, {gaps} s apart (every 1 s)",
                "zh": f"3.5 秒内 beat 发送了 {len(rows)} 次，间隔 {gaps} 秒（每 1 秒一次）"})


@scenario.step(
    title={"en": "Pass ids, not model instances",
           "zh": "传 id，而不是模型实例"},
    explain={"en": "A message is JSON: a model instance cannot be sent (EncodeError at delay()). A copy of "
                   "the row (a dict) can, but it is stale by the time the worker runs; an id lets the task "
                   "read the row as it is then. Here the title changes after both tasks were sent.",
             "zh": "消息是 JSON：模型实例发不出去（delay() 时就报 EncodeError）。这一行的副本（一个字典）"
                   "可以发，但等 worker 运行时它已经过时；传 id，任务就能读到运行那一刻的数据。"
                   "这里两个任务都发出之后，标题才被修改。"},
)
def ids_not_instances(run):
    from django.forms.models import model_to_dict
    from kombu.exceptions import EncodeError

    from jobs.models import Report
    from jobs.tasks import report_title, snapshot_title

    report = Report.objects.create(title="Draft", pages=1)
    try:
        report_title.delay(report)                                   # the instance itself
        refused = None
    except EncodeError as exc:
        refused = exc
    by_id = report_title.apply_async((report.id,), countdown=0.5)
    by_copy = snapshot_title.apply_async((model_to_dict(report),), countdown=0.5)
    report.title = "Final"                                           # the user edits it meanwhile
    report.save()
    seen_by_id, seen_in_copy = run.get(by_id), run.get(by_copy)
    run.say({"en": f"delay(report) -> {type(refused).__name__}: {refused}",
             "zh": f"delay(report) -> {type(refused).__name__}：{refused}"})
    run.show(by_id, {"en": "given the id", "zh": "拿到 id"})
    run.show(by_copy, {"en": "given a copy", "zh": "拿到副本"})
    run.data.update(refused=f"{type(refused).__name__}: {refused}", by_id=seen_by_id, by_copy=seen_in_copy,
                    when=datetime.now().isoformat())
    run.expect(isinstance(refused, EncodeError) and "not JSON serializable" in str(refused),
               {"en": "a model instance is refused when the message is made: not JSON serializable",
                "zh": "模型实例在生成消息时就被拒绝：not JSON serializable"})
    run.expect((seen_by_id, seen_in_copy) == ("Final", "Draft"),
               {"en": "the task given the id read 'Final'; the one given a copy still saw 'Draft'",
                "zh": "拿到 id 的任务读到 'Final'；拿到副本的那个看到的仍是 'Draft'"})
