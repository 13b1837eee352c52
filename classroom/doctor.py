"""`doctor` checks: each is a function returning rows of (what, ok, detail, fix).

Other areas add their checks to CHECKS (Docker, stale processes, ...).
"""
from __future__ import annotations

import importlib
import shutil
import sys
from dataclasses import dataclass
from importlib import metadata
from typing import Callable

from classroom import brokers, catalog
from classroom.brokers import ports
from classroom.messages import t
from classroom.runtime import process


@dataclass
class Check:
    what: str
    ok: bool
    detail: str = ""
    fix: str = ""
    optional: bool = False    # a failed optional check only limits the modes a learner can use


def python_version() -> list[Check]:
    ok = sys.version_info >= (3, 9)
    return [Check(t("doctor.python"), ok, sys.version.split()[0], "" if ok else t("doctor.fix_python"))]


def packages() -> list[Check]:
    rows = []
    for name in ("celery", "kombu", "redis", "rich", "psutil", "docker"):
        try:
            rows.append(Check(t("doctor.package", name=name), True, metadata.version(name)))
        except metadata.PackageNotFoundError:
            rows.append(Check(t("doctor.package", name=name), False, t("doctor.missing"), t("doctor.fix_install")))
    return rows


def broker_reachability() -> list[Check]:
    redis_ok = brokers.redis_answers(brokers.DEFAULT_REDIS_URL, 1.0)
    amqp_ok = brokers.amqp_answers(brokers.DEFAULT_AMQP_URL, 1.0)
    binary = shutil.which("redis-server")
    return [
        Check(t("doctor.redis"), redis_ok, brokers.DEFAULT_REDIS_URL, "" if redis_ok else t("broker.fix_redis"),
              optional=True),
        Check(t("doctor.rabbitmq"), amqp_ok, brokers.redact(brokers.DEFAULT_AMQP_URL),
              "" if amqp_ok else t("broker.fix_rabbitmq"), optional=True),
        Check(t("doctor.redis_binary"), bool(binary), binary or t("doctor.missing"),
              "" if binary else t("doctor.fix_redis_binary"), optional=True),
    ]


def lesson_imports() -> list[Check]:
    rows = []
    for lesson in catalog.lessons():
        try:
            importlib.import_module(lesson.app_module)
            lesson.scenario()
            rows.append(Check(t("doctor.lesson", n=lesson.number), True, lesson.app_module))
        except Exception as exc:  # any import failure is what doctor is for
            rows.append(Check(t("doctor.lesson", n=lesson.number), False, f"{type(exc).__name__}: {exc}",
                              t("doctor.fix_lesson", module=lesson.app_module)))
    return rows


def stale_processes() -> list[Check]:
    """Workers/beat of this course still running from earlier runs: reported, never killed."""
    found = process.course_processes()
    if not found:
        return [Check(t("doctor.stale"), True, t("doctor.none"))]
    return [Check(t("doctor.stale"), False, f"pid {pid}: {cmd[:80]}", t("doctor.fix_stale", pid=pid), optional=True)
            for pid, cmd in found]


def broker_ports() -> list[Check]:
    rows = []
    for port, what in ((6379, "Redis"), (5672, "RabbitMQ"), (15672, "RabbitMQ management")):
        if ports.in_use(port):
            rows.append(Check(t("doctor.port", port=port, what=what), True,
                              t("doctor.port_used_by", who=ports.owner(port) or "?")))
        else:
            rows.append(Check(t("doctor.port", port=port, what=what), True, t("doctor.port_free")))
    return rows


def pool_limits() -> list[Check]:
    if sys.platform == "win32":
        return [Check(t("doctor.pool"), False, t("doctor.pool_windows"), t("doctor.fix_pool_windows"), optional=True)]
    return [Check(t("doctor.pool"), True, t("doctor.pool_ok"))]


CHECKS: list[Callable[[], list[Check]]] = [python_version, packages, broker_reachability, broker_ports,
                                          stale_processes, pool_limits, lesson_imports]


def docker_state() -> list[Check]:
    """Docker (optional): the engine, and the runner's containers (read only; never started or stopped here)."""
    from classroom.brokers import docker_status
    usable, what, fix = docker_status.engine()
    rows = [Check(t("doctor.docker"), usable, what, fix, optional=True)]
    if usable:
        for row in docker_status.rows():
            detail = f"{row.state} ({row.health})" if row.health else row.state
            if row.state == "-":
                detail = row.address
            elif row.ours:
                detail = f"{detail}, {row.address}"
            ok = row.ours and (row.state in ("-", "exited") or row.answers)
            rows.append(Check(t("doctor.docker_container", name=row.name), ok, detail,
                              "" if row.ours else t("doctor.fix_docker_not_ours", name=row.name), optional=True))
    return rows


CHECKS.insert(CHECKS.index(broker_ports) + 1, docker_state)
