"""notes N: the lesson's notes, rendered in the terminal."""
from classroom import catalog, ui
from classroom.messages import get_lang, t
from classroom.options import add_lesson_number

ORDER = 30


def add_parser(sub):
    parser = sub.add_parser("notes", help=t("cli.cmd_notes"), description=t("cli.cmd_notes"))
    add_lesson_number(parser)
    return parser


def run(args) -> int:
    lesson = catalog.get(args.number)
    text = lesson.notes_path(get_lang()).read_text(encoding="utf-8")
    if ui.is_interactive():          # a terminal: page it (q quits); a pipe or a file gets it whole
        with ui.console.pager(styles=True):
            ui.markdown(text)
    else:
        ui.markdown(text)
    return 0
