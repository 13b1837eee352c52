"""The exercises: each lesson's [exercise] table in its lesson.toml, with starter.py, solution.py and
check.py in the lesson's exercise/ folder; the classroom exercises have the same table and files in
exercises/classroom/<name>/. The one source for exercise, check, hint, reset, list and the tests."""
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
from classroom.catalog import worker_specs
from classroom.runtime.workers import WorkerSpec

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

PACKAGE = "exercises"                         # the student's files: exercises/exNN_*.py
WORK = ROOT / PACKAGE
CLASSROOM = WORK / "classroom"                # classroom exercises: classroom/exNN_*/exercise.toml
DIR_ENV = "CLASSROOM_EXERCISES_DIR"           # where the student's files live (default: WORK)
TARGETS = ("student", "starter", "solution")
TODO = re.compile(r"#\s*TODO\s+(\d+)\s*:")    # "# TODO 2: ..." belongs to check 2


def work_dir() -> Path:
    return Path(os.environ.get(DIR_ENV) or WORK).resolve()


@dataclass
class Exercise:
    """One exercise: its [exercise] table and its material folder (starter.py, solution.py, check.py)."""
    number: int
    module: str                    # "ex01_results": the student's file exercises/ex01_results.py
    title: dict
    statement: dict
    hints: list[dict]
    material: Path                 # lessons/lesson01_basics/exercise, or exercises/classroom/ex21_own_app
    lesson: int | None = None      # None: a classroom exercise not tied to one lesson
    workers: list[WorkerSpec] = field(default_factory=list)
    celery: dict = field(default_factory=dict)    # the lesson's [celery] settings apply to its exercise too

    @property
    def working_path(self) -> Path:
        return work_dir() / f"{self.module}.py"

    @property
    def starter_path(self) -> Path:
        return self.material / "starter.py"

    @property
    def solution_path(self) -> Path:
        return self.material / "solution.py"

    @property
    def checks_path(self) -> Path:
        return self.material / "check.py"

    @property
    def package(self) -> str:
        return ".".join(self.material.resolve().relative_to(ROOT).parts)

    def path(self, target: str) -> Path:
        return {"student": self.working_path, "starter": self.starter_path, "solution": self.solution_path}[target]

    def module_name(self, target: str) -> str:
        return f"{PACKAGE}.{self.module}" if target == "student" else f"{self.package}.{target}"

    def checker(self):
        return importlib.import_module(f"{self.package}.check").checker

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


def from_table(raw: dict, material: Path, lesson=None) -> Exercise:
    """An exercise runs with its lesson's [celery] settings, unless it has its own [exercise.celery]
    (lesson 13's results go to a Django database that an exercise's plain Celery app does not have)."""
    celery = raw["celery"] if "celery" in raw else (lesson.celery if lesson else {})
    return Exercise(int(raw["number"]), raw["module"], raw["title"], raw["statement"], list(raw.get("hints", [])),
                    material, lesson.number if lesson else None, worker_specs(raw.get("workers")), dict(celery))


def todo_numbers(path: Path) -> list[int]:
    """The check numbers the TODO markers in a file point at, in file order."""
    return [int(m.group(1)) for m in TODO.finditer(path.read_text(encoding="utf-8"))]


def load() -> list[Exercise]:
    """Every exercise: each lesson's [exercise] (from the one lesson.toml loader) and the classroom ones."""
    from classroom import catalog as lessons
    found = [from_table(lesson.raw["exercise"], lesson.folder / "exercise", lesson)
             for lesson in lessons.lessons() if "exercise" in lesson.raw]
    for toml in sorted(CLASSROOM.glob("*/exercise.toml")):
        found.append(from_table(tomllib.loads(toml.read_text(encoding="utf-8"))["exercise"], toml.parent))
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
