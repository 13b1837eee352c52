"""The Celery configuration every lesson app loads: ``app.config_from_object("classroom.celeryconfig")``.

The broker and result backend come from the runner through environment variables (flag ->
environment variable -> default), so no lesson hard-codes a URL. Everything else is here so that
one file says which setting bounds which wait, and why.

A learner who starts a worker by hand (``celery -A lessons.lesson01_basics.tasks worker -l info``)
gets the defaults below: Redis on 127.0.0.1:6379, database 0.
"""
import json
import os

from classroom.envvars import BACKEND_ENV, BROKER_ENV, SETTINGS_ENV
from classroom.runtime import bounds

broker_url = os.environ.get(BROKER_ENV, "redis://127.0.0.1:6379/0")
_default_backend = {"memory": "cache+memory://", "amqp": "rpc://", "pyamqp": "rpc://"}
result_backend = os.environ.get(BACKEND_ENV) or _default_backend.get(
    broker_url.split("://", 1)[0], broker_url
)
_memory = broker_url.startswith("memory://")

# JSON only: pickle lets anyone who can write to the broker run code on the worker.
task_serializer = "json"
result_serializer = "json"
accept_content = ["json"]
timezone = "UTC"
enable_utc = True

# Workers publish task events: the runner's timeline, `celery events` and Flower read them.
worker_send_task_events = True

# Show STARTED (not only PENDING -> SUCCESS) and store name, args and worker hostname with results.
task_track_started = True
result_extended = True
result_expires = 3600  # seconds; the Redis backend deletes results after an hour

# Prefetch: the worker may hold concurrency x multiplier unacknowledged messages. With early acks
# (the default) a message is acked when its task starts, so each process can hold one running task
# *and* one reserved one (-c 2 -> 2 running + 2 reserved; `celery inspect reserved` shows them).
# 1 is the lowest: it keeps a backlog shared out between workers instead of hoarded by one.
worker_prefetch_multiplier = 1

# --- Bounds: nothing may wait forever (see classroom/bounds.py) ---------------------------
# Connecting to the broker gives up after this many seconds (default 4).
broker_connection_timeout = bounds.BROKER_CONNECT_S
# A worker whose broker is down at start exits at once instead of retrying for ~45 minutes.
broker_connection_retry_on_startup = False
# After losing a running broker, a worker tries to reconnect this many times, then exits.
broker_connection_max_retries = 3
# delay()/apply_async() retry a failed publish twice, 0.2 s apart, then raise OperationalError.
task_publish_retry_policy = {
    "max_retries": bounds.PUBLISH_MAX_RETRIES,
    "interval_start": 0,
    "interval_step": bounds.PUBLISH_RETRY_INTERVAL_S,
    "interval_max": bounds.PUBLISH_RETRY_INTERVAL_S,
}
BOUNDED_TRANSPORT_OPTIONS = {
    # Redis: a server that accepts TCP but never answers cannot block a call (default: no timeout).
    "socket_timeout": bounds.BROKER_SOCKET_S,
    "socket_connect_timeout": bounds.BROKER_CONNECT_S,
    # kombu's own connect retries (default: up to 100).
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
# The memory transport polls; its default of 1 s would make every step feel slow.
MEMORY_TRANSPORT_OPTIONS = {"polling_interval": 0.02}
# The in-process worker's ETA timer sleeps up to this long, and stopping the worker waits for it.
MEMORY_SETTINGS = {"worker_timer_precision": 0.1}

broker_transport_options = dict(BOUNDED_TRANSPORT_OPTIONS)
if _memory:
    broker_transport_options.update(MEMORY_TRANSPORT_OPTIONS)
    worker_timer_precision = MEMORY_SETTINGS["worker_timer_precision"]

# Redis result backend: bounded sockets and 2 quick retries instead of 20 one-second ones.
redis_socket_timeout = bounds.BROKER_SOCKET_S
redis_socket_connect_timeout = bounds.BROKER_CONNECT_S
result_backend_transport_options = {
    "retry_policy": {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5},
}

# A worker or beat the runner starts gets the run's settings (the lesson's [celery] table, the run's
# Redis key prefix) as JSON: the same values the runner applied to its own copy of the app.
globals().update(json.loads(os.environ.get(SETTINGS_ENV) or "{}"))
