"""A lesson's words as data: ``steps.toml`` beside ``lesson.toml``.

Every title, explanation, check, note, label and skip reason a lesson shows lives there, in English and
Chinese, with named placeholders (``str.format`` fields, format specs allowed)::

    [delay_and_get]                       # a step, by its function's name
    title = { en = "delay() sends a task", zh = "delay() 发送任务" }
    explain = { en = "...", zh = "..." }
    unsupported = { en = "...", zh = "..." }      # optional: why the step cannot run in some modes
    [delay_and_get.text]
    returned = { en = "add(2, 3) returned {value}", zh = "add(2, 3) 返回了 {value}" }

    [common.text]                         # texts any step may use
    early = { en = "early ack", zh = "提前确认" }

A step's code refers to a text by id (``run.expect(ok, "returned", value=v)``): its own ``[step.text]``
first, then ``[common.text]``. Scenario code never holds a language, so the two can't drift apart
unnoticed: ``classroom.lessonkit.lint`` checks both languages, the placeholders and a record of the
English each Chinese text was confirmed against.
"""
from __future__ import annotations

import string
import sys
from dataclasses import dataclass, field
from pathlib import Path

from classroom.messages import LANGS, get_lang

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

FILE = "steps.toml"
COMMON = "common"


class TextError(KeyError):
    """A text id that the lesson's steps.toml does not have (a bug in the lesson, found by the lint)."""

    def __str__(self) -> str:
        return str(self.args[0])


def fields(template: str) -> set[str]:
    """The placeholder names of a format string: 'ran {n}× in {s:.2f} s' -> {'n', 's'}."""
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(template) if name}


@dataclass
class Texts:
    """The texts of one lesson, read from its steps.toml."""
    path: Path | None
    table: dict = field(default_factory=dict)

    @classmethod
    def load(cls, folder: Path) -> "Texts":
        path = Path(folder) / FILE
        if not path.exists():
            return cls(None, {})
        with open(path, "rb") as fh:
            return cls(path, tomllib.load(fh))

    def step_entry(self, step: str, key: str) -> dict | None:
        """title / explain / unsupported of a step: a {"en", "zh"} pair, or None."""
        return (self.table.get(step) or {}).get(key)

    def entry(self, step: str | None, text_id: str) -> dict:
        for owner in (step, COMMON):
            found = ((self.table.get(owner) or {}).get("text") or {}).get(text_id) if owner else None
            if found is not None:
                return found
        where = f"[{step}.text] or [{COMMON}.text]" if step else f"[{COMMON}.text]"
        raise TextError(f"{self.path or FILE}: no text {text_id!r} in {where}")

    def render(self, step: str | None, text_id: str, values: dict, lang: str | None = None) -> str:
        entry = self.entry(step, text_id)
        return render(entry, values, lang)

    def ids(self) -> dict[str, set[str]]:
        """Every text id, by owner (a step's name, or 'common')."""
        return {owner: set((body.get("text") or {}).keys()) for owner, body in self.table.items()
                if isinstance(body, dict)}


def render(entry: dict, values: dict, lang: str | None = None) -> str:
    """One {"en", "zh"} entry in the current language, its placeholders filled in."""
    lang = lang or get_lang()
    if lang not in entry:
        raise TextError(f"text has no {lang!r}: {entry!r}")
    template = entry[lang]
    return template.format(**values) if values or "{" in template else template


def pairs(table: dict, prefix: str = ""):
    """Every {"en", "zh"} pair in a nested table, with a dotted key: (key, pair)."""
    for key, value in table.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict) and set(value) & set(LANGS) and all(isinstance(v, str) for v in value.values()):
            yield name, value
        elif isinstance(value, dict):
            yield from pairs(value, name)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, dict):
                    yield from pairs(item, f"{name}[{i}]")
