"""What `python runner.py lesson 13` plays. Each step's body is shown to the learner as it runs.

The project is demos/django_project (its app is proj.celery). Django is imported inside the steps:
the runner sets it up (the database service migrates a throwaway SQLite file) before the first one.
"""
from __future__ import annotations

import time
from datetime import datetime

from classroom.lessonkit import Scenario

from .web import browser

scenario = Scenario()


def bar(current: int, total: int, width: int = 10) -> str:
    filled = round(width * current / total) if total else 0
    return "█" * filled + "░" * (width - filled)


@scenario.step()
def namespace_celery(run):
    from celery import Celery

    from proj.celery import app

    without = Celery("no_namespace")
    without.config_from_object("django.conf:settings")          # the tutorials' version
    names = ("broker_url", "task_track_started", "beat_scheduler", "result_backend")
    rows = {name: (app.conf[name], without.conf[name]) for name in names}
    for name, (with_it, without_it) in rows.items():
        run.echo(f"{name:19} {str(with_it)[-24:]:24} {str(without_it)[-24:]}")
    default_broker = without.connection_for_write().as_uri()
    run.say("default_broker", url=default_broker)
    run.data.update(with_namespace={k: str(a) for k, (a, _) in rows.items()},
                    without_namespace={k: str(b) for k, (_, b) in rows.items()}, default_broker=default_broker)
    run.expect(app.conf.broker_url == run.app.conf.broker_url and app.conf.task_track_started
               and app.conf.result_backend == "django-db" and "DatabaseScheduler" in app.conf.beat_scheduler,
               "all_read")
    run.expect(without.conf.broker_url is None and not without.conf.task_track_started
               and "Persistent" in without.conf.beat_scheduler and default_broker.startswith("amqp://guest"),
               "ignored_without")
    run.expect(without.conf.result_backend == "django-db", "half_a_configuration")


@scenario.step(needs="processes")
def enqueue_from_request(run):
    from celery.result import AsyncResult

    web = browser(run)
    status, job, seconds = web.post_json("/api/reports/", {"title": "Q3", "pages": 6})
    result = AsyncResult(job["task_id"])
    state_at_reply = result.state
    finished = run.get(result)
    took = run.task(result).seconds or 0.0
    run.show(result)
    run.say("reply_and_work", status=status, ms=seconds * 1000, state=state_at_reply, took=took)
    run.data.update(status=status, response_s=round(seconds, 3), task_s=round(took, 3),
                    state_at_reply=state_at_reply, result=finished)
    run.expect(status == 202 and seconds < took, "accepted_before", seconds=seconds, took=took)
    run.expect(state_at_reply != "SUCCESS" and finished["pages"] == 6, "reply_before_result")


@scenario.step(needs="processes")
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
            run.echo(f"{status['state']:9} {bar(status['current'], status['total'])} {status['percent']:3} %")
        if status["state"] in ("SUCCESS", "FAILURE"):
            break
        run.sleep(0.05)
    code, page = web.get(job["page_url"])
    progress = [current for state, current, _ in seen if state == "PROGRESS"]
    run.data.update(states=[s for s, _, _ in seen], progress=progress, page_status=code,
                    page_polls=job["status_url"] in page)
    run.expect(seen and seen[-1] == ("SUCCESS", 5, 5) and "PROGRESS" in [s for s, _, _ in seen], "went_through")
    run.expect(progress == sorted(progress) and len(set(progress)) >= 3, "only_forward", pages=sorted(set(progress)))
    run.expect(code == 200 and job["status_url"] in page, "page_polls", url=job["page_url"][:18])


@scenario.step()
def on_commit_vs_delay(run):
    from django.db import transaction

    from jobs.models import Report
    from jobs.tasks import build_report

    class Rollback(Exception):
        """Anything that fails later in the request."""

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
    ran = run.tasks().named("build_report")               # what the workers' events say was sent
    run.show(sent_now, "in_rolled_back")
    run.show(committed[0], "after_commit")
    run.data.update(delay_state=sent_now.state, delay_error=f"{type(error).__name__}: {error}",
                    ran=len(ran), rolled_back_id=report.id, committed_id=kept.id,
                    committed_state=committed[0].state, committed_result=done)
    run.expect(sent_now.state == "FAILURE" and "DoesNotExist" in type(error).__name__, "ran_anyway",
               error=type(error).__name__)
    run.expect(len(ran) == 2, "two_sent", count=len(ran))
    run.expect(done["title"] == "committed", "found_its_row")


@scenario.step()
def results_in_database(run):
    from django_celery_results.models import TaskResult

    rows = list(TaskResult.objects.order_by("date_done"))
    for row in rows:
        run.echo(f"{row.task_name.rsplit('.', 1)[-1]:13} {row.status:8} {row.task_args or '':10} "
                f"{row.date_done:%H:%M:%S}")
    mismatched = [row.task_id for row in rows if run.app.AsyncResult(row.task_id).state != row.status]
    run.data.update(rows=len(rows), statuses=sorted({row.status for row in rows}),
                    names=sorted({row.task_name for row in rows}), mismatched=mismatched,
                    workers=sorted({row.worker or "" for row in rows}))
    run.expect(len(rows) >= 2 and {"SUCCESS", "FAILURE"} <= {row.status for row in rows}, "rows", count=len(rows))
    run.expect(not mismatched and all(row.task_name and row.worker for row in rows), "rows_agree")


@scenario.step()
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
    changed = "Schedule changed" in run.service("beat").log_tail(500)
    for row in rows:
        run.echo(f"{row.periodic_task_name}: {row.status} {row.result} ")
    run.data.update(runs=len(rows), gaps_s=gaps, schedule_changed=changed,
                    scheduler=run.service("beat").info["scheduler"],
                    statuses=sorted({row.status for row in rows}))
    run.expect(changed, "schedule_changed")
    run.expect(len(rows) >= 2 and all(0.6 <= gap <= 1.5 for gap in gaps), "sent_by_beat", count=len(rows), gaps=gaps)


@scenario.step()
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
    run.echo(f"delay(report) -> {type(refused).__name__}: {refused}")
    run.show(by_id, "given_the_id")
    run.show(by_copy, "given_a_copy")
    run.data.update(refused=f"{type(refused).__name__}: {refused}", by_id=seen_by_id, by_copy=seen_in_copy,
                    when=datetime.now().isoformat())
    run.expect(isinstance(refused, EncodeError) and "not JSON serializable" in str(refused), "refused")
    run.expect((seen_by_id, seen_in_copy) == ("Final", "Draft"), "id_reads_now")
