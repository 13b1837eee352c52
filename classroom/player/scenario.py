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

from celery import states

from classroom.messages import pick, t
from classroom.runtime import bounds, waits
from classroom.runtime.tracking import tracker


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
            if _hidden(node):
                hidden.update(range(node.lineno - 1, node.end_lineno))
        start = func.body[0].lineno - 1
        kept = [line for i, line in enumerate(lines[start:], start) if i not in hidden]
        return textwrap.dedent("\n".join(kept)).strip("\n")


def _hidden(node: ast.stmt) -> bool:
    """A statement the learner need not read: the docstring, run.expect/say/show/timeline/tree(...),
    run.data updates, and a for/if made only of those."""
    if isinstance(node, ast.Expr):
        value = node.value
        return isinstance(value, ast.Constant) or _is_bookkeeping(value) or (
            isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and _is_run_data(value.func.value))
    if isinstance(node, ast.Assign):
        return all(isinstance(target, ast.Subscript) and _is_run_data(target.value) for target in node.targets)
    if isinstance(node, (ast.For, ast.If)):
        return all(_hidden(child) for child in node.body + node.orelse)
    return False


def _is_run_data(node: ast.AST) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr == "data"
            and isinstance(node.value, ast.Name) and node.value.id == "run")


def _is_bookkeeping(call: ast.AST) -> bool:
    if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)):
        return False
    owner = call.func.value
    if _is_run_data(owner):                    # run.data.update(...)
        return True
    return isinstance(owner, ast.Name) and owner.id == "run" and call.func.attr in BOOKKEEPING


BOOKKEEPING = {"expect", "say", "show", "timeline", "tree", "render", "allow_exit", "bars"}


class StepSkipped(Exception):
    """Raised by `run.skip(reason)`: this step cannot run here (e.g. chords on the rpc:// backend)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


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
    renderables: list = field(default_factory=list)   # rich renderables shown after the notes (a dashboard)
    data: dict = field(default_factory=dict)   # facts a step records for the JSON report (tests read them)
    began: float = field(default_factory=time.time)

    def __post_init__(self) -> None:
        if self.session is None:
            from classroom.runtime.session import Session
            self.session = Session.current

    # --- waiting (every wait is bounded; see classroom/waits.py) ---
    def get(self, result, timeout: float = bounds.RESULT_S, propagate: bool = True) -> Any:
        """result.get(timeout=...) with a hard deadline and a diagnosis when nothing comes."""
        return waits.get(result, timeout=timeout, propagate=propagate)

    def poll(self, result, until: Callable[[str, Any], bool], timeout: float = bounds.RESULT_S,
             on_change: Callable[[str, Any], None] | None = None) -> str:
        self._need_stored_states()
        return waits.poll_state(result, until, timeout, on_change=on_change)

    def _need_stored_states(self) -> None:
        """rpc:// sends each state as a message to the client once; after a get() has started consuming
        them, polling .state never sees them again. Say so instead of failing on a Celery limitation."""
        if type(self.app.backend).__name__ == "RPCBackend":
            self.skip(t("step.rpc_polling"))

    def progress(self, result, timeout: float = bounds.RESULT_S, interval: float = 0.02) -> list[tuple[str, Any]]:
        """Poll (bounded) until `result` is ready, drawing a live bar from the task's real meta
        (``{'current': i, 'total': n}``). Returns every distinct (state, info) seen, in order."""
        from classroom.player.views import ProgressView
        self._need_stored_states()
        seen: list[tuple[str, Any]] = []
        with ProgressView(t("progress.label", task_id=result.id[:8])) as view:
            def changed(state: str, info: Any) -> None:
                seen.append((state, info))
                view.update(state, info)
            waits.poll_state(result, lambda state, info: state in states.READY_STATES, timeout,
                             interval=interval, on_change=changed)
        return seen

    def records(self, results, seconds: float = 1.0) -> list:
        """What the events say about these tasks (worker, process, start and end times), in order."""
        ids = [r.id for r in results]
        tracker.settle(ids, seconds)
        return [tracker.tasks.get(i) for i in ids]

    def step_tasks(self, seconds: float = 1.0) -> list:
        """Every task seen since this step began, also those a worker sent (chain links, chord callbacks),
        as AsyncResults in the order they started."""
        def mine() -> list:
            with tracker.lock:
                return [rec for rec in tracker.tasks.values()
                        if (rec.sent or rec.received or rec.started or 0) >= self.began]
        waits.wait_until(lambda: all(rec.ended for rec in mine()), seconds, 0.02)
        return [self.app.AsyncResult(rec.id) for rec in sorted(mine(), key=lambda r: r.started or r.sent or 0)]

    def skip(self, reason: str | dict) -> None:
        """Stop this step here and count it as skipped, saying why (both languages)."""
        raise StepSkipped(pick(reason))

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)

    def wait_until(self, predicate: Callable[[], Any], timeout: float, interval: float = 0.05) -> bool:
        """Poll `predicate` (bounded) until it is true; an exception counts as "not yet"."""
        def safe() -> bool:
            try:
                return bool(predicate())
            except Exception:
                return False
        return waits.wait_until(safe, timeout, interval)

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

    def allow_exit(self, worker) -> None:
        """This worker is meant to stop (a shutdown, a kill): its exit is not reported as a failure."""
        worker.expected_exit = True

    def render(self, renderable) -> None:
        """Show a rich renderable (a table, a dashboard) with the step's outcome."""
        self.renderables.append(renderable)

    def tree(self, signature) -> None:
        """Draw a canvas (chain / group / chord) as a tree, now, before it runs."""
        from classroom.player.views import show_tree
        show_tree(signature)

    def bars(self, rows: list[tuple[str | dict, float]], title: str | dict = "", unit: str = "") -> None:
        """Draw measured numbers as a bar chart after the step: rows of (label, value), one unit."""
        from classroom.player.charts import Chart
        self.render(Chart(pick(title), [(pick(label), float(value)) for label, value in rows], unit))

    def timeline(self, results, title: str | dict = "") -> None:
        """Draw these tasks on a timeline (one row per worker process) after the step."""
        self.timelines.append((pick(title), [r.id for r in results]))
