"""list: the lessons, number and title."""
from rich.table import Table

from .. import catalog, ui
from ..messages import pick, t

ORDER = 10


def add_parser(sub):
    return sub.add_parser("list", help=t("cli.cmd_list"), description=t("cli.cmd_list"))


def run(args) -> int:
    table = Table(title=t("list.title"), show_header=True, header_style="bold")
    table.add_column("#", justify="right")
    table.add_column(t("list.col_title"))
    table.add_column(t("list.col_summary"))
    for lesson in catalog.lessons():
        table.add_row(str(lesson.number), lesson.title_text(), pick(lesson.summary))
    ui.console.print(table)
    ui.console.print(t("list.hint"))
    return 0
