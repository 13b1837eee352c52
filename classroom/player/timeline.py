"""A terminal timeline: one row per worker process (pool lane), one bar per task from its real start to its end."""
from __future__ import annotations

from rich.table import Table
from rich.text import Text

from classroom.runtime.tracking import TaskRecord

COLORS = ["cyan", "magenta", "green", "yellow", "blue", "red", "bright_cyan", "bright_magenta"]
# Each task name has its own glyph as well as its own colour: a timeline must read the same piped,
# with NO_COLOR, or to a colour-blind eye. The legend names every glyph.
GLYPHS = ["█", "▒", "▚", "▓", "░", "■", "▞", "◆"]
WIDTH = 48        # columns of the time axis at most
MIN_WIDTH = 16    # and at least: "0 s ──── 1.23 s"


def lane_names(hosts: list[str]) -> dict[str, str]:
    """What a lane is called: the worker's name without the "@host" every lane shares (the run id), so
    that on a narrow terminal four lanes are not four identical, cut-off "worker1@lesson11-…"."""
    suffixes = {host.partition("@")[2] for host in hosts}
    if len(hosts) > 1 and len(suffixes) == 1 and all("@" in host for host in hosts) and \
            len({host.partition("@")[0] for host in hosts}) == len(hosts):
        return {host: host.partition("@")[0] for host in hosts}
    return {host: host for host in hosts}


def render(records: list[TaskRecord], title: str = "", width: int | None = None) -> Table | None:
    """`width`: the terminal's columns; the time axis shrinks to leave the lane names whole."""
    runs = [(rec, start, end or start) for rec in records for start, end, _ in (rec.attempts or [])]
    runs += [(rec, rec.started, rec.ended or rec.started) for rec in records if rec.started and not rec.attempts]
    if not runs:
        return None
    t0 = min([start for _, start, _ in runs] + [rec.sent for rec in records if rec.sent])
    t1 = max(end for _, _, end in runs)
    span = max(t1 - t0, 1e-3)
    hosts = sorted({rec.hostname or "?" for rec, _, _ in runs})
    named = lane_names(hosts)
    label_w = max(len("worker / process"), *(len(f"{named[h]} #9") for h in hosts))
    bar = WIDTH if width is None else max(MIN_WIDTH, min(WIDTH, width - label_w - 2))
    scale = (bar - 1) / span

    names = sorted({rec.name.rsplit(".", 1)[-1] for rec, _, _ in runs})
    color = {name: COLORS[i % len(COLORS)] for i, name in enumerate(names)}
    glyphs = {name: GLYPHS[i % len(GLYPHS)] for i, name in enumerate(names)}
    rows: dict[tuple[str, int], Text] = {}
    lanes: dict[str, list[float]] = {}   # per worker: when each of its busy lanes frees up
    for rec, start, end in sorted(runs, key=lambda r: r[1]):
        # Task events carry the worker's main pid, not the pool process's: tasks that overlap in time
        # on one worker must have run in different pool processes (threads), so each gets its own lane.
        host = rec.hostname or "?"
        ends = lanes.setdefault(host, [])
        lane = next((i for i, free_at in enumerate(ends) if free_at <= start + 1e-3), len(ends))
        ends[lane:lane + 1] = [end]
        line = rows.setdefault((host, lane), Text(" " * bar))
        a = int((start - t0) * scale)
        b = max(a + 1, int(round((end - t0) * scale)))
        name = rec.name.rsplit(".", 1)[-1]
        glyph = glyphs[name]
        if a > 0 and line.plain[a - 1] == glyph and b - a > 1:
            a += 1                     # back-to-back runs of one task stay apart: a one-cell gap
        line.stylize(color[name], a, min(b, bar))
        plain = list(line.plain)
        for i in range(a, min(b, bar)):
            plain[i] = glyph
        styled = Text("".join(plain))
        for span_ in line.spans:
            styled.stylize(span_.style, span_.start, span_.end)
        rows[(host, lane)] = styled

    table = Table(title=title or None, show_header=True, header_style="bold", box=None, pad_edge=False)
    table.add_column("worker / process", no_wrap=True)
    end = f"{span:.2f} s"
    table.add_column(f"0 s {'─' * max(bar - 5 - len(end), 1)} {end}", no_wrap=True)
    for (host, lane), line in sorted(rows.items(), key=lambda item: item[0]):
        table.add_row(f"{named[host]} #{lane + 1}", line)
    legend = Text("  ".join(f"{glyphs[name]} {name}" for name in names))
    for name in names:
        start = legend.plain.find(f"{glyphs[name]} {name}")
        legend.stylize(color[name], start, start + 1)
    table.caption, table.caption_justify = legend, "left"   # under the table, wraps on narrow terminals
    return table
