"""doctor: check this machine for everything the course needs, with a fix for each problem."""
from rich.table import Table

from classroom import doctor, ui
from classroom.messages import t

ORDER = 90


def add_parser(sub):
    return sub.add_parser("doctor", help=t("cli.cmd_doctor"), description=t("cli.cmd_doctor"))


def run(args) -> int:
    table = Table(title=t("doctor.title"), show_header=True, header_style="bold")
    for col in ("doctor.col_check", "doctor.col_ok", "doctor.col_detail", "doctor.col_fix"):
        table.add_column(t(col))
    failures = 0
    with ui.status(t("doctor.running")):
        rows = [row for check in doctor.CHECKS for row in check()]
    for row in rows:
        failures += not row.ok and not row.optional
        mark = "[green]✓[/]" if row.ok else ("[yellow]✗[/]" if row.optional else "[red]✗[/]")
        table.add_row(row.what, mark, row.detail, row.fix)
    ui.console.print(table)
    ui.console.print(t("doctor.all_ok") if not failures else t("doctor.some_failed", n=failures))
    return 0 if not failures else 1
