"""How many messages a queue holds, asked of the broker itself, per transport, bounded.

- Redis (and memory): kombu's virtual channel counts the queue's list and its priority-step lists
  (``queue``, ``queue\\x06\\x163`` ...), with the run's ``global_keyprefix`` applied by kombu's client;
  messages a worker took but has not acknowledged wait in the ``unacked`` hash (all queues together).
- RabbitMQ: a passive ``queue.declare`` answers with the ready count; RabbitMQ does not tell a client
  how many are unacknowledged (``rabbitmqctl list_queues messages_unacknowledged`` does).
"""
from __future__ import annotations

from dataclasses import dataclass

from classroom.runtime import bounds
from classroom.runtime.waits import call_with_deadline


@dataclass(frozen=True)
class Depth:
    ready: int                   # waiting in the queue for a consumer
    unacked: int | None          # delivered, not yet acknowledged (None: this transport does not say)

    def __str__(self) -> str:
        return f"ready {self.ready}" + ("" if self.unacked is None else f", unacked {self.unacked}")


def queue_depth(app, queue: str, seconds: float = bounds.BROKER_CONNECT_S + bounds.BROKER_SOCKET_S) -> Depth:
    def count() -> Depth:
        with app.connection_for_read() as conn:
            channel = conn.default_channel
            if hasattr(channel, "_size"):                    # kombu's virtual transports: redis, memory
                ready = int(channel._size(queue))
                unacked = None
                if hasattr(channel, "unacked_key") and hasattr(channel, "client"):
                    unacked = int(channel.client.hlen(channel.unacked_key))
                return Depth(ready, unacked)
            try:
                ok = channel.queue_declare(queue=queue, passive=True)
            except conn.channel_errors:                      # NOT_FOUND: nobody declared it (yet)
                return Depth(0, None)
            return Depth(int(ok.message_count), None)
    return call_with_deadline(count, seconds)
