"""Brokers in Docker: the ONE code path behind `runner.py up/down/status` and the lessons' auto-start.

    ensure("redis", port=None) -> Ready   # reuse / restart / create, then wait until it really answers
    running_url("redis") -> url | None    # the runner's container, if it runs and answers (no start)
    remove_all() -> [names]               # only containers carrying the runner's label
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass

from classroom import ui
from classroom.brokers import ports
from classroom.brokers.docker_engine import (
    DockerProblem,
    Progress,
    brief,
    connect,
    ensure_image,
    port_holder,
)
from classroom.brokers.docker_services import HOST, LABEL, PROJECT, SERVICES, Service
from classroom.messages import t
from classroom.runtime import bounds

from .probes import amqp_answers, answers, redis_answers


class LineProgress:
    """Progress as printed lines (a lesson's own spinner is on screen): updates at most every few seconds."""

    def __init__(self, every_s: float = 3.0) -> None:
        self.every_s, self.last = every_s, time.monotonic()

    def __call__(self, text: str, transient: bool = False) -> None:
        if transient and time.monotonic() - self.last < self.every_s:
            return
        self.last = time.monotonic()
        ui.info(f"  [dim]{text}[/]")


REASON = {"created": "docker.reason_created", "started": "docker.reason_started", "reused": "docker.reason_reused"}

@dataclass
class Ready:
    service: Service
    url: str
    action: str           # "created" | "started" | "reused"
    seconds: float        # from the call to a broker that answers
    ports: dict           # container port -> host port

    def reason(self) -> str:
        """One line for the lesson header: what happened, and that `down` stops it."""
        return t(REASON[self.action], title=self.service.title, name=self.service.container_name,
                 image=self.service.image, url=self.url, seconds=self.seconds)


def find(client, svc: Service):
    import docker
    try:
        return client.containers.get(svc.container_name)
    except docker.errors.NotFound:
        return None


def check_ours(container, svc: Service) -> None:
    """Same name but not our image or not our label: report it, never replace it."""
    image = container.attrs.get("Config", {}).get("Image", "?")
    if container.labels.get(LABEL) != PROJECT or image != svc.image:
        raise DockerProblem("docker.name_taken", name=svc.container_name, image=image, ours=svc.image,
                            state=container.status, label=f"{LABEL}={PROJECT}")


def bound_ports(container) -> dict[int, int]:
    found = {}
    for key, bindings in (container.attrs.get("HostConfig", {}).get("PortBindings") or {}).items():
        if bindings and str(bindings[0].get("HostPort", "")).isdigit():
            found[int(key.split("/")[0])] = int(bindings[0]["HostPort"])
    return found


def _free_choice(svc: Service) -> int:
    """The first port above the default where every port the service needs is free (for the hint)."""
    for port in range(svc.default_port + 1, svc.default_port + 200):
        if not any(ports.in_use(p) for p in svc.host_ports(port).values()):
            return port
    return svc.default_port + 1


def _check_free(client, svc: Service, wanted: dict[int, int]) -> None:
    probe = redis_answers if svc.key == "redis" else amqp_answers
    for inner, port in wanted.items():
        if ports.in_use(port):
            url = svc.url(port)
            same = inner == svc.container_port and probe(url, bounds.DOCKER_PROBE_S)
            raise DockerProblem("docker.port_taken", port=port, title=svc.title, holder=port_holder(client, port),
                                use=t("docker.choice_use" if same else "docker.choice_not_broker", url=url),
                                service=svc.key, free=_free_choice(svc), env=svc.port_env)


def _requested_port(svc: Service, port: int | None) -> int:
    if port:
        return port
    value = os.environ.get(svc.port_env, "")
    return int(value) if value.isdigit() else svc.default_port


def _create(client, svc: Service, port: int, say: Progress):
    import docker
    wanted = svc.host_ports(port)
    _check_free(client, svc, wanted)
    ensure_image(client, svc.image, say, svc.image_env)
    say(t("docker.creating", name=svc.container_name, image=svc.image, host=HOST, port=port))
    try:
        return client.containers.run(
            svc.image, name=svc.container_name, detach=True, labels=svc.labels(port),
            ports={f"{inner}/tcp": (HOST, outer) for inner, outer in wanted.items()},
            healthcheck=svc.docker_healthcheck())
    except docker.errors.APIError as exc:
        if exc.status_code == 409:      # another runner created it at this very moment: not ours to touch
            raise DockerProblem("docker.failed", detail=brief(exc)) from None
        leftover = find(client, svc)   # we created it but it did not start (a port taken meanwhile)
        if leftover is not None and leftover.labels.get(LABEL) == PROJECT and leftover.status != "running":
            leftover.remove(force=True, v=True)
        _check_free(client, svc, wanted)
        raise DockerProblem("docker.failed", detail=brief(exc)) from None


def _wait_ready(container, svc: Service, url: str, say: Progress, started: float) -> None:
    """Ready means the broker answers (Redis PING / AMQP login), not that the container exists."""
    probe = redis_answers if svc.key == "redis" else amqp_answers
    limit = bounds.DOCKER_READY_S[svc.key]
    checked = time.monotonic()
    while not probe(url, bounds.DOCKER_PROBE_S):
        now = time.monotonic()
        if now - checked >= 1.0:
            checked = now
            container.reload()
            if container.status != "running":
                raise DockerProblem("docker.exited", name=svc.container_name, state=container.status,
                                    logs=_logs(container))
            say(t("docker.waiting", title=svc.title, url=url, seconds=now - started, limit=limit), transient=True)
        if now - started > limit:
            raise DockerProblem("docker.not_ready", title=svc.title, url=url, seconds=limit,
                                name=svc.container_name, logs=_logs(container))
        time.sleep(0.1)


def _logs(container) -> str:
    try:
        lines = container.logs(tail=8).decode(errors="replace").rstrip().splitlines()
        return "\n".join(f"    {line}" for line in lines) or "    -"
    except Exception:  # logs are a hint in an error message; the message stands without them
        return "    -"


def ensure(key: str, port: int | None = None, say: Progress | None = None) -> Ready:
    """The service's broker in Docker, answering: reused if running, restarted if stopped, else created."""
    svc, say = SERVICES[key], say or LineProgress()
    started = time.monotonic()
    client = connect()
    try:
        container = find(client, svc)
        if container is None:
            container, action = _create(client, svc, _requested_port(svc, port), say), "created"
        else:
            check_ours(container, svc)
            have = bound_ports(container).get(svc.container_port)
            if port and have and port != have:
                raise DockerProblem("docker.other_port", name=svc.container_name, port=have, wanted=port, service=key)
            if container.status == "running":
                action = "reused"
            elif container.status in ("created", "exited", "paused"):
                if container.status == "paused":
                    container.unpause()
                else:
                    _check_free(client, svc, bound_ports(container))
                    say(t("docker.restarting", name=svc.container_name))
                    container.start()
                action = "started"
            else:
                raise DockerProblem("docker.bad_state", name=svc.container_name, state=container.status)
        container.reload()
        bound = bound_ports(container)
        url = svc.url(bound.get(svc.container_port, svc.default_port))
        _wait_ready(container, svc, url, say, started)
    except DockerProblem:
        raise
    except Exception as exc:  # docker.errors.*, requests time-outs: still a Docker problem, said plainly
        raise DockerProblem("docker.failed", detail=brief(exc)) from None
    return Ready(svc, url, action, time.monotonic() - started, bound)


def running_url(key: str) -> Ready | None:
    """The runner's container for `key` when it already runs and answers; never starts anything."""
    svc = SERVICES[key]
    try:
        container = find(connect(), svc)
        if container is None or container.status != "running":
            return None
        check_ours(container, svc)
        bound = bound_ports(container)
        url = svc.url(bound.get(svc.container_port, svc.default_port))
        return Ready(svc, url, "reused", 0.0, bound) if answers(url) else None
    except Exception:  # not usable now: the caller goes on to the next choice (and says why there)
        return None


def ours(client) -> list:
    return client.containers.list(all=True, filters={"label": f"{LABEL}={PROJECT}"})


def remove_all(key: str | None = None) -> list[str]:
    """Remove the runner's containers (and their anonymous volumes); nothing without our label."""
    client = connect()
    removed = []
    for container in ours(client):
        if key is None or container.name == SERVICES[key].container_name:
            container.remove(force=True, v=True)
            removed.append(container.name)
    return removed
