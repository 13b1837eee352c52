"""check N | check --all [--solutions | --starters]: numbered checks on a real worker."""
from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from rich.markup import escape
from rich.table import Table

from classroom import layout, paths, ui
from classroom.brokers import validate_url
from classroom.errors import EXIT_BROKER, UsageError
from classroom.messages import t
from classroom.options import add_record_option, add_broker_options
from classroom.practice import catalog, classcheck, progress
from classroom.practice.runner import CheckRun, run_check

ORDER = 51


WHAT = {"student": "practice.what_student", "solution": "practice.what_solution", "starter": "practice.what_starter"}
LEGEND = {"ok": "practice.legend_ok", "fail": "practice.legend_fail", "skip": "practice.legend_skip",
          "notrun": "practice.legend_notrun", "stretch_met": "practice.legend_stretch_met",
          "stretch_open": "practice.legend_stretch_open"}

def add_parser(sub):
    parser = sub.add_parser("check", help=t("cli.cmd_check"), description=t("cli.cmd_check_long"))
    parser.add_argument("number", metavar="N", nargs="?", help=t("cli.arg_exercise"))
    parser.add_argument("--all", action="store_true", help=t("cli.opt_all"))
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--solutions", action="store_true", help=t("cli.opt_solutions"))
    which.add_argument("--starters", action="store_true", help=t("cli.opt_starters"))
    add_broker_options(parser)
    parser.add_argument("--report", metavar="FILE", help=t("cli.opt_check_report"))
    parser.add_argument("--class", dest="class_dir", metavar="DIR", help=t("cli.opt_class"))
    parser.add_argument("--csv", metavar="FILE", help=t("cli.opt_class_csv"))
    parser.add_argument("--jobs", type=int, metavar="N", help=t("cli.opt_class_jobs"))
    add_record_option(parser)
    return parser


def expected_failure(ex: catalog.Exercise) -> int | None:
    """An untouched starter must fail at the check its first TODO names (None: it has no TODO)."""
    numbers = catalog.todo_numbers(ex.starter_path)
    return min(numbers) if numbers else None


def as_expected(run: CheckRun) -> bool:
    if run.target == "starter":
        return not run.ok and not run.error and run.first_failure == expected_failure(run.exercise)
    return run.ok


def run(args) -> int:
    if args.broker_url:
        validate_url(args.broker_url)
    if bool(args.number) == bool(args.all):
        raise UsageError("practice.need_number")
    if args.class_dir:
        return _class(args)
    paths.prune()                              # the logs of the last few runs only
    target = "solution" if args.solutions else "starter" if args.starters else "student"
    chosen = catalog.exercises() if args.all else [catalog.get(args.number)]
    began = time.monotonic()
    if target == "student":
        chosen = [ex for ex in chosen if not (args.all and not ex.working_path.exists())]  # --all: files you started
        for ex in chosen:
            if ex.ensure_working_copy():
                ui.reason(t("practice.created", file=catalog.shown_path(ex.working_path)))
    jobs = max(1, args.jobs or 1) if args.all else 1
    if jobs > 1:                              # side by side, quiet: the table at the end says how each went
        ui.info(t("practice.all_side_by_side", n=len(chosen), jobs=jobs))
        with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="check-all") as pool:
            runs = list(pool.map(lambda ex: run_check(ex, target, args.broker, args.broker_url, show=False),
                                 chosen))
    else:
        runs = []
        for ex in chosen:
            ui.info("")
            runs.append(run_check(ex, target, args.broker, args.broker_url))
    for run_ in runs:
        if target == "student":
            progress.record_check(run_.exercise.number, run_.ok, run_.ok and not run_.skipped, run_.mode)
        if not args.all:
            _verdict(run_)
    if args.report:
        Path(args.report).write_text(json.dumps({"target": target, "runs": [r.record() for r in runs]},
                                                indent=2, ensure_ascii=False, default=repr), encoding="utf-8")
    if args.all:
        _summary(runs, target, time.monotonic() - began)
    if any(r.error and r.error_code == EXIT_BROKER for r in runs):
        return EXIT_BROKER                 # no broker: the exit code every command gives it
    return 0 if runs and all(as_expected(r) for r in runs) else 1


def _verdict(run_: CheckRun) -> None:
    ex = run_.exercise
    ui.info("")
    if run_.target == "starter":
        ok = as_expected(run_)
        ui.info(f"[{'green' if ok else 'red'}]{t('practice.col_expected')}: "
                f"{t('practice.expect_fail_at', n=expected_failure(ex))} → "
                f"{t('practice.result_fail_at', n=run_.first_failure) if run_.first_failure else t('practice.result_pass')}[/]")
    elif run_.ok and run_.skipped:
        ui.info(f"[yellow]{t('practice.passed_skipped', mode=run_.mode, skipped=run_.skipped)}[/]")
    elif run_.ok:
        ui.info(f"[green]{t('practice.passed', n=ex.number, mode=run_.mode, seconds=run_.seconds)}[/]")
        numbers = [e.number for e in catalog.exercises()]
        later = [n for n in numbers if n > ex.number]
        ui.info(t("practice.next", n=later[0]) if later else t("practice.all_done"))
    elif run_.first_failure:
        ui.info(f"[red]{t('practice.failed', step=run_.first_failure, n=ex.number, seconds=run_.seconds)}[/]")
    else:
        ui.info(f"[red]{t('practice.failed_nostep', seconds=run_.seconds)}[/]")


def _summary(runs: list[CheckRun], target: str, seconds: float) -> None:
    mode = next((r.mode for r in runs if r.mode), "?")
    table = Table(title=t("practice.all_title", what=t(WHAT[target]), mode=mode), header_style="bold")
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column(t("practice.col_exercise"), ratio=1)      # the title wraps here, as in `all`'s table
    table.add_column(t("practice.col_expected"), no_wrap=True)
    table.add_column(t("practice.col_result"))
    table.add_column(t("practice.col_took"), justify="right", no_wrap=True)
    for r in runs:
        ok = as_expected(r)
        wanted = (t("practice.expect_fail_at", n=expected_failure(r.exercise)) if target == "starter"
                  else t("practice.expect_pass"))
        got = (t("practice.result_error", error=r.error) if r.error else t("practice.result_pass") if r.ok
               else t("practice.result_fail_at", n=r.first_failure))
        table.add_row(str(r.exercise.number), layout.Wrapped(escape(r.exercise.title_text())), wanted,
                      f"[{'green' if ok else 'red'}]{'✓' if ok else '✗'} {escape(got)}[/]", f"{r.seconds:.1f} s")
    ui.console.print(table)
    good = sum(as_expected(r) for r in runs)
    ui.info(f"[{'green' if good == len(runs) else 'red'}]{t('practice.all_summary', good=good, total=len(runs), seconds=seconds)}[/]")


def _class(args) -> int:
    """check N --class DIR: every student's file for exercise N, side by side, then one table."""
    folder = Path(args.class_dir)
    if args.all or args.solutions or args.starters:
        raise UsageError("practice.class_one")
    if not folder.is_dir() or not classcheck.students(folder):
        raise UsageError("practice.class_empty", folder=folder)
    ex = catalog.get(args.number)
    steps = 1 + len(ex.checker().checks)
    began = time.monotonic()
    with ui.status(t("practice.class_running", n=len(classcheck.students(folder)), ex=ex.number)):
        results = classcheck.check_class(ex, folder, args.broker, args.broker_url, args.jobs)
    # The title above the table, laid out like any line: as the table's own title it wrapped to the table's width.
    ui.info(f"[bold]{t('practice.class_title', n=ex.number, title=escape(ex.title_text()))}[/]")
    table = Table(header_style="bold")
    table.add_column(t("practice.col_student"))
    for n in range(1, steps + 1):
        table.add_column(str(n), justify="center")
    table.add_column(t("practice.col_took"), justify="right")
    marks = {"ok": "[green]✓[/]", "fail": "[red]✗[/]", "skip": "[yellow]⏭[/]", "notrun": "[dim]·[/]", "": "",
             "stretch_met": "[magenta]★[/]", "stretch_open": "[dim]☆[/]"}
    for r in results:
        cells = [marks[s] for s in classcheck.statuses(r, steps)]
        if r.run is None:
            cells = [f"[dim]{t('practice.class_no_file')}[/]"] + [""] * (steps - 1)
        elif r.run.error and not r.run.steps:
            cells = [f"[red]{escape(r.run.error[:40])}[/]"] + [""] * (steps - 1)
        table.add_row(escape(r.student), *cells, f"{r.seconds:.1f} s")
    ui.console.print(table)
    shown = {status for r in results for status in classcheck.statuses(r, steps)}
    legend = [t(LEGEND[status]) for status in marks if status and status in shown]
    ui.info(f"[dim]{'   '.join(legend)}[/]")       # what each mark in the table means
    passed = sum(r.ok for r in results)
    skipped = classcheck.skipped_for_everyone(results, steps)
    mode = next((r.run.mode for r in results if r.run is not None and r.run.mode), "?")
    if skipped:
        ui.info(t("practice.class_summary_skipped", passed=passed, n=len(results), seconds=time.monotonic() - began,
                  skipped=", ".join(map(str, skipped)), mode=mode))
    else:
        ui.info(t("practice.class_summary", passed=passed, n=len(results), seconds=time.monotonic() - began))
    if args.csv:
        classcheck.write_csv(Path(args.csv), ex, results, steps)
        ui.info(t("practice.class_csv", path=args.csv))
    # 0 once every student was checked, whatever they scored (--help and the README say so); no broker: 3.
    if any(r.run is not None and r.run.error and r.run.error_code == EXIT_BROKER for r in results):
        return EXIT_BROKER
    return 0
