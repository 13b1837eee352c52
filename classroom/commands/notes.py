"""notes N [--answers]: the lesson's notes, rendered in the terminal (answers to "try this" on request)."""
import re

from classroom import catalog, ui
from classroom.messages import get_lang, t
from classroom.options import add_lesson_number

ORDER = 30


# An answer the learner can unfold in the Markdown: <details><summary>Answer</summary> ... </details>
ANSWER = re.compile(r"^(?P<indent>[ \t]*)<details><summary>(?P<summary>.*?)</summary>[ \t]*\n(?P<body>.*?)"
                    r"^[ \t]*</details>[ \t]*\n?", re.M | re.S)


def add_parser(sub):
    parser = sub.add_parser("notes", help=t("cli.cmd_notes"), description=t("cli.cmd_notes"))
    add_lesson_number(parser)
    parser.add_argument("--answers", action="store_true", help=t("cli.opt_answers"))
    return parser


def with_answers(text: str, show: bool, number: int = 0) -> str:
    """The terminal has no <details>: answers are left out (with a pointer to --answers), or shown inline."""
    def replace(match: re.Match) -> str:
        indent = match["indent"]
        if not show:
            return ""
        body = " ".join(line.strip() for line in match["body"].strip().splitlines() if line.strip())
        return f"{indent}**{match['summary']}:** {body}\n\n"
    replaced, count = ANSWER.subn(replace, text)
    if count and not show:
        replaced += f"\n\n*{t('notes.answers_hidden', count=count, number=number)}*\n"
    return replaced


def run(args) -> int:
    lesson = catalog.get(args.number)
    text = with_answers(lesson.notes_path(get_lang()).read_text(encoding="utf-8"), args.answers, lesson.number)
    if ui.is_interactive():          # a terminal: page it (q quits); a pipe or a file gets it whole
        with ui.console.pager(styles=True):
            ui.markdown(text)
    else:
        ui.markdown(text)
    return 0
