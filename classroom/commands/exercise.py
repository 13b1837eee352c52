"""exercise N: the task, the file to edit (created from the starter the first time), how to check it."""
import re

from rich.markup import escape
from rich.rule import Rule

from classroom import ui
from classroom.messages import get_lang, pick, t
from classroom.practice import catalog, progress
from classroom.practice.catalog import TODO

ORDER = 50
CJK = re.compile(r"[\u4e00-\u9fff]")


def add_parser(sub):
    parser = sub.add_parser("exercise", help=t("cli.cmd_exercise"), description=t("cli.cmd_exercise_long"))
    parser.add_argument("number", metavar="N", help=t("cli.arg_exercise"))
    return parser


def todo_lines(text: str) -> list[tuple[int, str]]:
    """(line number, text) of each TODO in the learner's language: a TODO line is English, and the
    comment lines right under it carry the Chinese."""
    lines = text.splitlines()
    found = []
    for i, line in enumerate(lines):
        match = TODO.search(line)
        if not match:
            continue
        block = [line.strip()]
        for more in lines[i + 1:]:
            if not more.strip().startswith("#") or TODO.search(more):
                break
            block.append(more.strip().lstrip("#").strip())
        if get_lang() == "zh":
            zh = [b for b in block[1:] if CJK.search(b)]
            found.append((i + 1, f"# TODO {match.group(1)}: " + " ".join(zh) if zh else block[0]))
        else:
            found.append((i + 1, " ".join([block[0]] + [b for b in block[1:] if not CJK.search(b)])))
    return found


def run(args) -> int:
    ex = catalog.get(args.number)
    created = ex.ensure_working_copy()
    progress.set_current(ex.number)
    where = t("practice.of_lesson", n=ex.lesson) if ex.lesson else t("practice.classroom")
    ui.console.print(Rule(f"[bold]{t('practice.exercise')} {ex.number}: {escape(ex.title_text())}[/]  [dim]({where})[/]"))
    ui.markdown(pick(ex.statement))
    file = catalog.shown_path(ex.working_path)
    ui.reason(t("practice.created", file=file) if created else t("practice.edit", file=file))
    todos = todo_lines(ex.working_path.read_text(encoding="utf-8"))
    ui.info(t("practice.todos") if todos else t("practice.no_todos"))
    for number, text in todos:
        ui.info(f"  [yellow]{file}:{number}[/]  {escape(text)}")
    ui.info("")
    ui.info(t("practice.how", n=ex.number))
    return 0
