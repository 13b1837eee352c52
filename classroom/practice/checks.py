"""How a checker is written: numbered checks, each a small function that uses a real worker.

An exercise's checker (lessons/lessonNN_*/exercise/check.py, exercises/classroom/exNN_*/check.py)::

    checker = Checker()

    @checker.check({"en": "add(2, 3) returns 5 on a worker", "zh": "add(2, 3) 在 worker 上返回 5"})
    def add_returns_sum(ctx):
        outcome = ctx.call("add", 2, 3)            # add.delay(2, 3) and a bounded wait
        ctx.expect_value(outcome, 5)               # else: what was expected, what the worker did

Check 1 is always "your file imports" (done before any worker starts); the checker's checks are
2, 3, ... in the order they are written, and the starter's "# TODO 2:" markers point at them.
"""
from __future__ import annotations

import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from classroom.errors import ClassroomError
from classroom.messages import pick, t
from classroom.runtime import bounds, waits
from classroom.runtime.tracking import tracker


class Seen(set):
    """The task ids known at a moment (`at`, time.time()): what ctx.known_tasks() returns."""

    def __init__(self, ids=(), at: float = 0.0) -> None:
        super().__init__(ids)
        self.at = at


class CheckFailed(Exception):
    """A check that did not pass: what was expected, and what really happened (both localized)."""

    def __init__(self, expected: str, actual: str) -> None:
        super().__init__(f"{expected} / {actual}")
        self.expected, self.actual = expected, actual


@dataclass
class Check:
    func: Callable
    title: dict
    modes: tuple[str, ...] | None = None      # None: every broker mode
    unsupported: dict | None = None           # why it cannot run in another mode, and the command that can
    deadline_s: float = bounds.EXERCISE_STEP_S
    # "check": must pass. "explain": must pass too; it asks a question the student answers in code
    # (a constant or a function) and compares that answer with what the worker really does.
    # "stretch": optional; a ★ when met, never a failure when not.
    kind: str = "check"


KINDS = ("check", "explain", "stretch")


class Checker:
    def __init__(self) -> None:
        self.checks: list[Check] = []

    def check(self, title: dict, modes: tuple[str, ...] | None = None, unsupported: dict | None = None,
              deadline_s: float = bounds.EXERCISE_STEP_S, kind: str = "check") -> Callable:
        assert kind in KINDS, kind
        def register(func: Callable) -> Callable:
            self.checks.append(Check(func, title, modes, unsupported, deadline_s, kind))
            return func
        return register

    def explain(self, title: dict, **options) -> Callable:
        """A question answered in code, verified by behaviour on the worker (see Check.kind)."""
        return self.check(title, kind="explain", **options)

    def stretch(self, title: dict, **options) -> Callable:
        """An optional goal: recognised when met, never failing the check when not."""
        return self.check(title, kind="stretch", **options)


@dataclass
class Outcome:
    """What the real worker did with one task."""
    call: str
    task_id: str
    state: str
    value: Any = None
    error: str = ""             # "ValueError: bad input" when the task failed
    exc_type: str = ""
    worker: str = ""
    seconds: float = 0.0

    def said(self) -> str:
        """One line: what the worker did, for a failed check's 'got' line."""
        who = self.worker or t("practice.a_worker")
        if self.state == "FAILURE":
            return t("practice.got_failure", call=self.call, worker=who, error=self.error)
        return t("practice.got_value", call=self.call, worker=who, value=_short(self.value), state=self.state,
                 ms=self.seconds * 1000)


def _short(value: Any, width: int = 120) -> str:
    text = repr(value)
    return text if len(text) <= width else text[: width - 1] + "…"


@dataclass
class Ctx:
    """What a check receives: the student's module and app, the workers, bounded calls and claims."""
    module: Any
    mode: str
    workers: list[str]
    data: dict = field(default_factory=dict)       # facts for the JSON report (tests read them)
    timed_out: bool = False                        # a task never returned: stop the workers hard
    # The lesson kit's Run for the check's session: ctx.run.tasks(...), ctx.run.worker(name).kill_pool_process(),
    # ctx.run.inspect(...), ctx.run.file(...), the same bounded operations a scenario has.
    run: Any = None

    @property
    def app(self):
        return self.module.app

    @property
    def file(self) -> str:
        return getattr(self.module, "__file__", "") or ""

    # --- what the student wrote ---
    def task(self, name: str):
        """The task `name` in the student's module; fails clearly when missing or not a Celery task."""
        obj = getattr(self.module, name, None)
        if obj is None:
            self.fail(t("practice.exp_task", name=name), t("practice.no_such_name", name=name))
        if not hasattr(obj, "apply_async"):
            self.fail(t("practice.exp_task", name=name), t("practice.not_a_task", name=name))
        return obj

    def client(self, name: str, *args, **kwargs) -> Any:
        """Call the student's plain function `name` (code that sends tasks) under a deadline."""
        func = getattr(self.module, name, None)
        if not callable(func):
            self.fail(t("practice.exp_function", name=name), t("practice.no_such_name", name=name))
        call = f"{name}({', '.join([repr(a) for a in args] + [f'{k}={v!r}' for k, v in kwargs.items()])})"
        try:
            return waits.call_with_deadline(lambda: func(*args, **kwargs), bounds.EXERCISE_CALL_S)
        except ClassroomError:
            self.timed_out = True
            self.fail(t("practice.exp_returns", call=call), t("practice.call_timeout", call=call,
                                                               seconds=bounds.EXERCISE_CALL_S))
        except Exception as exc:
            self.fail(t("practice.exp_returns", call=call), t("practice.call_raised", call=call,
                                                               error=describe_exception(exc, self.file)))

    # --- sending and waiting (bounded) ---
    def send(self, task, *args, **options):
        """task.apply_async(args, **options), or by name when `task` is a string."""
        task = self.task(task) if isinstance(task, str) else task
        return waits.call_with_deadline(lambda: task.apply_async(args, **options),
                                        bounds.BROKER_SOCKET_S + 2)

    def outcome(self, result, call: str, timeout: float = bounds.EXERCISE_RESULT_S) -> Outcome:
        """Wait (bounded) for `result`; a task that never returns fails the check with the likely cause."""
        began = time.monotonic()
        try:
            waits.get(result, timeout=timeout, propagate=False)
        except ClassroomError as exc:           # waits.diagnose: no worker / not registered / still running
            self.timed_out = True
            self.fail(t("practice.exp_result", call=call, seconds=timeout), exc.message())
        value = result.result
        out = Outcome(call, result.id, result.state, value, worker=self.worker_of(result),
                      seconds=time.monotonic() - began)
        if isinstance(value, BaseException):
            out.value, out.exc_type, out.error = None, type(value).__name__, f"{type(value).__name__}: {value}"
        return out

    def value(self, result, call: str, timeout: float = bounds.EXERCISE_RESULT_S) -> Any:
        """result.get() (an AsyncResult or a GroupResult), bounded; a timeout or an error fails the check."""
        if hasattr(result, "results") and not hasattr(result, "state"):
            # A GroupResult asks app.backend, which is per thread: with Redis, waiting in another thread
            # than the one that sent the group never sees the results. Each AsyncResult keeps its own.
            return [self.value(r, f"{call}[{i}]", timeout) for i, r in enumerate(result.results)]
        try:
            return waits.get(result, timeout=timeout)
        except ClassroomError as exc:
            self.timed_out = True
            self.fail(t("practice.exp_result", call=call, seconds=timeout), exc.message())
        except Exception as exc:               # the task's own exception, re-raised by get()
            self.fail(t("practice.exp_result", call=call, seconds=timeout),
                      t("practice.call_raised", call=call, error=f"{type(exc).__name__}: {exc}"))

    def known_tasks(self) -> "Seen":
        """Ids of every task seen so far (sent here, or reported by a worker's events), and when."""
        with tracker.lock:
            return Seen(tracker.tasks, at=time.time())

    def new_tasks(self, before: "Seen", name: str, settle_s: float = 1.0) -> list:
        """Tracking records of the tasks called `name` that began after `before` was taken, once their
        events arrived. "Began" is the first time anyone saw the task (sent, received, started), not when
        its event reached us: a task a worker sent in the previous check (a chain's second task) can be
        reported a moment after `before`, and must not count here (a CI run counted 5 mul tasks of 4)."""
        def began_after(rec) -> bool:
            first = min((ts for ts in (rec.sent, rec.received, rec.started) if ts), default=None)
            return first is None or first >= getattr(before, "at", 0.0)

        def matching():
            with tracker.lock:
                return [r for i, r in tracker.tasks.items()
                        if i not in before and r.name.rsplit(".", 1)[-1] == name and began_after(r)]
        tracker.settle([r.id for r in matching()], settle_s)
        return matching()

    def worker_of(self, result) -> str:
        """Which worker ran it, from the workers' own task events (in memory mode result.worker is
        the machine's name: the threads pool has no per-worker process to carry the node name)."""
        tracker.settle([result.id], 0.5)
        rec = tracker.tasks.get(result.id)
        return (rec.hostname if rec and rec.hostname else "") or getattr(result, "worker", "") or ""

    def poll(self, result, on_change, timeout: float = bounds.EXERCISE_RESULT_S) -> str:
        """Watch result.state/info until the task is ready, calling on_change(state, info) on each change."""
        try:
            return waits.poll_state(result, lambda state, info: result.ready(), timeout, interval=0.02,
                                    on_change=on_change)
        except ClassroomError as exc:
            self.timed_out = True
            self.fail(t("practice.exp_result", call=result.id[:8], seconds=timeout), exc.message())

    def call(self, task, *args, **kwargs) -> Outcome:
        """task.delay(*args, **kwargs) on a real worker, then a bounded wait for what it did."""
        name = task if isinstance(task, str) else task.name.rsplit(".", 1)[-1]
        text = f"{name}({', '.join([repr(a) for a in args] + [f'{k}={v!r}' for k, v in kwargs.items()])})"
        return self.outcome(self.send(task, *args, **({"kwargs": kwargs} if kwargs else {})), text)

    # --- claims ---
    def fail(self, expected: str | dict, actual: str | dict) -> None:
        raise CheckFailed(pick(expected), pick(actual))

    def expect(self, ok: bool, expected: str | dict, actual: str | dict) -> None:
        if not ok:
            self.fail(expected, actual)

    def expect_value(self, outcome: Outcome, value: Any) -> None:
        """The task succeeded on the worker and returned `value`."""
        self.expect(outcome.state == "SUCCESS" and outcome.value == value,
                    t("practice.exp_value", call=outcome.call, value=_short(value)), outcome.said())


def describe_exception(exc: BaseException, student_file: str = "") -> str:
    """'ValueError: ... (exercises/ex01_results.py, line 12)': the line in the student's own file."""
    where = ""
    if student_file:
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if _same(f.filename, student_file)]
        if frames:
            where = t("practice.at_line", file=_rel(student_file), line=frames[-1].lineno)
    return f"{type(exc).__name__}: {exc}{where}"


def _same(a: str, b: str) -> bool:
    try:
        return Path(a).resolve() == Path(b).resolve()
    except OSError:
        return a == b


def _rel(path: str) -> str:
    from classroom.practice.catalog import shown_path
    return shown_path(Path(path))
