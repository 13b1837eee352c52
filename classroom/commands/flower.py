"""flower: Flower on 127.0.0.1 with a password, for the learner's own workers, until Ctrl+C."""
from __future__ import annotations

import time

from classroom import brokers, catalog, ui
from classroom.commands.top import app_for, broker_for
from classroom.messages import t
from classroom.options import add_broker_options, add_student_option
from classroom.runtime import bounds, namespace, settings as run_settings, waits
from classroom.runtime.flower import FlowerService

ORDER = 44


def add_parser(sub):
    parser = sub.add_parser("flower", help=t("cli.cmd_flower"), description=t("cli.cmd_flower_long"))
    parser.add_argument("number", metavar="N", nargs="?", default="8", help=t("cli.arg_flower_lesson"))
    add_broker_options(parser, help_key="cli.opt_broker_worker")
    parser.add_argument("--port", type=int, help=t("cli.opt_flower_port"))
    parser.add_argument("--password", help=t("cli.opt_flower_password"))
    parser.add_argument("--seconds", type=float, metavar="S", help=t("cli.opt_top_seconds"))
    add_student_option(parser)
    return parser


def worker_command(number, args) -> str:
    """`python runner.py worker N` on the broker the learner named (the password hidden)."""
    words = ["python runner.py worker", str(number)]
    if args.broker_url:
        words += ["--broker-url", brokers.redact(args.broker_url)]
    else:
        words += ["--broker", "redis" if args.broker == "auto" else args.broker]
    if getattr(args, "student", None):
        words += ["--student", args.student]             # the worker must join the same namespace
    return " ".join(words)


def run(args) -> int:
    lesson = catalog.get(args.number)
    broker = broker_for(args, "flower.memory")
    space = namespace.for_student(broker, args.student)    # only this learner's workers and tasks
    settings = run_settings.for_run(broker, space, lesson.celery)
    flower = FlowerService("flower", lesson.app_module, run_settings.child_env(broker, settings, lesson.python_path),
                           "flower.log", args.port, password=args.password)
    ui.reason(broker.reason)
    if space is not None:
        ui.info(namespace.described(space))
    try:
        with ui.status(t("flower.starting")):
            flower.start()
        ui.info(t("flower.ready", url=flower.url, user=flower.user, password=flower.password,
                  app=lesson.app_module))
        if not waits.ping(app_for(broker, space), bounds.INSPECT_S):     # this learner's workers only
            # Flower's page would only say "No workers are available".
            ui.info(t("flower.no_workers", command=worker_command(lesson.number, args)))
        end = time.monotonic() + args.seconds if args.seconds else None
        while (end is None or time.monotonic() < end) and flower.alive():
            time.sleep(0.2)
        if not flower.alive():
            ui.warn(t("flower.exited", tail=flower.log_tail()))
            return 1
    except KeyboardInterrupt:
        pass
    finally:
        flower.stop()
        broker.stop()
    ui.info(t("flower.stopped"))
    return 0
