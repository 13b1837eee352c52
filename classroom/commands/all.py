"""all: play every lesson in order, then a table (lesson, mode, result, seconds).

Each lesson runs in its own child process (`runner.py lesson N --report ...`, which calls
player.play()): Celery keeps process-wide state (the worker state module, the memory transport's
queues, logging, signal handlers), so one lesson's leftovers can never leak into the next, and a
lesson that crashes or overruns LESSON_S is stopped without stopping the others.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from rich.markup import escape
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from classroom import ROOT, catalog, layout, ui
from classroom.brokers import validate_url
from classroom.messages import get_lang, t
from classroom.options import add_record_option, add_broker_options
from classroom.runtime import bounds
from classroom.runtime.process import ManagedProcess

ORDER = 25


def add_parser(sub):
    parser = sub.add_parser("all", help=t("cli.cmd_all"), description=t("cli.cmd_all_long"))
    add_broker_options(parser)
    parser.add_argument("--report", metavar="FILE", help=t("cli.opt_report_all"))
    add_record_option(parser)
    return parser


def _play_one(lesson, args, folder: Path) -> dict:
    report = folder / f"lesson{lesson.number}.json"
    cmd = [sys.executable, str(ROOT / "runner.py"), "--lang", get_lang(), "lesson", str(lesson.number),
           "--broker", args.broker, "--report", str(report)]
    if args.broker_url:
        cmd += ["--broker-url", args.broker_url]
    began = time.monotonic()
    # A child runner: SIGTERM is its clean stop (bounded), a second SIGTERM stops its workers at once.
    # Its output comes through our console (same width, colour only where we have it), so that
    # `all --record` holds every lesson as it was shown.
    env = {**os.environ, "COLUMNS": str(ui.console.width), "PYTHONUNBUFFERED": "1"}
    if ui.console.is_terminal and not ui.console.no_color:
        env["FORCE_COLOR"] = "1"
    proc = ManagedProcess(f"lesson {lesson.number}", cmd, None, cwd=str(ROOT), env=env, kill_sig=signal.SIGTERM,
                          capture=True, stop_steps=((signal.SIGTERM, bounds.RUNNER_STOP_S), (signal.SIGTERM, 2.0))).spawn()
    relay = threading.Thread(target=_relay, args=(proc.popen.stdout,), daemon=True, name=f"lesson {lesson.number} output")
    relay.start()
    code: int | None = None
    try:
        code = proc.popen.wait(bounds.LESSON_S)
    except subprocess.TimeoutExpired:
        pass                  # reported as a row; the next lesson still plays
    finally:                  # also on Ctrl+C: the lesson stops its own workers, bounded
        proc.stop()
        relay.join(bounds.PROCESS_TERMINATE_S)
    row = {"lesson": lesson.number, "title": lesson.title_text(), "exit_code": code,
           "seconds": round(time.monotonic() - began, 2), "mode": None, "ok": code == 0, "report": None}
    if report.exists():
        row["report"] = json.loads(report.read_text(encoding="utf-8"))
        row["mode"] = row["report"].get("mode")
    return row


def _relay(stream) -> None:
    """Print a child lesson's output line by line as it comes (its ANSI colours kept)."""
    try:
        for line in stream:
            ui.console.print(Text.from_ansi(line.rstrip("\n")), soft_wrap=True)
    except (OSError, ValueError):   # the pipe closed under us: the child was stopped
        pass


def _result_text(row: dict) -> str:
    if row["exit_code"] is None:
        return f"[red]{t('all.timeout', seconds=bounds.LESSON_S)}[/]"
    rep = row["report"]
    if row["ok"]:
        skipped = t("all.skipped", n=rep["skipped"]) if rep["skipped"] else ""
        return f"[green]{t('all.passed', passed=rep['passed'], total=rep['total'] - rep['skipped'])}[/]{skipped}"
    if rep and rep.get("total"):
        return f"[red]{t('all.failed', passed=rep['passed'], total=rep['total'] - rep['skipped'])}[/]"
    return f"[red]{t('all.error', code=row['exit_code'])}[/]"


def _table(rows: list[dict], seconds: float) -> Table:
    """One row a lesson. The number has a column of its own and the title wraps in its column, so that
    at 60 columns a title reads whole; one mode for every lesson goes in the title, not in a column."""
    modes = {row["mode"] or "–" for row in rows}
    one_mode = len(modes) == 1
    title = t("all.title_mode", mode=next(iter(modes))) if one_mode else t("all.title")
    table = Table(title=title, show_header=True, header_style="bold")
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column(t("all.col_lesson"), ratio=1)
    if not one_mode:
        table.add_column(t("all.col_mode"), no_wrap=True)
    table.add_column(t("all.col_result"), no_wrap=True)
    table.add_column(t("all.col_seconds"), justify="right", no_wrap=True)
    for row in rows:
        cells = [str(row["lesson"]), layout.Wrapped(escape(row["title"])), *([] if one_mode else [row["mode"] or "–"]),
                 _result_text(row), f"{row['seconds']:.1f}"]
        table.add_row(*cells)
    table.add_row("", "", *([] if one_mode else [""]), f"[bold]{t('all.total')}[/]", f"[bold]{seconds:.1f}[/]")
    return table


def run(args) -> int:
    if args.broker_url:
        validate_url(args.broker_url)          # malformed URL: rejected before anything starts
    lessons = catalog.lessons()
    began = time.monotonic()
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="classroom-all-") as folder:
        for lesson in lessons:
            ui.console.print(Rule(f"[bold]{t('all.playing', n=lesson.number, total=len(lessons))}[/]", style="magenta"))
            rows.append(_play_one(lesson, args, Path(folder)))
    seconds = time.monotonic() - began
    ok = bool(rows) and all(row["ok"] for row in rows)
    ui.console.print()
    ui.console.print(_table(rows, seconds))
    failed = [str(row["lesson"]) for row in rows if not row["ok"]]
    ui.console.print(f"[green]{t('all.summary_ok', n=len(rows), seconds=seconds)}[/]" if ok
                     else f"[red]{t('all.summary_failed', lessons=', '.join(failed))}[/]")
    if args.report:
        Path(args.report).write_text(json.dumps({"ok": ok, "seconds": round(seconds, 2), "lessons": rows},
                                                indent=2, default=repr), encoding="utf-8")
    return 0 if ok else 1
