"""A worker that accepts only signed messages (Celery's `auth` serializer), in a process of its own.

Usage::

    python -m lessons.lesson17_secure.signing KEY CERT STORE_DIR QUEUE

The broker, result backend and settings come from the environment, as for every worker of the run
(classroom/celeryconfig.py). app.setup_security() makes kombu's registry refuse every content type
but `auth` in the whole process, so this runs in a child process, not in the runner. The worker runs
in a thread of it (celery.contrib.testing.worker.start_worker, solo pool, a queue of its own), beside
the producer: that also works with memory://, which lives in one process. It sends a signed task, the
same kind of signed message with its arguments changed, and an unsigned JSON message, then prints one
JSON line: the signed task's result, what the worker logged for the other two, which tasks ran, and
how many messages the queue held once the worker had stopped.
"""
import base64
import json
import logging
import sys
import time

from celery.contrib.testing.worker import start_worker
from celery.signals import task_prerun, task_rejected
from celery.utils import uuid
from kombu.serialization import dumps

from .tasks import add, app


class Logged(logging.Handler):
    """The first line of every record from WARNING up (the worker logs in this process's other thread)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.levelname} {record.getMessage().splitlines()[0]}")

    def wait(self, level: str, after: int, seconds: float = 10.0) -> str:
        """The first line at `level` logged after the first `after` lines, waiting at most `seconds`."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            found = [line for line in self.lines[after:] if line.startswith(f"{level} ")]
            if found:
                return found[0]
            time.sleep(0.05)
        return f"(nothing logged at {level} within {seconds} s)"


def publish(queue: str, message, content_type: str, encoding: str, body: bytes) -> None:
    """Publish a task message's bytes as they are: kombu serializes nothing when content_type is given."""
    with app.producer_or_acquire() as producer:
        producer.publish(body, routing_key=queue, headers=message.headers, content_type=content_type,
                         content_encoding=encoding, **message.properties)


def left_in(queue: str) -> int:
    """Messages ready in the queue, as the broker counts them (declared again with the worker's arguments)."""
    with app.connection_for_write() as conn:
        return app.amqp.queues[queue](conn.default_channel).queue_declare().message_count


def main(key: str, cert: str, store: str, queue: str) -> dict:
    app.conf.update(
        security_key=key,                  # this producer's private key
        security_certificate=cert,         # its certificate: its id travels with each message
        security_cert_store=store,         # the certificates a consumer trusts (a folder or a glob)
        task_serializer="auth", result_serializer="auth",
        accept_content=["auth"], result_accept_content=["auth"],
        task_default_queue=queue,          # its own queue: the run's other worker reads `celery`
        worker_send_task_events=False, worker_enable_remote_control=False,
        # no AMQP heartbeat timer: the embedded worker's event loop then polls 1 s at a time instead of up
        # to 10 s (kombu's Hub.fire_timers), and stops within a second on RabbitMQ too
        broker_heartbeat=0,
    )
    app.setup_security()
    ran, rejected, logged = [], [], Logged()
    task_prerun.connect(lambda task, args, **_: ran.append(f"{task.name.rsplit('.', 1)[-1]}{tuple(args)}"),
                        weak=False)
    task_rejected.connect(lambda exc, **_: rejected.append(type(exc).__name__), weak=False)
    with start_worker(app, pool="solo", loglevel="INFO", perform_ping_check=False, shutdown_timeout=10):
        logging.getLogger().addHandler(logged)
        said = {"signed": add.delay(2, 3).get(timeout=10)}
        forged = app.amqp.as_task_v2(uuid(), add.name, (2, 3))   # headers, properties, body (args, kwargs, embed)
        content_type, encoding, body = dumps(forged.body, serializer="auth")
        # an attacker on the way changes the arguments inside the signed envelope (base64 of
        # signer, signature, content type, encoding, body) and leaves the signature as it was
        tampered = base64.b64encode(base64.b64decode(body).replace(b"[[2, 3]", b"[[2, 4]"))
        said.update(content_type=content_type, tampered_changed=tampered != body)
        before = len(logged.lines)
        publish(queue, forged, content_type, encoding, tampered)
        said["tampered"] = logged.wait("CRITICAL", before)
        unsigned, before = app.amqp.as_task_v2(uuid(), add.name, (2, 5)), len(logged.lines)
        publish(queue, unsigned, *dumps(unsigned.body, serializer="json"))
        said["unsigned"] = logged.wait("ERROR", before)
    said.update(ran=ran, rejected=rejected, left=left_in(queue))
    return said


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:5])), flush=True)
