"""Steps and scenarios: what a lesson's ``scenario.py`` declares.

    scenario = Scenario()

    @scenario.step()                       # title and explanation: [delay_and_get] in steps.toml
    def delay_and_get(run):
        result = tasks.add.delay(2, 3)
        run.expect(run.get(result) == 5, "returned")

    @scenario.step(needs="processes")      # the engine skips it where it can't run, and says why
    def kill_the_pool(run): ...

The runner shows each step's own code (without the bookkeeping, with the kit's bounded calls written as
the Celery calls they make), runs it under a deadline, and shows what the real worker did.
"""
from __future__ import annotations

import ast
import inspect
import sys
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from classroom.lessonkit.texts import Texts, render
from classroom.messages import pick, sentences, t
from classroom.runtime import bounds

# What each capability needs: the broker modes that have it. A step that needs one is skipped elsewhere,
# with the engine's reason and the command that shows it.
CAPABILITIES: dict[str, tuple[str, ...]] = {
    "processes": ("redis", "rabbitmq"),     # real worker processes (kill, signals, pool processes, CLI)
    "prefork": ("redis", "rabbitmq"),       # the prefork pool (memory mode runs threads)
    "redis": ("redis",),
    "rabbitmq": ("rabbitmq",),
}
SHOWN_ON = {"processes": "redis", "prefork": "redis", "redis": "redis", "rabbitmq": "rabbitmq"}
NEEDS_TEXT = {"processes": "kit.needs.processes", "prefork": "kit.needs.prefork", "redis": "kit.needs.redis",
              "rabbitmq": "kit.needs.rabbitmq"}

# The run's calls the learner need not read (checks, notes, what to draw), hidden from the listing.
BOOKKEEPING = {"expect", "say", "echo", "show", "timeline", "tree", "render", "allow_exit", "bars"}


class StepSkipped(Exception):
    """Raised by `run.skip(...)`: this step cannot run here (e.g. chords on the rpc:// backend)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class Step:
    func: Callable
    texts: Texts | None = None
    needs: tuple[str, ...] = ()
    deadline_s: float = bounds.STEP_S
    legacy: dict = field(default_factory=dict)   # title/explain/unsupported/modes given inline (old lessons)

    @property
    def name(self) -> str:
        return self.func.__name__

    def _words(self, key: str) -> str | None:
        if key in self.legacy:
            return pick(self.legacy[key]) if self.legacy[key] else None
        entry = self.texts.step_entry(self.name, key) if self.texts else None
        return render(entry, {}) if entry else None

    @property
    def title(self) -> str:
        return self._words("title") or self.name

    @property
    def explain(self) -> str:
        return self._words("explain") or ""

    @property
    def modes(self) -> tuple[str, ...] | None:
        """The broker modes this step runs in (None: every mode)."""
        if self.legacy.get("modes"):
            return tuple(self.legacy["modes"])
        allowed: set[str] | None = None
        for need in self.needs:
            have = set(CAPABILITIES.get(need, ()))
            allowed = have if allowed is None else allowed & have
        return tuple(sorted(allowed)) if allowed is not None else None

    def runs_in(self, mode: str) -> bool:
        return self.modes is None or mode in self.modes

    def skip_reason(self, mode: str, lesson_number: int | None) -> str:
        """Why this step does not run in `mode`, and the command that shows it (both from data)."""
        why = self._words("unsupported")
        if "modes" in self.legacy:
            return why or t("ui.step_needs", modes=", ".join(self.modes or ()))
        need = next((n for n in self.needs if mode not in CAPABILITIES.get(n, ())), None)
        command = f"python runner.py lesson {lesson_number} --broker {SHOWN_ON.get(need or '', 'redis')}"
        engine = t(NEEDS_TEXT[need]) if need else ""
        return sentences(why or engine, t("kit.see_it", command=command))

    @property
    def code(self) -> str:
        """The step's Celery code as the learner should read it: the body without the docstring and the
        bookkeeping (run.expect / say / show ...), with the kit's bounded calls written as Celery calls."""
        source = textwrap.dedent(inspect.getsource(self.func))
        func = ast.parse(source).body[0]
        lines = source.splitlines()
        hidden: set[int] = set()
        for node in func.body:
            if _hidden(node):
                hidden.update(range(node.lineno - 1, node.end_lineno))
        lines = _as_celery(source, func, lines)
        start = func.body[0].lineno - 1
        kept = [line for i, line in enumerate(lines[start:], start) if i not in hidden]
        return textwrap.dedent("\n".join(kept)).strip("\n")


def _hidden(node: ast.stmt) -> bool:
    """A statement the learner need not read: the docstring, bookkeeping calls, run.data / run.state
    updates, and a for/if made only of those."""
    if isinstance(node, ast.Expr):
        value = node.value
        return isinstance(value, ast.Constant) or _is_bookkeeping(value)
    if isinstance(node, (ast.Assign, ast.AugAssign)):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        return all(isinstance(target, ast.Subscript) and _is_run_attr(target.value, ("data", "state"))
                   for target in targets)
    if isinstance(node, (ast.For, ast.If)):
        return all(_hidden(child) for child in node.body + node.orelse)
    return False


def _is_run_attr(node: ast.AST, names: tuple[str, ...]) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr in names
            and isinstance(node.value, ast.Name) and node.value.id == "run")


def _is_bookkeeping(call: ast.AST) -> bool:
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)):
        return False
    owner = call.func.value
    if _is_run_attr(owner, ("data", "state")):            # run.data.update(...)
        return True
    return isinstance(owner, ast.Name) and owner.id == "run" and call.func.attr in BOOKKEEPING


def _as_celery(source: str, func: ast.FunctionDef, lines: list[str]) -> list[str]:
    """Write `run.get(r)` as `r.get(timeout=N)` (N: bounds.RESULT_S) and `run.sleep(s)` as `time.sleep(s)`: what the kit
    calls, bounded, is Celery's own API (single-line calls only; others are shown as written)."""
    edits: list[tuple[int, int, int, str]] = []
    for node in ast.walk(func):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "run"
                and node.lineno == node.end_lineno):
            continue
        seg = lambda n: ast.get_source_segment(source, n)   # noqa: E731 - a local shorthand
        keywords = {k.arg: seg(k.value) for k in node.keywords}
        if node.func.attr == "get" and node.args:
            options = [f"timeout={keywords.get('timeout', bounds.RESULT_S)}"]
            if "propagate" in keywords:
                options.append(f"propagate={keywords['propagate']}")
            text = f"{seg(node.args[0])}.get({', '.join(options)})"
        elif node.func.attr == "sleep" and node.args:
            text = f"time.sleep({seg(node.args[0])})"
        else:
            continue
        edits.append((node.lineno - 1, node.col_offset, node.end_col_offset, text))
    for row, start, end, text in sorted(edits, key=lambda e: (e[0], -e[1])):
        line = lines[row].encode("utf-8")
        lines[row] = (line[:start] + text.encode("utf-8") + line[end:]).decode("utf-8")
    return lines


class Scenario:
    """A lesson's steps, in order, and its words (steps.toml beside the scenario)."""

    def __init__(self, folder: Path | str | None = None) -> None:
        if folder is None:   # the lesson folder of the module that made this scenario
            folder = Path(sys._getframe(1).f_globals.get("__file__", ".")).resolve().parent
        self.folder = Path(folder)
        self.texts = Texts.load(self.folder)
        self.steps: list[Step] = []

    def step(self, title: dict | None = None, explain: dict | None = None, modes: tuple[str, ...] | None = None,
             unsupported: dict | None = None, deadline_s: float = bounds.STEP_S,
             needs: str | tuple[str, ...] = ()) -> Callable:
        legacy = {k: v for k, v in (("title", title), ("explain", explain), ("unsupported", unsupported),
                                    ("modes", modes)) if v is not None}
        wanted = (needs,) if isinstance(needs, str) else tuple(needs)
        unknown = [n for n in wanted if n not in CAPABILITIES]
        if unknown:
            raise ValueError(f"unknown capability {unknown}: one of {sorted(CAPABILITIES)}")

        def register(func: Callable) -> Callable:
            self.steps.append(Step(func, self.texts, wanted, deadline_s, legacy))
            return func
        return register
