"""Brokers: probes (does something answer?), the chooser (`resolve`), a local redis-server, Docker.

The chooser imports the probes and the Docker helpers; they never import it, so there is no cycle.
"""
from classroom.brokers.broker import Broker
from classroom.brokers.choose import MODES, check_backend, resolve
from classroom.brokers.probes import (
           DEFAULT_AMQP_URL,
           DEFAULT_REDIS_URL,
           SCHEMES,
           amqp_answers,
           answers,
           free_port,
           port_open,
           redact,
           redis_answers,
           validate_url,
)

__all__ = ["Broker", "MODES", "check_backend", "resolve", "DEFAULT_AMQP_URL", "DEFAULT_REDIS_URL", "SCHEMES", "amqp_answers",
           "answers", "free_port", "port_open", "redact", "redis_answers", "validate_url"]
