"""The lessons, read from each folder's ``lesson.toml``: the single source for list, README and tests."""
from __future__ import annotations

import importlib
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from . import LESSONS_DIR, ROOT
from .errors import UsageError
from .messages import pick
from .workers import WorkerSpec

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.9/3.10
    import tomli as tomllib


@dataclass
class Lesson:
    number: int
    folder: Path
    title: dict
    summary: dict
    workers: list[WorkerSpec] = field(default_factory=list)
    raw: dict = field(default_factory=dict)

    @property
    def package(self) -> str:
        return ".".join(self.folder.resolve().relative_to(ROOT).parts)

    @property
    def tasks_module(self) -> str:
        return f"{self.package}.tasks"

    def title_text(self) -> str:
        return pick(self.title)

    def notes_path(self, lang: str) -> Path:
        return self.folder / ("README.zh-CN.md" if lang == "zh" else "README.md")

    def scenario(self):
        return importlib.import_module(f"{self.package}.scenario").scenario


def load(folder: Path) -> Lesson:
    data = tomllib.loads((folder / "lesson.toml").read_text(encoding="utf-8"))
    workers = [WorkerSpec(name=w.get("name", "worker1"), queues=tuple(w.get("queues", ["celery"])),
                          concurrency=int(w.get("concurrency", 2)), pool=w.get("pool"))
               for w in data.get("workers", [{}])]
    return Lesson(int(data["number"]), folder, data["title"], data.get("summary", {"en": "", "zh": ""}),
                  workers, data)


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
