"""list: the lessons and the exercises, with your progress (✓ done, → current)."""
from rich.markup import escape
from rich.table import Table

from classroom import catalog, ui
from classroom.messages import pick, t
from classroom.practice import catalog as practice
from classroom.practice import progress

ORDER = 10


def add_parser(sub):
    return sub.add_parser("list", help=t("cli.cmd_list"), description=t("cli.cmd_list"))


def mark(number: int, done: set, current) -> str:
    return "[green]✓[/]" if number in done else "[cyan]→[/]" if number == current else ""


def exercise_table(data: dict) -> Table:
    exercises = practice.exercises()
    done = progress.done_exercises(data)
    current = progress.current_exercise([ex.number for ex in exercises], data)
    table = Table(title=t("practice.list_title"), show_header=True, header_style="bold")
    table.add_column("")
    table.add_column("#", justify="right")
    table.add_column(t("practice.col_exercise"))
    table.add_column(t("practice.col_lesson"), justify="right")
    table.add_column(t("practice.col_hints"), justify="right")
    for ex in exercises:
        hints = data["exercises"].get(str(ex.number), {}).get("hints", 0)
        table.add_row(mark(ex.number, done, current), str(ex.number), escape(ex.title_text()),
                      str(ex.lesson or "–"), f"{hints}/{len(ex.hints)}")
    return table


def run(args) -> int:
    data = progress.load()
    lessons = catalog.lessons()
    played = progress.done_lessons(data)
    current = next((lesson.number for lesson in lessons if lesson.number not in played), None)
    table = Table(title=t("list.title"), show_header=True, header_style="bold")
    table.add_column("")
    table.add_column("#", justify="right")
    table.add_column(t("list.col_title"))
    table.add_column(t("list.col_summary"))
    for lesson in lessons:
        table.add_row(mark(lesson.number, played, current), str(lesson.number), lesson.title_text(),
                      pick(lesson.summary))
    ui.console.print(table)
    ui.info(t("list.hint"))
    ui.console.print(exercise_table(data))
    current_ex = progress.current_exercise([ex.number for ex in practice.exercises()], data)
    ui.info(t("practice.list_hint", n=current_ex or 1))
    return 0
