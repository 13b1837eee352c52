"""The exercises, read from exercises/index.toml: the one source for exercise, check, hint, reset, list
and the curriculum tests (rustlings' info.toml idea)."""
from __future__ import annotations

import importlib
import os
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from classroom import ROOT
from classroom.messages import pick
from classroom.runtime.workers import WorkerSpec

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.9/3.10
    import tomli as tomllib

PACKAGE = "exercises"
MATERIAL = ROOT / PACKAGE                     # index.toml, _starters, _solutions, _checks
DIR_ENV = "CLASSROOM_EXERCISES_DIR"           # where the student's files live (default: MATERIAL)
TARGETS = ("student", "starter", "solution")
TODO = re.compile(r"#\s*TODO\s+(\d+)\s*:")    # "# TODO 2: ..." belongs to check 2


def work_dir() -> Path:
    return Path(os.environ.get(DIR_ENV) or MATERIAL).resolve()


@dataclass
class Exercise:
    number: int
    module: str                    # "ex01_results": the file name, also under _starters/_solutions/_checks
    title: dict
    statement: dict
    hints: list[dict]
    lesson: int | None = None      # None: a classroom exercise not tied to one lesson
    workers: list[WorkerSpec] = field(default_factory=list)

    @property
    def working_path(self) -> Path:
        return work_dir() / f"{self.module}.py"

    @property
    def starter_path(self) -> Path:
        return MATERIAL / "_starters" / f"{self.module}.py"

    @property
    def solution_path(self) -> Path:
        return MATERIAL / "_solutions" / f"{self.module}.py"

    @property
    def checks_path(self) -> Path:
        return MATERIAL / "_checks" / f"{self.module}.py"

    def path(self, target: str) -> Path:
        return {"student": self.working_path, "starter": self.starter_path, "solution": self.solution_path}[target]

    def module_name(self, target: str) -> str:
        sub = {"student": "", "starter": "._starters", "solution": "._solutions"}[target]
        return f"{PACKAGE}{sub}.{self.module}"

    def checker(self):
        return importlib.import_module(f"{PACKAGE}._checks.{self.module}").checker

    def title_text(self) -> str:
        return pick(self.title)

    def ensure_working_copy(self) -> bool:
        """Create the student's file from the starter when it does not exist yet; True if created."""
        path = self.working_path
        if path.exists():
            return False
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self.starter_path, path)
        return True


def todo_numbers(path: Path) -> list[int]:
    """The check numbers the TODO markers in a file point at, in file order."""
    return [int(m.group(1)) for m in TODO.finditer(path.read_text(encoding="utf-8"))]


def load(path: Path = MATERIAL / "index.toml") -> list[Exercise]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    found = []
    for raw in data.get("exercises", []):
        workers = [WorkerSpec(name=w.get("name", "worker1"), queues=tuple(w.get("queues", ["celery"])),
                              concurrency=int(w.get("concurrency", 2)), pool=w.get("pool"))
                   for w in raw.get("workers", [{}])]
        found.append(Exercise(int(raw["number"]), raw["module"], raw["title"], raw["statement"],
                              list(raw.get("hints", [])), raw.get("lesson"), workers))
    return sorted(found, key=lambda ex: ex.number)


def exercises() -> list[Exercise]:
    return load()


def get(number: str | int) -> Exercise:
    """The exercise with that number; anything else is a usage error listing the valid ones."""
    from classroom.catalog import pick_numbered
    return pick_numbered(exercises(), number, "practice.unknown")


def for_lesson(lesson_number: int) -> Exercise | None:
    return next((ex for ex in exercises() if ex.lesson == lesson_number), None)


def shown_path(path: Path | str) -> str:
    """A path as the student types it: relative to the repository when inside it."""
    try:
        return str(Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return str(path)
