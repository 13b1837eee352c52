"""The command line. Each command is a module in classroom/commands with:

    ORDER = 10                       # position in --help
    def add_parser(sub): ...         # its arguments (help text from the messages table)
    def run(args) -> int: ...        # its exit code

Ordinary failures are ClassroomErrors: a bilingual message and an exit code, never a traceback.
"""
from __future__ import annotations

import argparse
import importlib
import pkgutil
import signal
import sys
import traceback

from classroom import commands, paths, ui
from classroom.errors import EXIT_INTERRUPTED, EXIT_USAGE, ClassroomError
from classroom.messages import LANGS, get_lang, set_lang, t
from classroom.options import check_record_path
from classroom.player.explain import explain
from classroom.runtime import reaper


class Parser(argparse.ArgumentParser):
    """argparse, but its complaints are said in the learner's language and exit with EXIT_USAGE."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        ui.err_console.print(f"[red]{t('cli.bad_args', detail=message)}[/]")
        sys.exit(EXIT_USAGE)


def _command_modules():
    mods = [importlib.import_module(f"{commands.__name__}.{m.name}") for m in pkgutil.iter_modules(commands.__path__)
            if not m.name.startswith("_")]
    return sorted(mods, key=lambda m: getattr(m, "ORDER", 100))


def build_parser() -> Parser:
    parser = Parser(prog="python runner.py", description=t("cli.description"), epilog=t("cli.epilog"),
                    formatter_class=argparse.RawDescriptionHelpFormatter)
    add_global_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", title=t("cli.commands"), parser_class=Parser)
    for module in _command_modules():
        command = module.add_parser(sub)
        add_global_options(command, argparse.SUPPRESS)
        command.set_defaults(func=module.run)
    return parser


def add_global_options(parser: argparse.ArgumentParser, default=None) -> None:
    """--lang and --debug, accepted before the command (`--lang zh lesson 1`) and after it
    (`lesson 1 --lang zh`). On a command they default to SUPPRESS, so an absent one never
    overwrites a value given before the command."""
    parser.add_argument("--lang", choices=LANGS, help=t("cli.opt_lang"),
                        **({} if default is None else {"default": default}))
    parser.add_argument("--debug", action="store_true", help=t("cli.opt_debug"),
                        **({} if default is None else {"default": default}))


def _translate_argparse() -> None:
    """argparse looks its words up through gettext at call time; answer from our messages table."""
    from classroom.messages import MESSAGES

    def lookup(text: str) -> str:
        entry = MESSAGES.get(f"argparse:{text}")
        return entry[get_lang()] if entry else text

    argparse._ = lookup  # type: ignore[attr-defined]


def _prescan_lang(argv: list[str]) -> str | None:
    """The language asked for, before argparse runs (its own messages are translated): the last
    --lang wins, wherever it stands, as it does for argparse."""
    found = None
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            found = argv[i + 1]
        elif arg.startswith("--lang="):
            found = arg.split("=", 1)[1]
    return found


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    set_lang(_prescan_lang(argv))
    _translate_argparse()
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    reaper.install_interrupt_handlers(lambda: ui.err_console.print(t("cli.killed")), EXIT_INTERRUPTED)
    record = getattr(args, "record", None)
    try:
        if record:
            check_record_path(record)
            ui.start_recording()
        return int(args.func(args) or 0)
    except ClassroomError as exc:
        ui.error(exc.message(), exc.key)
        return exc.exit_code
    except KeyboardInterrupt:
        ui.err_console.print(f"[yellow]{t('cli.interrupted')}[/]")
        return EXIT_INTERRUPTED
    except Exception as exc:
        known = explain(exc)
        if known is not None:
            ui.error(known.message(), known.key)
            return known.exit_code
        log = paths.log_dir() / "runner-traceback.log"
        try:
            log.write_text(traceback.format_exc(), encoding="utf-8")
        except OSError:
            log = None
        if args.debug:
            traceback.print_exc()
        ui.error(t("cli.crashed", error=traceback.format_exc().strip().splitlines()[-1], log=log or "-"))
        return 1
    finally:
        reaper.kill_all()
        if record and ui.console.record:
            try:
                ui.save_recording(record)
                ui.err_console.print(f"[dim]{t('cli.recorded', path=record)}[/]")
            except OSError as exc:
                ui.err_console.print(f"[red]{t('cli.record_failed', path=record, error=exc)}[/]")
        # Everything is stopped: a late second Ctrl+C must not kill the interpreter mid-exit (the exit
        # code would be -SIGINT, and a traceback could appear).
        for sig in (signal.SIGINT, getattr(signal, "SIGTERM", None)):
            if sig is not None:
                signal.signal(sig, signal.SIG_IGN)
        if paths.fallback_used is not None:
            ui.err_console.print(f"[yellow]{t('paths.fallback', wanted=paths.fallback_used, used=paths.state_dir())}[/]")
