"""The terminal UI (rich): headers, a step's code and outcome, progress, errors and summaries."""
from __future__ import annotations

import os
import sys
from typing import Any

from rich.cells import cell_len
from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from classroom import layout
from classroom.messages import gap, get_lang, t
from classroom.player import timeline
from classroom.runtime.tracking import tracker

console = Console(highlight=False, soft_wrap=False)
err_console = Console(stderr=True, highlight=False)


def plain(text: str) -> str:
    """A lesson's text (a step's title, notes, checks, explanation) as markup that prints it as written:
    lesson texts are plain text, never rich markup. A bracket an author escaped for markup ("\\[")
    prints as "[" all the same."""
    return escape(text.replace("\\[", "["))


def short(value: Any, width: int = 40) -> str:
    text = repr(value) if not isinstance(value, str) else value
    return text if len(text) <= width else text[: width - 1] + "…"


def info(text: str) -> None:
    layout.say(console, text)


def reason(text: str) -> None:
    layout.say(console, text, prefix="[bold cyan]▶[/] ")


def warn(text: str) -> None:
    layout.say(console, f"[yellow]{text}[/]", prefix="[yellow]⚠[/] ")


def error(text: str, key: str | None = None) -> None:
    """An error panel; `key` (a message id) links to its entry in docs/troubleshooting*.md.
    The text is laid out by classroom/layout.py: commands in it never break."""
    lines = layout.paragraph(err_console, text, width=err_console.width - 4)
    body = Text("\n").join(lines)
    body.no_wrap = True
    err_console.print(Panel(body, title=t("ui.error_title"), border_style="red", expand=False))
    if key and key in troubleshooting_anchors():
        layout.say(err_console, f"[dim]{t('ui.more_help', where=troubleshooting_doc() + '#' + key)}[/]")


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
    console.print(Rule(f"[bold]{t('ui.step_title', i=index, n=total, title=plain(pick(step.title)))}", align="left",
                       style="blue"))
    layout.code(console, step.code)


def step_outcome(step, run, ok: bool, seconds: float, failure: str | None) -> None:
    from classroom.messages import pick
    if run.observations:
        console.print(observations(run.observations))
    for text in run.notes:                      # plain text: "[rate_limit=2/s]" is not markup
        layout.say(console, plain(text), prefix="  ")
    for renderable in getattr(run, "renderables", ()):
        console.print(renderable)
    for title, ids in run.timelines:
        tracker.settle(ids, 1.0)
        drawn = timeline.render([tracker.tasks[i] for i in ids if i in tracker.tasks], title, width=console.width)
        if drawn is not None:
            console.print(drawn)
        else:
            console.print(f"  [dim]{t('ui.no_timeline')}[/]")
    for passed, what in run.checks:
        layout.say(console, plain(what), prefix="  [green]✓[/] " if passed else "  [red]✗[/] ")
    if failure:
        layout.say(console, f"[red]{escape(failure)}[/]", prefix="  [red]✗[/] ")
    layout.say(console, f"[dim]{plain(pick(step.explain))}  ({seconds:.2f} s)[/]", prefix="  💡 ")


RESULT_MIN = 28   # columns the result needs in the one-row layout ("WorkerLostError: Worker exited")


def _wide_fits(rows) -> bool:
    """Whether one row per task leaves the result RESULT_MIN columns: at exactly 80 columns, long
    task labels and worker names left it 8 (lesson 9: "WorkerLo / stError:" over 9 lines)."""
    widths = [max([cell_len(t(key))] + [cell_len(value(obs)) for obs in rows])
              for key, value in (("ui.col_task", _task_label), ("ui.col_id", lambda obs: obs.task_id[:8]),
                                 ("ui.col_state", lambda obs: obs.state), ("ui.col_worker", lambda obs: obs.worker or "–"),
                                 ("ui.col_took", _took))]
    return sum(widths) + 2 * 5 + RESULT_MIN <= console.width     # 2: the padding between two columns


def observations(rows) -> Table:
    """The tasks a step observed. Wide: one row each. Narrow (projector, split screen, phone, or rows
    too long for the width): two lines each, the result wrapping in its own column, so that no column
    is ever 1-3 characters."""
    if _wide_fits(rows):
        table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
        table.add_column(t("ui.col_task"), no_wrap=True)
        table.add_column(t("ui.col_id"), no_wrap=True, min_width=8)
        table.add_column(t("ui.col_state"), no_wrap=True, min_width=7)
        table.add_column(t("ui.col_result"), overflow="fold", ratio=1)
        table.add_column(t("ui.col_worker"), no_wrap=True)
        table.add_column(t("ui.col_took"), no_wrap=True, min_width=6)
        for obs in rows:
            table.add_row(_task_label(obs), obs.task_id[:8], _state(obs), short(obs.result, 60),
                          obs.worker or "–", _took(obs))
        return table
    # A long label wraps in its own column rather than squeezing the result (lesson 13's labels).
    states = max(cell_len(obs.state) for obs in rows)
    tails = [f"{obs.worker or '–'} · {_took(obs)}" for obs in rows]          # "worker1@… · 244 ms" whole
    room = max([RESULT_MIN] + [cell_len(tail) for tail in tails if cell_len(tail) <= console.width // 2])
    table = Table.grid(padding=(0, 2))
    table.add_column(max_width=max(12, console.width - states - 4 - room))
    table.add_column(no_wrap=True)
    table.add_column(overflow="fold", ratio=1, min_width=12)
    for obs, tail in zip(rows, tails):
        table.add_row(_task_label(obs), _state(obs), Text(short(obs.result, 60)))
        table.add_row(Text(f"  {obs.task_id[:8]}", style="dim"), "", Text(tail, style="dim"))
    return table


def _task_label(obs) -> str:
    return t("ui.task_label", label=obs.label, name=obs.name) if obs.label else obs.name


def _state(obs) -> str:
    color = {"SUCCESS": "green", "FAILURE": "red", "PENDING": "yellow"}.get(obs.state, "cyan")
    return f"[{color}]{obs.state}[/]"


def _took(obs) -> str:
    return f"{obs.seconds * 1000:.0f} ms" if obs.seconds is not None else "–"


def step_skipped(step, mode: str, text: str) -> None:
    label = t("ui.skipped_in", mode=mode)
    layout.say(console, f"[yellow]{label}[/]{gap(label)}{text}", prefix="  [yellow]⏭[/] ")


def step_skipped_inside(step, reason: str) -> None:
    label = t("step.skipped_inside")
    layout.say(console, f"[yellow]{label}[/]{gap(label)}{reason}", prefix="  [yellow]⏭[/] ")


def summary(lesson, passed: int, total: int, skipped: int, seconds: float) -> None:
    style = "green" if passed == total - skipped else "red"
    console.print()
    console.print(Rule(style=style))
    layout.say(console, t("ui.summary", passed=passed, total=total - skipped, skipped=skipped, seconds=seconds),
               style=style)


def markdown(text: str) -> None:
    from rich.markdown import CodeBlock, Markdown   # only `notes` needs it: 50 ms of imports kept off every lesson

    class CopyableCode(CodeBlock):
        """A fenced block whose wrapped lines can still be copied (layout.code_block), not rich's wrap,
        which put the end of a long comment at column 1 as if it were a command."""

        def __rich_console__(self, console, options):
            for line in layout.code_block(str(self.text).rstrip(), self.lexer_name, options.max_width - 1,
                                          self.theme):
                yield Text(" ") + line

    class Notes(Markdown):
        elements = {**Markdown.elements, "fence": CopyableCode, "code_block": CopyableCode}

    console.print(Notes(text))


def is_interactive() -> bool:
    return sys.stdout.isatty() and os.environ.get("CI") is None


RECORD_FORMATS = (".svg", ".html", ".txt")


def start_recording() -> None:
    """Keep everything both consoles print, in order, for save_recording() (rich's own record/export).
    The error console shares the output console's record buffer, so the file reads as the terminal did."""
    console.record = err_console.record = True
    err_console._record_buffer = console._record_buffer            # one buffer, one lock: one order
    err_console._record_buffer_lock = console._record_buffer_lock


def save_recording(path: str, title: str = "Celery Classroom") -> None:
    suffix = os.path.splitext(path)[1].lower()
    if suffix == ".svg":
        console.save_svg(path, title=title)
    elif suffix == ".html":
        console.save_html(path)
    else:
        console.save_text(path)
