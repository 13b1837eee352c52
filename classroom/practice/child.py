"""One `check N`, run in a child process: python -m classroom.practice.child N TARGET MODE [URL] LANG

Why a child process: in memory mode the worker runs in-process, so a student's endless loop (at
import time or in a task) would spin in the runner itself; a thread cannot be killed. Here it spins
in a process the runner can always stop. The child reports on stdout, one JSON event per line after
MARK; anything else on stdout is the student's own output. It ends with os._exit, because a pool
thread stuck in a student's task would otherwise keep the interpreter from exiting.
"""
from __future__ import annotations

import importlib
import json
import os
import secrets
import signal
import sys
import time
from types import SimpleNamespace

from classroom import brokers
from classroom.errors import ClassroomError
from classroom.lessonkit.run import Run
from classroom.messages import pick, set_lang, t
from classroom.practice import catalog
from classroom.lessonkit.run import Run
from classroom.practice.checks import CheckFailed, Ctx, describe_exception
from classroom.runtime import bounds, waits
from classroom.runtime import reaper
from classroom.runtime.session import Session

MARK = "\x1e@classroom "


def emit(event: str, **data) -> None:
    sys.stdout.write(MARK + json.dumps({"e": event, **data}, default=repr) + "\n")
    sys.stdout.flush()


def _report_spawns() -> None:
    """Tell the parent about every process group started here, so it can kill them if we are killed."""
    reaper.on_spawn.append(lambda process: emit("spawned", pid=process.pid))


def import_target(name: str, path: str):
    """Import the student's module under a deadline; a failure is a CheckFailed saying file and line."""
    expected = t("practice.exp_import", file=catalog.shown_path(path))
    try:
        module = waits.call_with_deadline(lambda: importlib.import_module(name), bounds.EXERCISE_IMPORT_S)
    except SyntaxError as exc:
        raise CheckFailed(expected, t("practice.syntax_error", file=catalog.shown_path(exc.filename or path),
                                      line=exc.lineno, msg=exc.msg, text=(exc.text or "").strip())) from None
    except ClassroomError:
        raise CheckFailed(expected, t("practice.import_timeout", seconds=bounds.EXERCISE_IMPORT_S)) from None
    except Exception as exc:
        raise CheckFailed(expected, t("practice.import_raised", error=describe_exception(exc, path))) from None
    from celery import Celery
    if not isinstance(getattr(module, "app", None), Celery):
        raise CheckFailed(expected, t("practice.no_app"))
    # In the student's own script their app is Celery's current app, so `AsyncResult(id)` and
    # `shared_task` find it. The checks call their code from helper threads, where the current app
    # would be Celery's default app instead: make theirs the default for every thread.
    module.app.set_default()
    return module


def run(exercise: catalog.Exercise, target: str, mode: str, url: str | None) -> bool:
    checker = exercise.checker()
    path = str(exercise.path(target))
    titles = [t("practice.step_import", file=catalog.shown_path(path))] + [pick(c.title) for c in checker.checks]
    emit("start", steps=titles, file=path, module=exercise.module_name(target))
    broker = brokers.resolve(mode, url)
    session = None
    ctx = None
    try:
        emit("broker", reason=broker.reason, mode=broker.mode)
        run_id = f"ex{exercise.number}-{secrets.token_hex(2)}"
        os.environ.update(broker.env())
        began = time.monotonic()
        try:
            module = import_target(exercise.module_name(target), path)
        except CheckFailed as failed:
            emit("step", n=1, title=titles[0], status="fail", expected=failed.expected, actual=failed.actual,
                 seconds=time.monotonic() - began)
            _not_run(titles, 2)
            return False
        emit("step", n=1, title=titles[0], status="ok", seconds=time.monotonic() - began)
        like_lesson = SimpleNamespace(number=exercise.number, workers=exercise.workers, services=[],
                                      celery=getattr(exercise, "celery", {}), python_path=[],
                                      app_module=exercise.module_name(target))
        session = Session(like_lesson, "auto", broker.url, run_id=run_id)
        try:
            session.__enter__()
        except ClassroomError as exc:
            emit("error", message=exc.message(), key=exc.key, code=exc.exit_code)
            _not_run(titles, 2)
            return False
        emit("workers", hostnames=session.hostnames)
        for n, check in enumerate(checker.checks, 2):
            if check.modes and broker.mode not in check.modes:
                emit("step", n=n, title=titles[n - 1], status="skip", note=pick(check.unsupported or {}))
                continue
            ctx = Ctx(module, broker.mode, session.hostnames, run=Run(session, like_lesson))
            began = time.monotonic()
            status, expected, actual = "ok", "", ""
            try:
                waits.call_with_deadline(lambda: check.func(ctx), check.deadline_s)
            except CheckFailed as failed:
                status, expected, actual = "fail", failed.expected, failed.actual
            except ClassroomError as exc:      # a step deadline, a broker that went away
                ctx.timed_out = True
                status, expected, actual = "fail", pick(check.title), exc.message()
            except Exception as exc:           # the student's code raised inside the check
                status, expected, actual = "fail", pick(check.title), describe_exception(exc, path)
            if check.kind == "stretch":       # optional: met or still open, never a failure
                status = "stretch_met" if status == "ok" else "stretch_open"
            emit("step", n=n, title=titles[n - 1], status=status, expected=expected, actual=actual,
                 seconds=time.monotonic() - began, data=ctx.data, kind=check.kind)
            if status == "fail":
                _not_run(titles, n + 1)
                return False
        return True
    finally:
        if session is not None:
            if ctx is not None and ctx.timed_out:
                for worker in session.workers:      # a task that never returns: no warm shutdown
                    if getattr(worker, "process", None) is not None:
                        worker.process.stop(steps=((signal.SIGTERM, bounds.EXERCISE_STOP_S),))
            session.close()
        broker.stop()


def _not_run(titles: list[str], first: int) -> None:
    for n in range(first, len(titles) + 1):
        emit("step", n=n, title=titles[n - 1], status="notrun")


def main(argv: list[str]) -> None:
    number, target, mode, url, lang = argv[:5]
    set_lang(lang)
    reaper.install_interrupt_handlers()
    _report_spawns()
    code = 1
    try:
        ok = run(catalog.get(number), target, mode, url or None)
        code = 0 if ok else 1
        emit("done", ok=ok)
    except KeyboardInterrupt:
        code = 130
        emit("done", ok=False, interrupted=True)
    except ClassroomError as exc:
        code = exc.exit_code
        emit("error", message=exc.message(), key=exc.key, code=exc.exit_code)
        emit("done", ok=False)
    except Exception as exc:  # an engine or checker bug: say it, never a hang
        emit("error", message=t("practice.child_crashed", error=f"{type(exc).__name__}: {exc}"))
        emit("done", ok=False)
    finally:
        reaper.kill_all()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


if __name__ == "__main__":
    main(sys.argv[1:])
