"""watch [N]: check again each time the file is saved (polls its mtime; no extra dependency).

Without a file to poll, or with --manual, Enter checks again and q quits. Every check is bounded and
Ctrl+C stops the check in progress and everything it started (classroom/practice/runner.py).
"""
from __future__ import annotations

import os
import select
import sys
import time

from classroom import ui
from classroom.commands.check import _verdict
from classroom.errors import UsageError
from classroom.messages import t
from classroom.options import add_broker_options
from classroom.practice import catalog, progress
from classroom.practice.runner import run_check
from classroom.runtime import bounds

ORDER = 54


def add_parser(sub):
    parser = sub.add_parser("watch", help=t("cli.cmd_watch"), description=t("cli.cmd_watch"))
    parser.add_argument("number", metavar="N", nargs="?", help=t("cli.arg_exercise"))
    parser.add_argument("--manual", action="store_true", help=t("cli.opt_manual"))
    parser.add_argument("--max-runs", type=int, default=0, metavar="K", help=t("cli.opt_max_runs"))
    add_broker_options(parser)
    return parser


def _signature(path) -> tuple[int, int]:
    st = os.stat(path)
    return st.st_mtime_ns, st.st_size


def _check(ex, args) -> bool:
    run_ = run_check(ex, "student", args.broker, args.broker_url)
    progress.record_check(ex.number, run_.ok, run_.ok and not run_.skipped, run_.mode)
    _verdict(run_)
    return run_.ok and not run_.skipped


def _keys_ready() -> str | None:
    """A line typed in an interactive terminal while polling (POSIX only), else None."""
    if os.name != "posix" or not sys.stdin.isatty():
        return None
    ready, _, _ = select.select([sys.stdin], [], [], 0)
    return sys.stdin.readline() if ready else None


def run(args) -> int:
    if args.number:
        ex = catalog.get(args.number)
    else:
        numbers = [e.number for e in catalog.exercises()]
        current = progress.current_exercise(numbers)
        if current is None:
            raise UsageError("practice.no_current")
        ex = catalog.get(current)
    ex.ensure_working_copy()
    file = catalog.shown_path(ex.working_path)
    manual = args.manual
    runs = 0
    try:
        while True:
            runs += 1
            if _check(ex, args):
                return 0
            if args.max_runs and runs >= args.max_runs:
                ui.info(t("practice.watch_max", n=runs))
                return 1
            if not manual:
                try:
                    before = _signature(ex.working_path)
                except OSError as exc:
                    ui.warn(t("practice.watch_unavailable", file=file, error=exc))
                    manual = True
            if manual:
                ui.info(t("practice.manual", file=file))
                line = sys.stdin.readline()
                if not line or line.strip().lower() in ("q", "quit", "exit"):
                    ui.info(t("practice.watch_bye"))
                    return 1
                continue
            ui.info(f"[dim]{t('practice.watching', file=file)} {t('practice.watching_keys') if sys.stdin.isatty() else ''}[/]")
            while True:
                time.sleep(bounds.WATCH_POLL_S)
                typed = _keys_ready()
                if typed is not None and typed.strip().lower() in ("q", "quit", "exit"):
                    ui.info(t("practice.watch_bye"))
                    return 1
                try:
                    now = _signature(ex.working_path)
                except OSError:
                    continue                       # mid-save (some editors delete then write)
                if now != before or typed is not None:
                    time.sleep(0.1)                # let the editor finish writing
                    ui.info(f"\n[cyan]{t('practice.changed', file=file)}[/]")
                    break
    except KeyboardInterrupt:
        ui.info(t("practice.watch_bye"))
        return 130
