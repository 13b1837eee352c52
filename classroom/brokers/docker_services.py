"""The brokers the runner can start in Docker: images, names, labels, ports, health checks.

docker-compose.yml describes the same services; tests/test_compose.py checks that the two agree.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field

# Containers are found by name and owned by label. Tests use another project name so that they never
# touch a learner's containers.
PROJECT = os.environ.get("CLASSROOM_DOCKER_PROJECT", "celery-classroom")
LABEL = "celery-classroom.project"
PORT_LABEL = "celery-classroom.port"
HOST = "127.0.0.1"  # published on loopback only: a course broker has the guest account and no password
ENABLED_ENV = "CLASSROOM_DOCKER"  # "off" / "0" / "no": lessons never use Docker (tests set this by default)


@dataclass(frozen=True)
class Service:
    key: str                  # "redis" | "rabbitmq" (also the mode it serves)
    title: str
    default_image: str
    container_port: int
    default_port: int
    url_format: str           # the broker URL for a host port
    healthcheck: tuple[str, ...]
    health_interval_s: int
    health_timeout_s: int
    health_retries: int
    extra_ports: dict[int, int] = field(default_factory=dict)  # container port -> default host port
    extra_urls: dict[int, str] = field(default_factory=dict)   # container port -> what a learner opens

    @property
    def image(self) -> str:
        # A learner behind a registry mirror can name another image (e.g. a mirror's copy of redis:7).
        return os.environ.get(self.image_env) or self.default_image

    @property
    def image_env(self) -> str:
        return f"CLASSROOM_DOCKER_{self.key.upper()}_IMAGE"

    @property
    def container_name(self) -> str:
        return f"{PROJECT}-{self.key}"

    @property
    def port_env(self) -> str:
        return f"CLASSROOM_DOCKER_{self.key.upper()}_PORT"

    def url(self, port: int) -> str:
        return self.url_format.format(host=HOST, port=port)

    def host_ports(self, port: int) -> dict[int, int]:
        """Container port -> host port. Extra ports keep their usual distance from the main one
        (RabbitMQ on 5673 gets its management UI on 15673), so one --port moves them all."""
        shift = port - self.default_port
        ports = {self.container_port: port}
        for inner, outer in self.extra_ports.items():
            ports[inner] = outer + shift if 0 < outer + shift < 65536 else outer
        return ports

    def docker_healthcheck(self) -> dict:
        """The health check in the Docker API's units (nanoseconds)."""
        ns = 1_000_000_000
        return {"test": ["CMD", *self.healthcheck], "interval": self.health_interval_s * ns,
                "timeout": self.health_timeout_s * ns, "retries": self.health_retries}

    def labels(self, port: int) -> dict[str, str]:
        return {LABEL: PROJECT, PORT_LABEL: str(port)}


SERVICES: dict[str, Service] = {
    "redis": Service(
        key="redis", title="Redis", default_image="redis:7", container_port=6379, default_port=6379,
        url_format="redis://{host}:{port}/0",
        healthcheck=("redis-cli", "ping"), health_interval_s=2, health_timeout_s=3, health_retries=30,
    ),
    "rabbitmq": Service(
        key="rabbitmq", title="RabbitMQ", default_image="rabbitmq:3-management", container_port=5672,
        default_port=5672, url_format="amqp://guest:guest@{host}:{port}//",
        # Not just "the node runs": its AMQP and HTTP listeners accept connections.
        healthcheck=("rabbitmq-diagnostics", "-q", "check_port_connectivity"),
        health_interval_s=5, health_timeout_s=10, health_retries=12,
        # 15692: the rabbitmq_prometheus plugin (lesson 16 scrapes /metrics/detailed), on in the official image
        extra_ports={15672: 15672, 15692: 15692}, extra_urls={15672: "http://{host}:{port}/"},
    ),
}


def enabled() -> bool:
    return os.environ.get(ENABLED_ENV, "").strip().lower() not in ("0", "off", "no", "false")
