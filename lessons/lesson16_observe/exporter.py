"""A queue-length exporter for Prometheus: how many messages wait in each queue, asked of the broker.

Usage::

    # from the repository root, with the broker the workers use (CLASSROOM_BROKER_URL, default Redis)
    python -m lessons.lesson16_observe.exporter 9816 celery reports
    curl -s http://127.0.0.1:9816/metrics | grep celery_queue_length

RabbitMQ: a passive queue_declare asks "how many are ready?" without creating the queue. Redis: a
queue is one list per priority step (celery, celery\\x06\\x163, ...; kombu's priority_steps), so
add up their LLEN. Not a passive declare there: kombu 5.7's Redis transport checks that the queue
exists with EXISTS, which it does not prefix with global_keyprefix, so with a prefix every queue
is "not found"; and Redis deletes an empty list anyway. Every scrape is bounded by the timeouts.
"""
import sys
import time

from prometheus_client import start_http_server
from prometheus_client.core import REGISTRY, GaugeMetricFamily

from .tasks import app


def queue_length(queue):
    with app.connection_for_read() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
        channel = conn.default_channel
        if conn.transport.driver_type == "redis":
            # one list per priority step: celery, celery\x06\x163, ...
            keys = [queue] + [f"{queue}{channel.sep}{pri}"
                              for pri in channel.priority_steps if pri]
            # kombu's client adds the global_keyprefix to each key
            return sum(channel.client.llen(key) for key in keys)
        try:                                  # RabbitMQ
            ok = channel.queue_declare(queue=queue, passive=True)
            return ok.message_count
        except conn.channel_errors:           # NOT_FOUND: nobody declared it
            return 0


class QueueLength:
    def __init__(self, queues):
        self.queues = queues

    def collect(self):
        gauge = GaugeMetricFamily("celery_queue_length", "Messages ready in the queue", labels=["queue"])
        for queue in self.queues:
            gauge.add_metric([queue], queue_length(queue))
        yield gauge


if __name__ == "__main__":
    port, queues = int(sys.argv[1]), sys.argv[2:] or ["celery"]
    REGISTRY.register(QueueLength(queues))
    start_http_server(port, addr="127.0.0.1")
    print(f"exporter on http://127.0.0.1:{port}/metrics for {', '.join(queues)}", flush=True)
    while True:
        time.sleep(3600)
