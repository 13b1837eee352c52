"""The lessons, read from each folder's ``lesson.toml``: the single source for list, README and tests."""
from __future__ import annotations

import importlib
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from classroom import LESSONS_DIR, ROOT, paths
from classroom.errors import UsageError
from classroom.messages import pick
from classroom.runtime.services import ServiceSpec
from classroom.runtime.workers import WorkerSpec

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib


@dataclass
class Lesson:
    """One lesson folder and what its lesson.toml declares: the workers and services it runs, the
    Celery settings for its app and workers, the app module, and its exercise."""
    number: int
    folder: Path
    title: dict
    summary: dict
    workers: list[WorkerSpec] = field(default_factory=list)
    services: list[ServiceSpec] = field(default_factory=list)
    celery: dict = field(default_factory=dict)       # [celery]: settings for this lesson's app and workers
    app: str = ".tasks"                              # the app module; ".x" is relative to the lesson package
    app_path: str | None = None                      # a folder to import it from, relative to the lesson
    env: dict = field(default_factory=dict)          # [env]: variables for the run's processes ({run_id}, {state})
    raw: dict = field(default_factory=dict)

    @property
    def package(self) -> str:
        """The folder's import name: lessons.lesson01_basics; a folder outside the repository (a
        teacher's own lesson, a test's throwaway one) is imported by its name from its parent."""
        folder = self.folder.resolve()
        if ROOT in folder.parents:
            return ".".join(folder.relative_to(ROOT).parts)
        if str(folder.parent) not in sys.path:
            sys.path.insert(0, str(folder.parent))
        return folder.name

    @property
    def app_module(self) -> str:
        """What `celery -A` gets: lessons.lesson01_basics.tasks, or proj.celery for a project."""
        return f"{self.package}{self.app}" if self.app.startswith(".") else self.app

    @property
    def python_path(self) -> list[str]:
        """Folders a worker must import from besides the repository root."""
        found = [str((self.folder / self.app_path).resolve())] if self.app_path else []
        if ROOT not in self.folder.resolve().parents:
            found.append(str(self.folder.resolve().parent))
        return found

    @property
    def workdir(self) -> str | None:
        """`celery --workdir` for a project imported from its own folder (demos/django_project), relative
        to the repository root where the learner types it; None for an ordinary lesson."""
        if not self.app_path:
            return None
        folder = (self.folder / self.app_path).resolve()
        return folder.relative_to(ROOT).as_posix() if ROOT in folder.parents else str(folder)

    def shell_env(self) -> dict[str, str]:
        """[env] entries a second terminal needs (DJANGO_SETTINGS_MODULE), {state} and {root} filled in;
        those naming one run ({run_id}: a throwaway database) are left out."""
        values = {"state": paths.state_dir(), "root": ROOT}
        return {key: value.format(**values) for key, value in self.env.items() if "{run_id}" not in value}

    def title_text(self) -> str:
        return pick(self.title)

    def notes_path(self, lang: str) -> Path:
        return self.folder / ("README.zh-CN.md" if lang == "zh" else "README.md")

    def scenario(self):
        return importlib.import_module(f"{self.package}.scenario").scenario

    def expectations(self):
        """The lesson's own test expectations (expect.py beside the scenario), or None."""
        if not (self.folder / "expect.py").exists():
            return None
        return importlib.import_module(f"{self.package}.expect")


def worker_specs(raw: list[dict] | None) -> list[WorkerSpec]:
    return [WorkerSpec(name=w.get("name", "worker1"), queues=tuple(w["queues"]) if "queues" in w else None,
                       concurrency=int(w.get("concurrency", 2)), pool=w.get("pool"),
                       prefetch_multiplier=int(w["prefetch_multiplier"]) if "prefetch_multiplier" in w else None,
                       args=tuple(w.get("args", ())), env={k: str(v) for k, v in w.get("env", {}).items()},
                       modes=tuple(w["modes"]) if "modes" in w else None)
            for w in (raw or [{}])]


def load(folder: Path) -> Lesson:
    """The one loader of lesson.toml (practice/catalog.py reads its [exercise] table from here)."""
    data = tomllib.loads((folder / "lesson.toml").read_text(encoding="utf-8"))
    services = [ServiceSpec.from_toml(s) for s in data.get("services", [])]
    return Lesson(int(data["number"]), folder, data["title"], data.get("summary", {"en": "", "zh": ""}),
                  worker_specs(data.get("workers")), services, dict(data.get("celery", {})),
                  data.get("app", ".tasks"), data.get("app_path"),
                  {str(k): str(v) for k, v in data.get("env", {}).items()}, data)


def lessons() -> list[Lesson]:
    found = [load(p.parent) for p in sorted(LESSONS_DIR.glob("lesson*/lesson.toml"))]
    # Tests add their own drills (tests/fault_lesson) with CLASSROOM_EXTRA_LESSONS=<folder>.
    for extra in filter(None, os.environ.get("CLASSROOM_EXTRA_LESSONS", "").split(os.pathsep)):
        found += [load(p.parent) for p in sorted((ROOT / extra).glob("*/lesson.toml"))]
    return sorted(found, key=lambda lesson: lesson.number)


def pick_numbered(items: list, number: str | int, message: str):
    """The item whose `.number` is `number`; a bad or unknown number is a UsageError listing the valid ones."""
    valid = ", ".join(str(item.number) for item in items)
    try:
        wanted = int(str(number).strip())
    except ValueError:
        raise UsageError(message, number=number, valid=valid) from None
    for item in items:
        if item.number == wanted:
            return item
    raise UsageError(message, number=number, valid=valid)


def get(number: str | int) -> Lesson:
    """The lesson with that number; anything else is a usage error listing the valid ones."""
    return pick_numbered(lessons(), number, "lesson.unknown")
