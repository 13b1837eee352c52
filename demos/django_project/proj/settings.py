"""Settings of the Django demo. Every Celery setting is spelt CELERY_<NAME> (see proj/celery.py)."""
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

# A demo key: set DJANGO_SECRET_KEY (and DJANGO_DEBUG=0) anywhere but your own machine.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "demo-only-do-not-use-in-production")
DEBUG = os.environ.get("DJANGO_DEBUG", "1") == "1"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_celery_results",   # task results as rows (TaskResult), shown in the admin
    "django_celery_beat",      # periodic tasks as rows (PeriodicTask), edited in the admin
    "jobs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "proj.urls"
WSGI_APPLICATION = "proj.wsgi.application"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
    ]},
}]

# SQLite, a file beside manage.py: nothing to install. The web server, the worker and beat all
# open it. For PostgreSQL: pip install "psycopg[binary]" and use
#   {"ENGINE": "django.db.backends.postgresql", "NAME": "proj", "USER": ..., "PASSWORD": ...,
#    "HOST": "127.0.0.1", "PORT": "5432"}
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("DJANGO_DB_PATH", BASE_DIR / "db.sqlite3"),
        # Several processes write to one file: wait up to 20 s for a lock, not 5.
        "OPTIONS": {"timeout": 20},
    }
}

USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_CODE = "en-us"
USE_I18N = True
STATIC_URL = "static/"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Celery: read by app.config_from_object("django.conf:settings", namespace="CELERY") -------
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
# django-celery-results: results go to the database table django_celery_results_taskresult.
CELERY_RESULT_BACKEND = "django-db"
# Store the task's name, arguments and worker with each result (the admin shows them).
CELERY_RESULT_EXTENDED = True
# STARTED between PENDING and SUCCESS, so the status page can tell "queued" from "running".
CELERY_TASK_TRACK_STARTED = True
# JSON only: a task's arguments must be plain data (ids, strings, numbers), never model instances.
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# django-celery-beat: beat reads its schedule from the database (PeriodicTask rows), not a file.
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
