"""The learner's progress: which exercises passed, how many hints were shown, which lessons were played.

A small JSON file in the git-ignored state dir (.classroom/progress.json), written atomically, so
it survives restarts and a crash mid-write never loses it. `progress --reset` clears it.
"""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

from classroom import paths

VERSION = 1


def path() -> Path:
    return paths.state_dir() / "progress.json"


def load() -> dict:
    try:
        data = json.loads(path().read_text(encoding="utf-8"))
        if isinstance(data, dict) and data.get("version") == VERSION:
            return data
    except FileNotFoundError:
        pass
    except (OSError, ValueError):
        # unreadable: keep it aside for a curious teacher, start again rather than fail a lesson
        try:
            path().replace(path().with_suffix(".unreadable.json"))
        except OSError:
            pass
    return {"version": VERSION, "exercises": {}, "lessons": {}, "current": None}


def save(data: dict) -> None:
    target = path()
    tmp = target.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, target)


def _exercise(data: dict, number: int) -> dict:
    return data["exercises"].setdefault(str(number), {"done": False, "hints": 0, "checks": 0})


def record_check(number: int, ok: bool, complete: bool, mode: str) -> dict:
    """After `check N` on the student's file. `complete`: passed with no step skipped in this mode."""
    data = load()
    entry = _exercise(data, number)
    entry["checks"] += 1
    entry["last"] = {"ok": ok, "complete": complete, "mode": mode, "at": time.strftime("%Y-%m-%d %H:%M:%S")}
    entry["done"] = entry["done"] or (ok and complete)
    data["current"] = number
    save(data)
    return entry


def set_current(number: int) -> None:
    data = load()
    data["current"] = number
    save(data)


def reveal_hint(number: int, available: int) -> int:
    """Show one more hint: returns how many are revealed now (at most `available`)."""
    data = load()
    entry = _exercise(data, number)
    entry["hints"] = min(entry["hints"] + 1, available)
    data["current"] = number
    save(data)
    return entry["hints"]


def record_lesson(number: int) -> None:
    data = load()
    data["lessons"][str(number)] = {"done": True, "at": time.strftime("%Y-%m-%d %H:%M:%S")}
    save(data)


def done_exercises(data: dict | None = None) -> set[int]:
    data = data or load()
    return {int(n) for n, e in data["exercises"].items() if e.get("done")}


def done_lessons(data: dict | None = None) -> set[int]:
    data = data or load()
    return {int(n) for n, e in data["lessons"].items() if e.get("done")}


def current_exercise(numbers: list[int], data: dict | None = None) -> int | None:
    """The one being worked on (last touched, not yet done), else the first not done."""
    data = data or load()
    done = done_exercises(data)
    if data.get("current") in numbers and data["current"] not in done:
        return data["current"]
    return next((n for n in numbers if n not in done), None)


def reset() -> bool:
    """Forget everything; True if there was something to forget."""
    try:
        path().unlink()
        return True
    except FileNotFoundError:
        return False
