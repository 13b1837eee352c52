"""Arguments several commands share."""
from classroom.brokers import MODES
from classroom.messages import t


def add_broker_options(parser) -> None:
    parser.add_argument("--broker", choices=MODES, default="auto", help=t("cli.opt_broker"))
    parser.add_argument("--broker-url", metavar="URL", help=t("cli.opt_broker_url"))


def add_lesson_number(parser) -> None:
    parser.add_argument("number", metavar="N", help=t("cli.arg_lesson"))
