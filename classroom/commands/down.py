"""down: remove the broker containers the runner started: only those carrying its label."""
from classroom import ui
from classroom.brokers import containers
from classroom.brokers.docker_services import LABEL, PROJECT
from classroom.commands.up import CHOICES
from classroom.messages import t

ORDER = 62


def add_parser(sub):
    parser = sub.add_parser("down", help=t("cli.cmd_down"), description=t("cli.cmd_down"))
    parser.add_argument("service", nargs="?", choices=CHOICES, default="all", help=t("cli.arg_service", default="all"))
    return parser


def run(args) -> int:
    removed = containers.remove_all(None if args.service == "all" else args.service)
    for name in removed:
        ui.info(t("down.removed", name=name))
    if not removed:
        ui.info(t("down.none", label=f"{LABEL}={PROJECT}"))
    return 0
