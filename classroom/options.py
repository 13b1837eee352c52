"""Arguments several commands share."""
from __future__ import annotations

from classroom.brokers import MODES
from classroom.messages import t


def add_broker_options(parser, help_key: str = "cli.opt_broker") -> None:
    parser.add_argument("--broker", choices=MODES, default="auto", help=t(help_key))
    parser.add_argument("--broker-url", metavar="URL", help=t("cli.opt_broker_url"))


def add_student_option(parser) -> None:
    parser.add_argument("--student", metavar="NAME", help=t("cli.opt_student"))


def add_lesson_number(parser) -> None:
    parser.add_argument("number", metavar="N", help=t("cli.arg_lesson"))


def add_record_option(parser) -> None:
    parser.add_argument("--record", metavar="FILE", help=t("cli.opt_record"))


def check_record_path(path: str | None) -> None:
    """A recording's format comes from its extension; anything else is a usage error, said at once."""
    import os
    from classroom.errors import UsageError
    from classroom.ui import RECORD_FORMATS
    if path and os.path.splitext(path)[1].lower() not in RECORD_FORMATS:
        raise UsageError("cli.record_format", path=path, formats=", ".join(RECORD_FORMATS))
