import json

from celery import states
from celery.result import AsyncResult
from celery.utils import uuid
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from .models import Report
from .tasks import build_report


MAX_PAGES = 50


@require_GET
def index(request):
    """A form that starts a report (the page sends the CSRF token with its POST)."""
    return render(request, "jobs/index.html")


@require_POST
def start_report(request):
    """POST {"title": ..., "pages": N}: create the row, enqueue the task, answer 202 at once.
    N is kept between 1 and MAX_PAGES (a demo's worker should not be busy for minutes); the reply
    says how many pages were accepted."""
    try:
        data = json.loads(request.body or b"{}")
        pages = max(1, min(int(data.get("pages", 5)), MAX_PAGES))
    except (ValueError, TypeError):
        return JsonResponse({"error": "send JSON like {\"title\": \"Q3\", \"pages\": 5}"}, status=400)
    with transaction.atomic():
        report = Report.objects.create(title=str(data.get("title") or "Report"), pages=pages)
        # The id is chosen now, so the reply can say where to poll; the message is sent only once
        # the row is committed: a worker that starts at once finds it, a rollback sends nothing.
        task_id = uuid()
        transaction.on_commit(lambda: build_report.apply_async((report.id,), task_id=task_id))
    return JsonResponse({"report": report.id, "pages": pages, "task_id": task_id,
                         "status_url": reverse("task_status", args=[task_id]),
                         "page_url": reverse("progress_page", args=[task_id])}, status=202)


@require_GET
def task_status(request, task_id):
    """The task's state and progress, read from the result backend (the TaskResult table)."""
    result = AsyncResult(task_id)
    # One read of the backend for the state and its data together. `result.state` then `result.info`
    # are two reads: a task that finishes in between looks like PROGRESS carrying its final result.
    meta = result.backend.get_task_meta(result.id)
    state, info = meta["status"], meta["result"]
    body = {"task_id": task_id, "state": state, "current": 0, "total": 0, "percent": 0}
    if state == "PROGRESS" and isinstance(info, dict):
        body.update(current=info.get("current", 0), total=info.get("total", 0))
    elif state == states.SUCCESS:
        pages = info.get("pages", 0) if isinstance(info, dict) else 0
        body.update(current=pages, total=pages, result=info)
    elif state in states.PROPAGATE_STATES:
        body["error"] = repr(info)
    if state == states.SUCCESS:
        body["percent"] = 100
    elif body["total"]:
        body["percent"] = round(100 * body["current"] / body["total"])
    return JsonResponse(body)


@require_GET
def progress_page(request, task_id):
    """A page that polls task_status and draws a progress bar."""
    return render(request, "jobs/progress.html", {"task_id": task_id,
                                                  "status_url": reverse("task_status", args=[task_id])})
