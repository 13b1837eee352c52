"""A periodic task created through the ORM (the admin's "Periodic tasks" page does the same)."""
from django_celery_beat.models import IntervalSchedule, PeriodicTask


def schedule_heartbeat(every_seconds=10, name="heartbeat"):
    """Create (or update) the PeriodicTask row that makes beat send jobs.tasks.heartbeat."""
    interval, _ = IntervalSchedule.objects.get_or_create(every=every_seconds, period=IntervalSchedule.SECONDS)
    task, _ = PeriodicTask.objects.update_or_create(
        name=name, defaults={"task": "jobs.tasks.heartbeat", "interval": interval, "enabled": True})
    return task
