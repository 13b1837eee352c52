"""progress: exercises done, hints shown, lessons played; --reset forgets it all."""
from classroom import catalog as lessons_catalog
from classroom import ui
from classroom.messages import t
from classroom.practice import catalog, progress

ORDER = 55


def add_parser(sub):
    parser = sub.add_parser("progress", help=t("cli.cmd_progress"), description=t("cli.cmd_progress"))
    parser.add_argument("--reset", action="store_true", help=t("cli.opt_progress_reset"))
    return parser


def run(args) -> int:
    file = catalog.shown_path(progress.path())
    if args.reset:
        ui.info(t("practice.progress_cleared", file=file) if progress.reset() else t("practice.progress_empty"))
        return 0
    from classroom.commands.list import exercise_table
    data = progress.load()
    ui.console.print(exercise_table(data))
    ui.info(t("practice.progress_line", done=len(progress.done_exercises(data)), total=len(catalog.exercises()),
              lessons=len(progress.done_lessons(data)), ltotal=len(lessons_catalog.lessons()), file=file))
    return 0
