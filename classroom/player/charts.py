"""A horizontal bar chart of measured numbers (a step's `run.bars(...)`), drawn after the step.

One row per bar: label, bar, value. The bar gets what the terminal has left, so the chart reads at 60
columns as at 120, and in a pipe (plain block characters, no colour needed).
"""
from __future__ import annotations

from rich.cells import cell_len
from rich.table import Table
from rich.text import Text

FULL, PARTS = "█", " ▏▎▍▌▋▊▉"


def bar(fraction: float, width: int) -> str:
    """`fraction` (0..1) of `width` cells in eighths of a block."""
    eighths = round(max(0.0, min(fraction, 1.0)) * width * 8)
    full, part = divmod(eighths, 8)
    return FULL * full + (PARTS[part] if part else "")


def render(title: str, rows: list[tuple[str, float]], unit: str, width: int) -> Table:
    top = max((value for _, value in rows), default=0.0) or 1.0
    label_w = max((cell_len(label) for label, _ in rows), default=0)   # a Chinese character is 2 cells
    values = [f"{value:,.0f} {unit}" for _, value in rows]
    value_w = max((cell_len(v) for v in values), default=0)
    room = max(width - label_w - value_w - 8, 8)
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True, min_width=room)
    table.add_column(no_wrap=True, justify="right")
    if title:
        table.title, table.title_justify = title, "left"
    for (label, value), shown in zip(rows, values):
        table.add_row(f"  {label}", Text(bar(value / top, room), style="cyan"), shown)
    return table


class Chart:
    """A chart as a rich renderable: it is drawn at the width it is printed at (run.render shows it)."""

    def __init__(self, title: str, rows: list[tuple[str, float]], unit: str) -> None:
        self.title, self.rows, self.unit = title, rows, unit

    def __rich_console__(self, console, options):
        yield render(self.title, self.rows, self.unit, options.max_width)
