"""How a lesson is played: a list of steps, each a plain function that uses real Celery calls.

A lesson's ``scenario.py``::

    scenario = Scenario()

    @scenario.step(title={"en": "...", "zh": "..."}, explain={"en": "...", "zh": "..."})
    def send_with_delay(run):
        result = tasks.add.delay(2, 3)
        run.expect(run.get(result) == 5, {"en": "add(2, 3) returns 5", "zh": "add(2, 3) 返回 5"})

The runner shows each step's own source code, runs it under a hard deadline, and shows what the
real worker did. `run` (a `Run`) gives the bounded waits and records what to show.
"""
from __future__ import annotations

import ast
import inspect
import textwrap
import time
from dataclasses import dataclass, field
from typing import Any, Callable

from . import bounds, waits
from .messages import pick
from .tracking import tracker


@dataclass
class Step:
    func: Callable
    title: dict
    explain: dict
    modes: tuple[str, ...] | None = None       # None: every mode
    unsupported: dict | None = None            # what to say in a mode the step can't run in
    deadline_s: float = bounds.STEP_S

    @property
    def code(self) -> str:
        """The step's Celery code as the learner should read it: the body, without the docstring and
        without the runner's bookkeeping statements (run.expect / run.say / run.show / run.timeline)."""
        source = textwrap.dedent(inspect.getsource(self.func))
        func = ast.parse(source).body[0]
        lines = source.splitlines()
        hidden: set[int] = set()
        for node in func.body:
            if (isinstance(node, ast.Expr) and (_is_bookkeeping(node.value) or isinstance(node.value, ast.Constant))) \
                    or _records_data(node):
                hidden.update(range(node.lineno - 1, node.end_lineno))
        start = func.body[0].lineno - 1
        kept = [line for i, line in enumerate(lines[start:], start) if i not in hidden]
        return textwrap.dedent("\n".join(kept)).strip("\n")


def _is_bookkeeping(call: ast.AST) -> bool:
    return (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
            and isinstance(call.func.value, ast.Name) and call.func.value.id == "run"
            and call.func.attr in BOOKKEEPING)


def _records_data(node: ast.AST) -> bool:
    """`run.data[...] = ...` and `run.data.update(...)`: facts for the JSON report, not for the learner."""
    def is_run_data(expr: ast.AST) -> bool:
        return (isinstance(expr, ast.Attribute) and expr.attr == "data"
                and isinstance(expr.value, ast.Name) and expr.value.id == "run")
    if isinstance(node, ast.Assign):
        return all(isinstance(t, ast.Subscript) and is_run_data(t.value) for t in node.targets)
    return (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
            and isinstance(node.value.func, ast.Attribute) and is_run_data(node.value.func.value))


BOOKKEEPING = {"expect", "say", "show", "timeline"}


class Scenario:
    def __init__(self) -> None:
        self.steps: list[Step] = []

    def step(self, title: dict, explain: dict, modes: tuple[str, ...] | None = None,
             unsupported: dict | None = None, deadline_s: float = bounds.STEP_S) -> Callable:
        def register(func: Callable) -> Callable:
            self.steps.append(Step(func, title, explain, modes, unsupported, deadline_s))
            return func
        return register


@dataclass
class Observation:
    """One task as the learner sees it: id, name, state, result, worker, duration."""
    task_id: str
    name: str
    state: str
    result: Any
    worker: str
    seconds: float | None
    label: str = ""


@dataclass
class Run:
    """What a step function receives: the app, the mode, bounded waits and what to show."""
    app: Any
    mode: str
    workers: list[str]
    lesson: Any = None
    session: Any = None                        # the Session: its workers and beats (default: the current one)
    observations: list[Observation] = field(default_factory=list)
    checks: list[tuple[bool, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    timelines: list[tuple[str, list[str]]] = field(default_factory=list)
    data: dict = field(default_factory=dict)   # facts a step records for the JSON report (tests read them)

    def __post_init__(self) -> None:
        if self.session is None:
            from .session import Session
            self.session = Session.current

    # --- waiting (every wait is bounded; see classroom/waits.py) ---
    def get(self, result, timeout: float = bounds.RESULT_S, propagate: bool = True) -> Any:
        """result.get(timeout=...) with a hard deadline and a diagnosis when nothing comes."""
        return waits.get(result, timeout=timeout, propagate=propagate)

    def poll(self, result, until: Callable[[str, Any], bool], timeout: float = bounds.RESULT_S,
             on_change: Callable[[str, Any], None] | None = None) -> str:
        return waits.poll_state(result, until, timeout, on_change=on_change)

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)

    def worker_log(self, contains: str, count: int = 1, timeout: float = bounds.LOG_S) -> list[str]:
        """The lines of the workers' logs (what the worker's terminal shows) that contain `contains`,
        waiting up to `timeout` seconds for `count` of them (log lines trail the results slightly)."""
        lines: list[str] = []

        def found() -> bool:
            lines[:] = [line for w in self.session.workers for line in w.log_tail(10_000).splitlines()
                        if contains in line]
            return len(lines) >= count

        waits.wait_until(found, timeout, 0.05)
        return lines

    # --- recording ---
    def show(self, result, label: str | dict = "") -> Observation:
        """Add a row for `result` (an AsyncResult) with what the backend and the events say."""
        waits.call_with_deadline(lambda: result.state, bounds.BROKER_SOCKET_S + 2)
        tracker.settle([result.id], 0.5)
        rec = tracker.tasks.get(result.id)
        state = result.state
        value = result.result if state in ("SUCCESS", "FAILURE", "RETRY") else result.info
        if isinstance(value, BaseException):
            value = f"{type(value).__name__}: {value}"
        worker = (rec.hostname if rec and rec.hostname else None) or (getattr(result, "worker", None) or "")
        seconds = None
        if rec and rec.started and rec.ended and rec.ended >= rec.started:   # a retried task: the last try
            seconds = rec.ended - rec.started
        name = (rec.name if rec and rec.name else getattr(result, "name", "")) or ""
        obs = Observation(result.id, name.rsplit(".", 1)[-1], state, value, worker, seconds, pick(label))
        self.observations.append(obs)
        return obs

    def expect(self, ok: bool, what: str | dict) -> bool:
        """A claim the lesson makes; a false one fails the step (and the runner's exit code)."""
        self.checks.append((bool(ok), pick(what)))
        return bool(ok)

    def say(self, text: str | dict) -> None:
        self.notes.append(pick(text))

    def timeline(self, results, title: str | dict = "") -> None:
        """Draw these tasks on a timeline (one row per worker process) after the step."""
        self.timelines.append((pick(title), [r.id for r in results]))
