"""Django settings for lesson 13: the demo's own settings, with this run's database and Celery settings.

The runner sets DJANGO_SETTINGS_MODULE=lessons.lesson13_django.settings and DJANGO_DB_PATH (a throwaway
SQLite file) for itself, the worker, beat and the web server (lesson.toml [env]). The Celery settings
every lesson gets (classroom/celeryconfig.py, then the run's own: its broker and key prefix, bounded
waits, JSON only, the [celery] table) are added in the form the demo's app reads: CELERY_<NAME>,
because of namespace="CELERY".
"""
import json
import os
from types import ModuleType

from classroom import celeryconfig
from classroom.envvars import SETTINGS_ENV
from proj.settings import *  # noqa: F401,F403 - the demo's settings, unchanged

_defaults = {name: value for name, value in vars(celeryconfig).items()
             if name.islower() and not name.startswith("_") and not isinstance(value, ModuleType)}
for _name, _value in {**_defaults, **json.loads(os.environ.get(SETTINGS_ENV) or "{}")}.items():
    globals()[f"CELERY_{_name.upper()}"] = _value
