"""The demo's tasks. @shared_task: they belong to whichever app is current (proj.celery's).

A task gets ids and plain values (JSON), never model instances: it reads the row when it runs,
so it sees the data as it is then, not a copy taken when the request was made.
"""
import time

from celery import shared_task
from django.utils import timezone

from .models import Report


@shared_task(bind=True)
def build_report(self, report_id, seconds_per_page=0.2):
    """Build a report page by page, reporting progress (the status page draws it as a bar)."""
    report = Report.objects.get(pk=report_id)          # the committed row, read now
    report.status = "building"
    report.save(update_fields=["status"])
    for page in range(1, report.pages + 1):
        time.sleep(seconds_per_page)                   # the slow part
        self.update_state(state="PROGRESS", meta={"current": page, "total": report.pages})
    report.status = "done"
    report.save(update_fields=["status"])
    return {"report": report.id, "title": report.title, "pages": report.pages}


@shared_task
def report_title(report_id):
    """Given an id: the title as it is in the database when the task runs."""
    return Report.objects.get(pk=report_id).title


@shared_task
def snapshot_title(snapshot):
    """Given a copy of the row (a dict): the title as it was when the copy was made."""
    return snapshot["title"]


@shared_task
def heartbeat():
    """A periodic task: beat sends it on the schedule stored in the database."""
    return f"alive at {timezone.now():%H:%M:%S}"
