"""hint N: one more hint each time (they are remembered in your progress)."""
from rich.markup import escape

from classroom import ui
from classroom.messages import pick, t
from classroom.practice import catalog, progress

ORDER = 52


def add_parser(sub):
    parser = sub.add_parser("hint", help=t("cli.cmd_hint"), description=t("cli.cmd_hint"))
    parser.add_argument("number", metavar="N", help=t("cli.arg_exercise"))
    return parser


def run(args) -> int:
    ex = catalog.get(args.number)
    shown = progress.reveal_hint(ex.number, len(ex.hints))
    for i, hint in enumerate(ex.hints[:shown], 1):
        style = "bold" if i == shown else "dim"
        ui.info(f"[{style}]💡 {t('practice.hint', i=i, total=len(ex.hints))}: {escape(pick(hint))}[/]")
    left = len(ex.hints) - shown
    if left:
        ui.info(t("practice.hint_more", left=left, n=ex.number))
    else:
        ui.info(t("practice.hint_last", file=catalog.shown_path(ex.solution_path)))
    return 0
