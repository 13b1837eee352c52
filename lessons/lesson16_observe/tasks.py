"""Lesson 16: observe a running Celery: logs that lead to a task, a trace that follows a request,
signals that feed metrics.

Usage::

    # terminal 1 and 2, from the repository root: two workers; each serves its metrics on a free
    # port of 127.0.0.1 and logs where ("metrics on http://127.0.0.1:PORT/metrics"), and prints its
    # spans (with LESSON16_SPANS=FOLDER set, writes them to FOLDER/spans-<worker>.jsonl instead)
    celery -A lessons.lesson16_observe.tasks worker -l info -n worker1@%h -P threads -c 2
    celery -A lessons.lesson16_observe.tasks worker -l info -n worker2@%h -P threads -c 2

    # terminal 3: send work, then read a worker's metrics and follow one task id through the logs
    python -c "from lessons.lesson16_observe.tasks import charge; print(charge.delay(7).id)"
    curl -s http://127.0.0.1:PORT/metrics | grep ^celery_

    # terminal 4: the queue-length exporter Prometheus scrapes (exporter.py), then Prometheus itself
    python -m lessons.lesson16_observe.exporter 9816 celery reports

    # terminal 5: the web app whose request starts a trace (web.py), and one request
    python -m lessons.lesson16_observe.web 8000
    curl -d order=7 http://127.0.0.1:8000/checkout
"""
import logging
import random
import time

from celery import Celery, signals
from celery.utils.log import get_task_logger
from opentelemetry import trace
from opentelemetry.instrumentation.celery import CeleryInstrumentor
from prometheus_client import Counter, Histogram, start_http_server

from . import tracing

app = Celery("lesson16")
app.config_from_object("classroom.celeryconfig")
# Lines logged through get_task_logger() carry the task's name and id (TaskFormatter fills them in
# from the running task); key=value is easy to search and to parse. Celery's default already has both:
# "[%(asctime)s: %(levelname)s/%(processName)s] %(task_name)s[%(task_id)s]: %(message)s"
app.conf.worker_task_log_format = ("[%(asctime)s: %(levelname)s/%(processName)s] "
                                   "task_id=%(task_id)s task=%(task_name)s: %(message)s")
app.conf.task_routes = {"lessons.lesson16_observe.tasks.report": {"queue": "reports"}}

logger = get_task_logger(__name__)          # a child of "celery.task": the task format applies
plain = logging.getLogger("shop")           # an ordinary logger: the worker's format, no task id

# --- metrics: one set per process, fed by signals -------------------------------------------------
PUBLISHED = Counter("celery_tasks_published_total", "Task messages this process published",
                    ["task", "queue"])
FINISHED = Counter("celery_tasks_total", "Tasks that ran, by outcome (task_postrun's state)",
                   ["task", "queue", "state"])
FAILED = Counter("celery_task_failures_total", "task_failure, by exception type", ["task", "exception"])
RETRIED = Counter("celery_task_retries_total", "task_retry", ["task"])
RUNTIME = Histogram("celery_task_runtime_seconds", "From task_prerun to task_postrun", ["task"],
                    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5))
_started: dict = {}                         # task id -> time.monotonic() at task_prerun
metrics_port = None


@signals.before_task_publish.connect        # in whoever sends: a client, or a worker that retries
def count_published(sender=None, routing_key=None, **kwargs):
    PUBLISHED.labels(sender, routing_key).inc()


@signals.task_prerun.connect                # in the worker, just before the task runs
def task_started(task_id=None, **kwargs):
    _started[task_id] = time.monotonic()


@signals.task_postrun.connect               # after it ran, whatever the outcome
def task_finished(task_id=None, task=None, state=None, **kwargs):
    began = _started.pop(task_id, None)
    if began is not None:
        RUNTIME.labels(task.name).observe(time.monotonic() - began)
    queue = (task.request.delivery_info or {}).get("routing_key", "")
    FINISHED.labels(task.name, queue, state).inc()


@signals.task_failure.connect
def task_failed(sender=None, exception=None, **kwargs):
    FAILED.labels(sender.name, type(exception).__name__).inc()


@signals.task_retry.connect
def task_retried(sender=None, **kwargs):
    RETRIED.labels(sender.name).inc()


@signals.celeryd_init.connect               # once, in a `celery worker` process, before it starts
def serve_metrics(sender=None, **kwargs):
    global metrics_port
    server, _thread = start_http_server(0, addr="127.0.0.1")     # 0: a free port, loopback only
    metrics_port = server.server_port


@signals.worker_ready.connect
def say_where(sender=None, **kwargs):
    if metrics_port:
        logging.getLogger("celery").info("metrics on http://127.0.0.1:%s/metrics", metrics_port)


# --- traces: OpenTelemetry spans for every publish and every run (tracing.py writes them) -----------
@signals.celeryd_init.connect               # the worker's own process: with prefork use worker_process_init
def trace_tasks(sender=None, **kwargs):
    trace.set_tracer_provider(tracing.provider(sender))   # sender: this worker's name, worker1@host
    CeleryInstrumentor().instrument()       # connects before/after_task_publish, task_prerun/postrun, retry...


# --- tasks ------------------------------------------------------------------------------------------
@app.task
def charge(order):
    logger.info("charging order %s", order)           # task_id=... task=... charging order 7
    plain.info("charging order %s (plain logger)", order)
    time.sleep(random.uniform(0.02, 0.12))
    return f"order {order} charged"


@app.task
def refund(order):
    raise ValueError(f"order {order} was never charged")


@app.task(bind=True, max_retries=1, default_retry_delay=0.2)
def flaky(self, order):
    if self.request.retries == 0:
        raise self.retry(exc=ConnectionError("payment service busy"))
    return f"order {order} charged on retry {self.request.retries}"


@app.task(bind=True, max_retries=1, default_retry_delay=0.2)
def checkout(self, order):
    """What the web app (web.py) sends: it retries once. Its line shows the trace context it came with."""
    logger.info("traceparent=%s", self.request.get("traceparent"))   # a message header, like "id"
    if self.request.retries == 0:
        raise self.retry(exc=ConnectionError("payment service busy"))
    return f"order {order} checked out on retry {self.request.retries}"


@app.task
def noop():
    """Nothing: sent to a queue nobody consumes, to time what the spans cost a publisher (trace_a_request)."""


@app.task
def report(n):
    """Routed to "reports" (task_routes above): nobody consumes it until add_consumer says so."""
    time.sleep(0.02)
    return f"report {n}"
