"""Exercise 16, solved: get_task_logger, a before_task_publish counter, a queue length per broker.

Usage::

    python runner.py check 16 --solutions
"""
from celery import Celery, signals
from celery.utils.log import get_task_logger
from prometheus_client import CollectorRegistry, Counter

app = Celery("ex16")
app.config_from_object("classroom.celeryconfig")

registry = CollectorRegistry()          # this module's own: start_http_server(port, registry=registry) serves it
PUBLISHED = Counter("ex16_tasks_published_total", "Task messages this process published", ["task"],
                    registry=registry)
logger = get_task_logger(__name__)


@app.task
def pack(order):
    logger.info("packing order %s", order)      # worker_task_log_format adds the task's name and id
    return f"order {order} packed"


@signals.before_task_publish.connect
def count_published(sender=None, **kwargs):
    PUBLISHED.labels(sender).inc()              # sender: the task's name


def queue_length(queue):
    """How many messages are ready in `queue`, asked of the broker: 0 for a queue that is not there."""
    with app.connection_for_read() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
        channel = conn.default_channel
        if conn.transport.driver_type == "redis":
            keys = [queue] + [f"{queue}{channel.sep}{pri}" for pri in channel.priority_steps if pri]
            return sum(channel.client.llen(key) for key in keys)
        try:
            return channel.queue_declare(queue=queue, passive=True).message_count
        except conn.channel_errors:
            return 0


def queue_lengths(queues):
    """{queue: messages ready} for several queues over one connection (the stretch goal)."""
    with app.connection_for_read() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
        channel = conn.default_channel
        if conn.transport.driver_type == "redis":
            steps = [pri for pri in channel.priority_steps if pri]
            return {q: sum(channel.client.llen(k) for k in [q] + [f"{q}{channel.sep}{p}" for p in steps])
                    for q in queues}
        found = {}
        for queue in queues:
            try:
                found[queue] = channel.queue_declare(queue=queue, passive=True).message_count
            except conn.channel_errors:        # NOT_FOUND closes the channel on RabbitMQ: take a new one
                found[queue] = 0
                channel = conn.channel()
        return found


@app.task(bind=True, max_retries=1, default_retry_delay=0.1)
def reserve(self, item):
    """Retries once (the stock service is "busy"), then succeeds."""
    if self.request.retries == 0:
        raise self.retry(exc=ConnectionError("stock service busy"))
    return f"{item} reserved"


# The retry's message is published by the worker that ran the first attempt (Task.retry calls
# apply_async there), so its before_task_publish counts it, in the worker's memory.
RETRY_COUNTED_BY = "worker"
