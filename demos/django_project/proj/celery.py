"""The Celery app of the Django project.

Usage::

    # terminal 1, in demos/django_project: the worker (it finds jobs/tasks.py by itself)
    celery -A proj worker -l info

    # terminal 2: beat, reading its schedule from the database (django-celery-beat)
    celery -A proj beat -l info

    # terminal 3: the web server; open http://127.0.0.1:8000/
    python manage.py runserver
"""
import os

from celery import Celery

# setdefault: a DJANGO_SETTINGS_MODULE already in the environment wins (another settings file).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")

app = Celery("proj")

# namespace="CELERY": read CELERY_BROKER_URL, CELERY_RESULT_BACKEND, ... from settings.py.
# Without it Celery looks for broker_url, finds nothing, and silently uses its default broker.
app.config_from_object("django.conf:settings", namespace="CELERY")

# Import tasks.py of every app in INSTALLED_APPS (jobs/tasks.py here).
app.autodiscover_tasks()
