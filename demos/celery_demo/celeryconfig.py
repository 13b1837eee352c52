"""Settings for the demo, loaded with app.config_from_object("celeryconfig").

Every value that can make a call wait is bounded here, so that nothing hangs when Redis or the
worker is missing. Set CELERY_BROKER_URL / CELERY_RESULT_BACKEND to use another server.
"""
import os

broker_url = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
result_backend = os.environ.get("CELERY_RESULT_BACKEND", broker_url)

# JSON only: a pickle message can run code on the worker.
task_serializer = "json"
result_serializer = "json"
accept_content = ["json"]
timezone = "UTC"
enable_utc = True

# Show STARTED, and store the worker's name with each result (result.worker).
task_track_started = True
result_extended = True
result_expires = 3600

# Quick tasks and slow tasks in their own queues (lesson 3).
task_routes = {
    "tasks.make_thumbnail": {"queue": "fast_queue"},
    "tasks.report_*": {"queue": "slow_queue"},
}

# --- Bounds: fail within seconds instead of waiting forever -----------------------------
broker_connection_timeout = 2
broker_connection_retry_on_startup = False   # a worker with no broker exits at once
broker_connection_max_retries = 3
broker_transport_options = {"socket_timeout": 3, "socket_connect_timeout": 2, "max_retries": 1}
task_publish_retry_policy = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
redis_socket_timeout = 3
redis_socket_connect_timeout = 2
result_backend_transport_options = {"retry_policy": {"max_retries": 2, "interval_start": 0,
                                                     "interval_step": 0.2, "interval_max": 0.5}}
worker_prefetch_multiplier = 1
