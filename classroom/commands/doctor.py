"""doctor: check this machine for everything the course needs, with a fix for each problem."""
from rich.markup import escape
from rich.rule import Rule

from classroom import doctor, layout, ui
from classroom.messages import t

ORDER = 90


def add_parser(sub):
    return sub.add_parser("doctor", help=t("cli.cmd_doctor"), description=t("cli.cmd_doctor"))


def mark_of(row: doctor.Check) -> str:
    """✓ fine, ! worth a look, ⏭ an optional part skipped (it only limits the modes), ✗ a required check failed."""
    if row.ok:
        return "[green]✓[/] "
    if row.warning:
        return "[yellow]![/] "
    return "[yellow]⏭[/] " if row.optional else "[red]✗[/] "


def run(args) -> int:
    """One line per check, its fix below it: read whole at any width (a table cut details with '…')."""
    failures = 0
    with ui.status(t("doctor.running")):
        rows = [row for check in doctor.CHECKS for row in check()]
    ui.console.print(Rule(f"[bold]{t('doctor.title')}[/]"))
    for row in rows:
        failures += not row.ok and not row.optional and not row.warning
        mark = mark_of(row)
        layout.say(ui.console, f"{escape(row.what)}: [dim]{escape(row.detail)}[/]" if row.detail else escape(row.what),
                   prefix=mark)
        if row.fix:
            layout.say(ui.console, escape(row.fix), prefix="    ")
    ui.console.print()
    ui.info(t("doctor.all_ok") if not failures else t("doctor.some_failed", n=failures))
    return 0 if not failures else 1
