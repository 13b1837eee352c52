"""What `status` and `doctor` say about Docker: the engine, and each of the runner's containers."""
from __future__ import annotations

import os
from dataclasses import dataclass

from classroom.brokers.containers import bound_ports, check_ours, find
from classroom.brokers.docker_engine import DockerProblem, _socket_path, connect
from classroom.brokers.docker_services import HOST, SERVICES
from classroom.messages import t


@dataclass
class Row:
    name: str
    image: str
    state: str          # running / exited / ... / "-" when there is no container
    health: str
    address: str
    ours: bool
    answers: bool


def engine() -> tuple[bool, str, str]:
    """(usable, what: version or the short reason, fix)."""
    try:
        client = connect()
        info = client.version()
        where = os.environ.get("DOCKER_HOST") or f"unix://{_socket_path()}"
        return True, t("dstatus.engine_ok", version=info.get("Version", "?"), api=info.get("ApiVersion", "?"),
                       where=where), ""
    except DockerProblem as problem:
        return False, problem.short(), problem.message().split("\n", 1)[-1]


def rows() -> list[Row]:
    """One row per service; raises DockerProblem when the engine is not usable."""
    from classroom.brokers.probes import answers
    client = connect()
    found = []
    for svc in SERVICES.values():
        container = find(client, svc)
        if container is None:
            found.append(Row(svc.container_name, svc.image, "-", "", t("dstatus.not_created", service=svc.key), True, False))
            continue
        try:
            check_ours(container, svc)
            ours = True
        except DockerProblem:
            ours = False
        bound = bound_ports(container)
        health = (container.attrs.get("State", {}).get("Health") or {}).get("Status", "")
        main = bound.get(svc.container_port)
        url = svc.url(main) if main else "-"
        extra = [svc.extra_urls[p].format(host=HOST, port=bound[p]) for p in svc.extra_urls if p in bound]
        up = ours and container.status == "running" and main is not None and answers(url)
        found.append(Row(container.name, container.attrs.get("Config", {}).get("Image", "?"), container.status,
                         health, "  ".join([url, *extra]), ours, up))
    return found
