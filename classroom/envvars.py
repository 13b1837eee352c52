"""Names of the environment variables the runner hands to workers (kept apart from celeryconfig,
which must only be imported after they are set)."""
BROKER_ENV = "CLASSROOM_BROKER_URL"
BACKEND_ENV = "CLASSROOM_RESULT_BACKEND"
NAMESPACE_ENV = "CLASSROOM_NAMESPACE"
# A run's Celery settings for its worker and beat processes, as JSON: the lesson's [celery] table,
# the broker's transport options with the run's Redis key prefix (classroom/runtime/settings.py).
SETTINGS_ENV = "CLASSROOM_CELERY_SETTINGS"
