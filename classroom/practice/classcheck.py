"""`check N --class DIR`: one exercise, every student's file, the same bounds for each.

DIR holds one folder per student, each shaped like exercises/ (alice/ex01_results.py, ...). Each
student's check is the ordinary `check` child process (classroom/practice/child.py) with that folder
as CLASSROOM_EXERCISES_DIR, so an endless loop or a crash in one file is stopped by the child's own
bounds and never blocks the others. Up to `jobs` checks run side by side.
"""
from __future__ import annotations

import csv
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from classroom.messages import t
from classroom.practice.catalog import Exercise
from classroom.practice.runner import CheckRun, run_check


@dataclass
class StudentResult:
    student: str
    run: CheckRun | None          # None: the student's folder has no file for this exercise

    @property
    def ok(self) -> bool:
        return bool(self.run and self.run.ok)

    @property
    def seconds(self) -> float:
        return self.run.seconds if self.run else 0.0


def default_jobs() -> int:
    """Two checks per core at most (a check mostly waits on its worker), never more than 8."""
    return max(1, min(8, 2 * (os.cpu_count() or 1)))


def students(folder: Path) -> list[Path]:
    return sorted((p for p in folder.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))),
                  key=lambda p: p.name.lower())


def check_class(exercise: Exercise, folder: Path, mode: str = "auto", url: str | None = None,
                jobs: int | None = None) -> list[StudentResult]:
    def one(student: Path) -> StudentResult:
        if not (student / f"{exercise.module}.py").exists():
            return StudentResult(student.name, None)
        return StudentResult(student.name, run_check(exercise, "student", mode, url, show=False,
                                                     work_dir=student.resolve(), label=student.name))

    with ThreadPoolExecutor(max_workers=jobs or default_jobs(), thread_name_prefix="class-check") as pool:
        return list(pool.map(one, students(folder)))


def statuses(result: StudentResult, steps: int) -> list[str]:
    """'ok' / 'fail' / 'skip' / 'notrun' / 'stretch_met' / 'stretch_open' for checks 1..steps; '' where the
    run has no such check."""
    if result.run is None:
        return [""] * steps
    by_number = {s["n"]: s["status"] for s in result.run.steps}
    return [by_number.get(n, "") for n in range(1, steps + 1)]


def error_of(result: StudentResult) -> str:
    """What went wrong, as the single-student check says it: the run's own error (no broker, the check's
    deadline), else the first failed check and what happened there (the syntax error's line, the import
    bound); "" when nothing failed."""
    if result.run is None:
        return "no file"
    if result.run.error:
        return result.run.error
    failed = next((s for s in result.run.steps if s["status"] == "fail"), None)
    if failed is None:
        return ""
    return t("practice.class_error", n=failed["n"], actual=failed.get("actual") or failed.get("title", ""))


def skipped_for_everyone(results: list[StudentResult], steps: int) -> list[int]:
    """The checks no student could run in this mode (⏭ in every row that ran)."""
    rows = [statuses(r, steps) for r in results if r.run is not None and r.run.steps]
    return [n for n in range(1, steps + 1) if rows and all(row[n - 1] == "skip" for row in rows)]


def write_csv(path: Path, exercise: Exercise, results: list[StudentResult], steps: int) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["student", "exercise", "ok", *[f"check_{n}" for n in range(1, steps + 1)], "seconds", "error"])
        for r in results:
            out.writerow([r.student, exercise.number, "yes" if r.ok else "no", *statuses(r, steps),
                          f"{r.seconds:.2f}", error_of(r)])
