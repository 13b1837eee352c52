"""The runner's side of `check N`: start the child (classroom/practice/child.py), show its numbered
checks as they arrive, and make sure that nothing it started outlives it, whatever it did."""
from __future__ import annotations

import json
import os
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from rich.markup import escape

from classroom import ROOT, layout, paths, ui
from classroom.messages import get_lang, t
from classroom.practice.catalog import DIR_ENV, Exercise, shown_path
from classroom.practice.child import MARK
from classroom.runtime import bounds
from classroom.runtime.process import ManagedProcess
from classroom.runtime.reaper import kill_groups

OUTPUT_LINES = 12   # how much of the student's own output (print) is shown


@dataclass
class CheckRun:
    exercise: Exercise
    target: str
    steps: list[dict] = field(default_factory=list)
    ok: bool = False
    mode: str = ""
    workers: list[str] = field(default_factory=list)
    error: str = ""
    error_key: str | None = None       # its message id: the More-help link, as every command prints it
    error_code: int = 1                # its exit code (3: no broker), as every command returns it
    output: list[str] = field(default_factory=list)
    seconds: float = 0.0
    log: str = ""

    @property
    def first_failure(self) -> int | None:
        return next((s["n"] for s in self.steps if s["status"] == "fail"), None)

    @property
    def skipped(self) -> int:
        return sum(s["status"] == "skip" for s in self.steps)

    def record(self) -> dict:
        return {"number": self.exercise.number, "target": self.target, "ok": self.ok, "mode": self.mode,
                "workers": self.workers, "first_failure": self.first_failure, "skipped": self.skipped,
                "error": self.error, "seconds": round(self.seconds, 3), "steps": self.steps, "log": self.log}


def run_check(exercise: Exercise, target: str = "student", mode: str = "auto", url: str | None = None,
              show: bool = True, work_dir: Path | None = None, label: str = "") -> CheckRun:
    """Check `target` (the student's file, the starter or the solution) on a real worker, bounded.
    `work_dir`: where the student's file lives (a class check: one folder per student)."""
    run = CheckRun(exercise, target)
    log = paths.log_dir() / f"check-{exercise.module}-{target}{'-' + label if label else ''}.log"
    log.write_text("")
    run.log = str(log)
    env = {**os.environ, "PYTHONUNBUFFERED": "1",
           # no .pyc next to the student's file: a save within the same second must never run stale code
           "PYTHONDONTWRITEBYTECODE": "1",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    if work_dir is not None:
        env[DIR_ENV] = str(work_dir)
    cmd = [sys.executable, "-m", "classroom.practice.child", str(exercise.number), target, mode, url or "", get_lang()]
    began = time.monotonic()
    # SIGTERM: the child stops its workers (bounded), then whatever is left of its tree is killed.
    proc = ManagedProcess(f"check {exercise.number}", cmd, log, env=env, cwd=str(ROOT),
                          stop_steps=((signal.SIGTERM, bounds.WORKER_STOP_S),)).spawn()
    spawned: list[int] = []
    done = False
    try:
        done = _follow(proc, log, run, spawned, show, began + bounds.EXERCISE_CHECK_S)
        if not done and proc.alive():
            run.error = t("practice.check_deadline", seconds=bounds.EXERCISE_CHECK_S, log=shown_path(log))
    finally:
        proc.stop()
        if not done:
            kill_groups(spawned)      # the child was killed before it could stop its workers
        run.seconds = time.monotonic() - began
    if run.error and show:
        ui.error(run.error, run.error_key)
    if show:
        _show_output(run)
    return run


def _follow(proc, log: Path, run: CheckRun, spawned: list[int], show: bool, deadline: float) -> bool:
    """Read the child's events as they are written; True once it said it is done."""
    pos, pending, done = 0, b"", False
    while True:
        exited = not proc.alive()
        with open(log, "rb") as fh:
            fh.seek(pos)
            chunk = fh.read()
        pos += len(chunk)
        lines = (pending + chunk).split(b"\n")
        pending = lines.pop() if not exited else b""
        for raw in lines:
            line = raw.decode("utf-8", errors="replace")
            if line.startswith(MARK):
                event = json.loads(line[len(MARK):])
                done = _handle(event, run, spawned, show) or done
            elif line.strip():
                run.output.append(line)
        if exited or done or time.monotonic() > deadline:
            return done
        time.sleep(0.05)


def _handle(event: dict, run: CheckRun, spawned: list[int], show: bool) -> bool:
    kind = event["e"]
    if kind == "spawned":
        spawned.append(event["pid"])
    elif kind == "broker":
        run.mode = event["mode"]
        if show:
            ui.reason(event["reason"])
    elif kind == "start" and show:
        ex = run.exercise
        ui.info(f"[bold]{t('practice.checking', n=ex.number, title=escape(ex.title_text()), file=shown_path(event['file']))}[/]")
    elif kind == "workers":
        run.workers = event["hostnames"]
        if show:
            ui.reason(t("ui.workers_ready", workers=", ".join(event["hostnames"])))
    elif kind == "step":
        run.steps.append(event)
        if show:
            show_step(event)
    elif kind == "error":
        run.error, run.error_key, run.error_code = event["message"], event.get("key"), event.get("code", 1)
    elif kind == "done":
        run.ok = bool(event["ok"]) and not run.error
        return True
    return False


def show_step(step: dict) -> None:
    """One numbered check; a long line wraps under its own text, never back to column 0."""
    n, title, status = step["n"], escape(step["title"]), step["status"]
    took = f"[dim]({step.get('seconds', 0):.2f} s)[/]"
    say = layout.say
    if status == "ok" and step.get("kind") == "explain":
        say(ui.console, f"❓ {title}  {took}", prefix=f"  [green]✓ {n}.[/] ")
    elif status == "ok":
        say(ui.console, f"{title}  {took}", prefix=f"  [green]✓ {n}.[/] ")
    elif status == "fail":
        say(ui.console, f"[red]{title}[/]", prefix=f"  [red]✗ {n}.[/] ")
        say(ui.console, escape(step["expected"]), prefix=f"       {t('practice.expected')} ")
        say(ui.console, f"[red]{escape(step['actual'])}[/]", prefix=f"       {t('practice.got')} ")
    elif status == "stretch_met":
        say(ui.console, f"{title}  [dim]({t('practice.stretch_met')}, {step.get('seconds', 0):.2f} s)[/]",
            prefix=f"  [magenta]★ {n}.[/] ")
    elif status == "stretch_open":
        say(ui.console, f"[dim]{title}  ({t('practice.stretch_open')})[/]", prefix=f"  [dim]☆ {n}.[/] ")
    elif status == "skip":
        say(ui.console, title, prefix=f"  [yellow]⏭ {n}.[/] ")
        say(ui.console, f"[yellow]{escape(step.get('note', ''))}[/]", prefix="       ")
    else:
        say(ui.console, f"[dim]{title}  ({t('practice.not_run')})[/]", prefix=f"  [dim]○ {n}.[/] ")


def _show_output(run: CheckRun) -> None:
    if run.output:
        ui.info(f"  [dim]{t('practice.output', lines=min(len(run.output), OUTPUT_LINES), log=shown_path(run.log))}[/]")
        for line in run.output[-OUTPUT_LINES:]:
            ui.info(f"  [dim]│ {escape(line)}[/]")
