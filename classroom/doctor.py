"""`doctor` checks: each is a function returning rows of (what, ok, detail, fix).

Other areas add their checks to CHECKS (Docker, stale processes, ...).
"""
from __future__ import annotations

import importlib
import os
import re
import shutil
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Callable

from classroom import ROOT, brokers, catalog
from classroom.brokers import ports
from classroom.messages import t
from classroom.runtime import proctable

try:    # doctor must run on a broken install too: without packaging it says so instead of crashing
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.version import InvalidVersion, Version
except ImportError:  # pragma: no cover - packaging comes with requirements.txt (and kombu[redis])
    Requirement = None

REQUIREMENTS = ROOT / "requirements.txt"


@dataclass
class Check:
    what: str
    ok: bool
    detail: str = ""
    fix: str = ""
    optional: bool = False    # a failed optional check only limits the modes a learner can use (shown ⏭)
    warning: bool = False     # when not ok: worth a look, never a failure (shown !)


# --- the bounds: requirements.txt is the one place that says which versions the course is true for ---

def python_range(path: Path | None = None) -> tuple[tuple[int, int], tuple[int, int]]:
    """(oldest, newest tested) Python, from the first line of requirements.txt: "... Python 3.10-3.13 ..."."""
    path = path or REQUIREMENTS
    found = re.search(r"Python (\d+)\.(\d+)-(\d+)\.(\d+)", path.read_text(encoding="utf-8"))
    if not found:
        raise ValueError(f"{path} does not say 'Python X.Y-X.Y'")
    a, b, c, d = map(int, found.groups())
    return (a, b), (c, d)


def requirements(path: Path | None = None) -> list:
    """The packaging Requirements of requirements.txt that apply to this Python (options, comments, the
    guard's file:// line and lines whose marker is false left out)."""
    found = []
    for line in (path or REQUIREMENTS).read_text(encoding="utf-8").splitlines():
        line = line.split(" #", 1)[0].strip()
        if not line or line.startswith(("#", "-")):
            continue
        req = Requirement(line)
        if req.url or (req.marker is not None and not req.marker.evaluate()):
            continue
        found.append(req)
    return found


def python_version() -> list[Check]:
    found = sys.version.split()[0]
    try:
        oldest, newest = python_range()
    except (OSError, ValueError) as exc:
        return [Check(t("doctor.python", oldest="?", newest="?"), False, f"{type(exc).__name__}: {exc}",
                      t("doctor.fix_requirements"))]
    here = sys.version_info[:2]
    what = t("doctor.python", oldest="%d.%d" % oldest, newest="%d.%d" % newest)
    if here < oldest:
        return [Check(what, False, found, t("doctor.fix_python", oldest="%d.%d" % oldest, newest="%d.%d" % newest))]
    if here > newest:
        return [Check(what, False, t("doctor.python_untested", found=found, newest="%d.%d" % newest), warning=True)]
    return [Check(what, True, found)]


def installed_version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def bounds_text(specifier) -> str:
    """">=5.7,<6" as the file says it (packaging's own str sorts them: "<6,>=5.7")."""
    return ",".join(str(spec) for spec in sorted(specifier, key=lambda spec: (spec.operator not in (">=", ">"),
                                                                            str(spec))))


def package_check(req, version: str | None) -> Check:
    """One requirement against the installed version: missing, outside the bounds (with the pip command
    that fixes it), or fine."""
    wanted = f"{req.name}{bounds_text(req.specifier)}"
    what = t("doctor.package", name=req.name)
    if version is None:
        return Check(what, False, t("doctor.missing"), t("doctor.fix_package", requirement=wanted))
    try:
        found = Version(version)
    except InvalidVersion:
        found = None
    if found is not None and req.specifier.contains(found, prereleases=True):
        return Check(what, True, version)
    detail = t("doctor.outside", version=version, wanted=bounds_text(req.specifier))
    fix = t("doctor.fix_package", requirement=wanted)
    too_old = found is not None and any(spec.operator in (">=", ">") and not spec.contains(found, prereleases=True)
                                        for spec in req.specifier)
    if too_old and req.name.lower() in ("celery", "kombu"):
        fix = t("doctor.fix_celery", name=req.name, version=version, requirement=wanted) + "\n" + fix
    return Check(what, False, detail, fix)


def packages() -> list[Check]:
    """Every runtime requirement (requirements.txt), each against its bounds there."""
    if Requirement is None:
        return [Check(t("doctor.package", name="packaging"), False, t("doctor.missing"),
                      t("doctor.fix_package", requirement="packaging"))]
    try:
        found = requirements()
    except (OSError, InvalidRequirement) as exc:
        return [Check(t("doctor.requirements"), False, f"{type(exc).__name__}: {exc}", t("doctor.fix_requirements"))]
    return [package_check(req, installed_version(req.name)) for req in found]


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


def import_command(lesson, module: str) -> str:
    """A command that repeats doctor's import from the repository root, folders of app_path included
    (lesson 13: demos/django_project, where `proj` lives). Quotes that bash, zsh and PowerShell all read."""
    folders = [Path(os.path.relpath(folder, ROOT)).as_posix() for folder in lesson.python_path]
    prefix = f"import sys; sys.path[:0] = {folders!r}; " if folders else ""
    return f'python -c "{prefix}import {module}"'


def lesson_imports() -> list[Check]:
    """Each lesson's app module and its scenario import, as a worker imports them: from the repository
    root and the lesson's app_path (lesson.toml), like Session and `worker N` do."""
    rows = []
    for lesson in catalog.lessons():
        for folder in lesson.python_path:
            if folder not in sys.path:
                sys.path.insert(0, folder)
        module = lesson.app_module
        try:
            importlib.import_module(module)
            module = f"{lesson.package}.scenario"
            lesson.scenario()
            rows.append(Check(t("doctor.lesson", n=lesson.number), True, lesson.app_module))
        except Exception as exc:  # any import failure is what doctor is for
            rows.append(Check(t("doctor.lesson", n=lesson.number), False, f"{type(exc).__name__}: {exc}",
                              t("doctor.fix_lesson", command=import_command(lesson, module))))
    return rows


def stale_processes() -> list[Check]:
    """Workers/beat of this course still running from earlier runs: reported, never killed."""
    found = proctable.course_processes()
    if not found:
        return [Check(t("doctor.stale"), True, t("doctor.none"))]
    return [Check(t("doctor.stale"), False, f"pid {pid}: {cmd[:80]}", t("doctor.fix_stale", pid=pid), warning=True)
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
                              "" if row.ours else t("doctor.fix_docker_not_ours", name=row.name), warning=True))
    return rows


CHECKS.insert(CHECKS.index(broker_ports) + 1, docker_state)
