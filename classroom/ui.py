"""The terminal UI (rich): headers, a step's code and outcome, progress, errors and summaries."""
from __future__ import annotations

import os
import sys
from typing import Any

from rich.console import Console
from rich.panel import Panel
from rich.rule import Rule
from rich.syntax import Syntax
from rich.table import Table

from classroom.messages import get_lang, t
from classroom.player import timeline
from classroom.runtime.tracking import tracker

console = Console(highlight=False, soft_wrap=False)
err_console = Console(stderr=True, highlight=False)


def short(value: Any, width: int = 40) -> str:
    text = repr(value) if not isinstance(value, str) else value
    return text if len(text) <= width else text[: width - 1] + "…"


def info(text: str) -> None:
    console.print(text)


def reason(text: str) -> None:
    console.print(f"[bold cyan]▶[/] {text}")


def warn(text: str) -> None:
    console.print(f"[yellow]⚠ {text}[/]")


def error(text: str, key: str | None = None) -> None:
    """An error panel; `key` (a message id) links to its entry in docs/troubleshooting*.md."""
    err_console.print(Panel(text, title=t("ui.error_title"), border_style="red", expand=False))
    if key and key in troubleshooting_anchors():
        err_console.print(f"[dim]{t('ui.more_help', where=troubleshooting_doc() + '#' + key)}[/]")


def troubleshooting_doc() -> str:
    return "docs/troubleshooting.zh-CN.md" if get_lang() == "zh" else "docs/troubleshooting.md"


def troubleshooting_anchors() -> set[str]:
    import re

    from classroom import ROOT
    try:
        text = (ROOT / "docs" / "troubleshooting.md").read_text(encoding="utf-8")
    except OSError:
        return set()
    return set(re.findall(r'<a id="([\w.]+)"></a>', text))


def status(text: str):
    """A spinner for a long step (starting workers, waiting for a broker)."""
    return console.status(text, spinner="dots")


def lesson_header(lesson, broker, workers: list[str]) -> None:
    console.print(Rule(f"[bold]{t('ui.lesson_title', n=lesson.number, title=lesson.title_text())}[/]"))
    reason(broker.reason)
    reason(t("ui.workers_ready", workers=", ".join(workers)))


def step_start(index: int, total: int, step) -> None:
    from classroom.messages import pick
    console.print()
    console.print(Rule(f"[bold]{t('ui.step_title', i=index, n=total, title=pick(step.title))}", align="left",
                       style="blue"))
    console.print(Syntax(step.code, "python", theme="ansi_dark", background_color="default", word_wrap=True))


def step_outcome(step, run, ok: bool, seconds: float, failure: str | None) -> None:
    from classroom.messages import pick
    if run.observations:
        table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
        table.add_column(t("ui.col_task"), no_wrap=True)
        table.add_column(t("ui.col_id"), no_wrap=True, min_width=8)
        table.add_column(t("ui.col_state"), no_wrap=True, min_width=7)
        table.add_column(t("ui.col_result"), overflow="fold", ratio=1)
        table.add_column(t("ui.col_worker"), no_wrap=True)
        table.add_column(t("ui.col_took"), no_wrap=True, min_width=6)
        for obs in run.observations:
            color = {"SUCCESS": "green", "FAILURE": "red", "PENDING": "yellow"}.get(obs.state, "cyan")
            took = f"{obs.seconds * 1000:.0f} ms" if obs.seconds is not None else "–"
            label = f"{obs.label}: " if obs.label else ""
            table.add_row(label + obs.name, obs.task_id[:8], f"[{color}]{obs.state}[/]", short(obs.result, 60),
                          obs.worker or "–", took)
        console.print(table)
    for text in run.notes:
        console.print(f"  {text}")
    for title, ids in run.timelines:
        tracker.settle(ids, 1.0)
        drawn = timeline.render([tracker.tasks[i] for i in ids if i in tracker.tasks], title)
        if drawn is not None:
            console.print(drawn)
        else:
            console.print(f"  [dim]{t('ui.no_timeline')}[/]")
    for passed, what in run.checks:
        console.print(f"  {'[green]✓[/]' if passed else '[red]✗[/]'} {what}")
    if failure:
        console.print(f"  [red]✗ {failure}[/]")
    console.print(f"  [dim]💡 {pick(step.explain)}[/]  [dim]({seconds:.2f} s)[/]")


def step_skipped(step, mode: str) -> None:
    from classroom.messages import pick
    text = pick(step.unsupported) if step.unsupported else t("ui.step_needs", modes=", ".join(step.modes or ()))
    console.print(f"  [yellow]⏭ {t('ui.skipped_in', mode=mode)}[/] {text}")


def step_skipped_inside(step, reason: str) -> None:
    console.print(f"  [yellow]⏭ {t('step.skipped_inside')}[/] {reason}")


def summary(lesson, passed: int, total: int, skipped: int, seconds: float) -> None:
    style = "green" if passed == total - skipped else "red"
    console.print()
    console.print(Rule(style=style))
    console.print(f"[{style}]{t('ui.summary', passed=passed, total=total - skipped, skipped=skipped, seconds=seconds)}[/]")


def markdown(text: str) -> None:
    from rich.markdown import Markdown   # only `notes` needs it: 50 ms of imports kept off every lesson
    console.print(Markdown(text))


def is_interactive() -> bool:
    return sys.stdout.isatty() and os.environ.get("CI") is None
