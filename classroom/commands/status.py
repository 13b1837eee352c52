"""status: the Docker engine and the runner's broker containers (state, health, address, answers)."""
from rich.table import Table

from classroom import ui
from classroom.brokers import docker_status
from classroom.errors import EXIT_BROKER
from classroom.messages import t

ORDER = 61


def add_parser(sub):
    return sub.add_parser("status", help=t("cli.cmd_status"), description=t("cli.cmd_status"))


def run(args) -> int:
    usable, what, fix = docker_status.engine()
    ui.info(t("dstatus.engine", what=what if usable else t("dstatus.unusable", why=what)))
    if not usable:
        ui.info(fix)
        return EXIT_BROKER
    table = Table(title=t("dstatus.title"), show_header=True, header_style="bold")
    table.add_column(t("dstatus.col_container"), no_wrap=True)
    table.add_column(t("dstatus.col_state"))
    table.add_column(t("dstatus.col_address"), overflow="fold")
    table.add_column(t("dstatus.col_answers"), no_wrap=True)
    for row in docker_status.rows():
        # Docker's health check runs every few seconds: "starting" beside a broker that answers now only
        # confuses, so the state shows the health only when it says more than the probe does.
        shown_health = row.health if row.health and not (row.answers and row.health == "starting") else ""
        state = f"{row.state} ({shown_health})" if shown_health else row.state
        address = row.address.replace("  ", "\n") if row.ours else t("dstatus.not_ours")
        mark = "[green]✓[/]" if row.answers else ("–" if row.state == "-" else "[red]✗[/]")
        table.add_row(f"{row.name}\n[dim]{row.image}[/]", state, address, mark)
    ui.console.print(table)
    return 0
