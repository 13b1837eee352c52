"""env [N]: the environment a second terminal needs to reach the broker the runner uses.

    eval "$(python runner.py env 3)"                         # bash / zsh
    python runner.py env 3 --shell powershell | Invoke-Expression   # PowerShell

Then `celery -A lessons.lesson03_routing.tasks worker`, `celery ... inspect`, or a `python -c` from
the notes go to the same broker, results and lesson settings as `python runner.py worker 3`.
"""
from __future__ import annotations

import json
import os
import sys

from rich.markup import escape

from classroom import ROOT, brokers, catalog, layout, ui
from classroom.envvars import BACKEND_ENV, BROKER_ENV, SETTINGS_ENV
from classroom.errors import UsageError
from classroom.messages import t
from classroom.options import add_broker_options, add_student_option
from classroom.runtime import namespace, settings as run_settings

ORDER = 45
SHELLS = ("bash", "powershell", "cmd")


HOW = {"bash": "env.how_bash", "powershell": "env.how_powershell", "cmd": "env.how_cmd"}

def add_parser(sub):
    parser = sub.add_parser("env", help=t("cli.cmd_env"), description=t("cli.cmd_env_long"))
    parser.add_argument("number", metavar="N", nargs="?", help=t("cli.arg_env_lesson"))
    parser.add_argument("--shell", choices=SHELLS, default="powershell" if sys.platform == "win32" else "bash",
                        help=t("cli.opt_shell"))
    add_broker_options(parser)
    add_student_option(parser)
    return parser


def line(shell: str, name: str, value: str) -> str:
    if shell == "powershell":
        return f"$env:{name} = '{value.replace(chr(39), chr(39) * 2)}'"
    if shell == "cmd":
        return f"set {name}={value}"
    return f"export {name}='{value.replace(chr(39), chr(39) + chr(92) + chr(39) + chr(39))}'"


def command(number, broker: str = "auto", broker_url: str | None = None, shell: str | None = None,
            student: str | None = None) -> str:
    """`python runner.py env ...` with the arguments the learner gave (the password hidden)."""
    from classroom.brokers import redact
    words = ["python runner.py env"] + ([str(number)] if number else [])
    if broker_url:
        words += ["--broker-url", redact(broker_url)]
    elif broker != "auto":
        words += ["--broker", broker]
    default_shell = "powershell" if sys.platform == "win32" else "bash"
    if shell and shell != default_shell:
        words += ["--shell", shell]
    if student:
        words += ["--student", student]
    return " ".join(words)


def run(args) -> int:
    lesson = catalog.get(args.number) if args.number else None
    if args.broker == "memory" or (args.broker_url or "").startswith("memory://"):
        raise UsageError("env.memory")
    mode = "redis" if args.broker == "auto" and not args.broker_url else args.broker
    broker = brokers.resolve(mode, args.broker_url)
    space = namespace.for_student(broker, args.student)    # a room sharing one broker: the learner's own
    try:
        if broker.started:               # a redis-server only this command would have kept alive
            raise UsageError("env.nothing_running")
        values = {BROKER_ENV: broker.url, BACKEND_ENV: broker.backend}
        celery = (lesson.celery if lesson is not None else None) or {}
        if celery or space is not None:
            # the lesson's [celery] table and the learner's namespace over the bounded defaults, as the
            # runner's workers get them
            settings = run_settings.for_run(broker, space, celery)
            keys = set(celery) | set(space.settings() if space is not None else {})
            values[SETTINGS_ENV] = json.dumps({k: settings[k] for k in sorted(keys)} |
                                              {"broker_transport_options": settings["broker_transport_options"]})
        if lesson is not None:
            values.update(lesson.shell_env())      # e.g. DJANGO_SETTINGS_MODULE for lesson 13
            if lesson.workdir:
                # `celery --workdir` leaves the repository root: the lesson's settings module must still import.
                values["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
        if space is not None:
            values[namespace.STUDENT_ENV] = args.student or os.environ.get(namespace.STUDENT_ENV, "")
        comment = "REM" if args.shell == "cmd" else "#"
        print(f"{comment} {t('env.comment', reason=broker.reason)}")
        if space is not None:
            print(f"{comment} {namespace.described(space)}")
        for name, value in values.items():
            print(line(args.shell, name, value))
        how = t(HOW[args.shell], command=command(args.number, args.broker, args.broker_url, args.shell,
                                                   getattr(args, "student", None)))
        layout.say(ui.err_console, f"[dim]{escape(how)}[/]")
    finally:
        broker.stop()
    return 0
