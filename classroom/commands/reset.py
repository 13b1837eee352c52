"""reset N: put the starter back (after confirmation); your version is kept in .classroom/backups/."""
import shutil
import sys
import time

from classroom import paths, ui
from classroom.errors import UsageError
from classroom.messages import t
from classroom.practice import catalog

ORDER = 53


def add_parser(sub):
    parser = sub.add_parser("reset", help=t("cli.cmd_reset"), description=t("cli.cmd_reset"))
    parser.add_argument("number", metavar="N", help=t("cli.arg_exercise"))
    parser.add_argument("--yes", "-y", action="store_true", help=t("cli.opt_yes"))
    return parser


def backup_path(ex: catalog.Exercise):
    folder = paths.state_dir() / "backups"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    candidate, i = folder / f"{ex.module}-{stamp}.py", 1
    while candidate.exists():
        i += 1
        candidate = folder / f"{ex.module}-{stamp}-{i}.py"
    return candidate


def run(args) -> int:
    ex = catalog.get(args.number)
    file = catalog.shown_path(ex.working_path)
    if ex.ensure_working_copy():
        ui.reason(t("practice.created", file=file))
        return 0
    if ex.working_path.read_bytes() == ex.starter_path.read_bytes():
        ui.info(t("practice.reset_same", file=file))
        return 0
    backup = backup_path(ex)
    if not args.yes:
        if not sys.stdin.isatty():
            raise UsageError("practice.reset_needs_yes", n=ex.number)
        answer = input(t("practice.reset_ask", file=file, backup=catalog.shown_path(backup))).strip().lower()
        if answer not in ("y", "yes", "是", "好"):
            ui.info(t("practice.reset_cancelled"))
            return 1
    shutil.copyfile(ex.working_path, backup)          # first the backup, then the starter
    shutil.copyfile(ex.starter_path, ex.working_path)
    ui.info(t("practice.reset_done", file=file, backup=catalog.shown_path(backup)))
    return 0
