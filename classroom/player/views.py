"""Live views a step can show while it runs: a progress bar fed from a task's real meta, a canvas tree.

Kept apart from ui.py (headers, tables) so that each stays small; both print on ui.console.
"""
from __future__ import annotations

from typing import Any

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)
from rich.tree import Tree

from classroom.messages import t
from classroom.ui import console, short


class ProgressView:
    """A rich progress bar that only moves when the task's stored meta says so.

    ``update(state, info)`` is called with what the result backend returned: ``info`` is the meta
    dict of ``update_state(state=..., meta={'current': i, 'total': n})`` (or the task's return value).
    """

    def __init__(self, label: str, current_key: str = "current", total_key: str = "total") -> None:
        self.current_key, self.total_key = current_key, total_key
        self.progress = Progress(TextColumn("  {task.description}"), BarColumn(), MofNCompleteColumn(),
                                 TextColumn("[cyan]{task.fields[state]}[/]"), TimeElapsedColumn(),
                                 console=console, transient=False)
        self.bar = self.progress.add_task(label, total=None, state="…")

    def __enter__(self) -> "ProgressView":
        self.progress.start()
        return self

    def update(self, state: str, info: Any) -> None:
        fields: dict = {"state": state}
        if isinstance(info, dict) and self.current_key in info and self.total_key in info:
            fields.update(completed=info[self.current_key], total=info[self.total_key])
        self.progress.update(self.bar, **fields)

    def __exit__(self, *exc) -> None:
        self.progress.stop()


def canvas_tree(sig) -> Tree:
    """A canvas (signature, chain, group, chord) as a tree: what runs in parallel, what in order."""
    tree = Tree(f"[bold]{t('tree.workflow')}[/]")
    _add(tree, sig)
    return tree


def _add(parent: Tree, sig) -> None:
    from celery.canvas import _chain, _chord, group

    if isinstance(sig, _chord):
        node = parent.add(f"[magenta]chord[/] [dim]{t('tree.chord')}[/]")
        header = node.add(f"[yellow]header: group[/] [dim]{t('tree.group')}[/]")
        for task in sig.tasks:
            _add(header, task)
        body = node.add(f"[green]body[/] [dim]{t('tree.body')}[/]")
        _add(body, sig.body)
    elif isinstance(sig, _chain):
        node = parent.add(f"[blue]chain[/] [dim]{t('tree.chain')}[/]")
        for task in sig.tasks:
            _add(node, task)
    elif isinstance(sig, group):
        node = parent.add(f"[yellow]group[/] [dim]{t('tree.group')}[/]")
        for task in sig.tasks:
            _add(node, task)
    else:
        parent.add(_label(sig))


def _label(sig) -> str:
    name = sig.task.rsplit(".", 1)[-1]
    args = [short(a, 20) if isinstance(a, str) else repr(a) for a in sig.args]
    args += [f"{k}={v!r}" for k, v in sig.kwargs.items()]
    mark = f" [dim]{t('tree.immutable')}[/]" if sig.immutable else ""
    return f"[cyan]{name}[/]({', '.join(args)}){mark}"


def show_tree(sig) -> None:
    console.print(canvas_tree(sig))
