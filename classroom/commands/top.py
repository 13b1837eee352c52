"""top: a live dashboard of the workers on a broker (the one lesson 8 builds), until Ctrl+C."""
from __future__ import annotations

import time

from classroom import brokers, ui
from classroom.errors import UsageError
from classroom.messages import t
from classroom.options import add_broker_options, add_student_option
from classroom.player import dashboard
from classroom.runtime import bounds, namespace, settings as run_settings, waits

ORDER = 43


def add_parser(sub):
    parser = sub.add_parser("top", help=t("cli.cmd_top"), description=t("cli.cmd_top_long"))
    add_broker_options(parser, help_key="cli.opt_broker_worker")
    parser.add_argument("--seconds", type=float, metavar="S", help=t("cli.opt_top_seconds"))
    add_student_option(parser)
    return parser


def broker_for(args, memory_key: str = "top.memory"):
    """Redis unless told otherwise; never memory:// (no other process can reach it)."""
    if args.broker == "memory" or (args.broker_url or "").startswith("memory://"):
        raise UsageError(memory_key)
    mode = "redis" if args.broker == "auto" and not args.broker_url else args.broker
    return brokers.resolve(mode, args.broker_url)


def app_for(broker, space=None):
    """A plain Celery app on the learner's broker (and namespace): watching needs no task code."""
    from celery import Celery
    app = Celery("classroom-top")
    app.config_from_object("classroom.celeryconfig")
    run_settings.apply(app, run_settings.for_run(broker, space))
    return app


def run(args) -> int:
    broker = broker_for(args)
    space = namespace.for_student(broker, args.student)    # only this learner's workers
    app = app_for(broker, space)
    ui.reason(broker.reason)
    if space is not None:
        ui.info(namespace.described(space))
    monitor = dashboard.Monitor(app)
    try:
        if not monitor.start():
            raise UsageError("top.no_events", error=monitor.failed or "-", url=brokers.redact(broker.url))
        # Workers started without -E send nothing: ask them all to start (what Flower does too).
        waits.call_with_deadline(lambda: app.control.enable_events(), bounds.BROKER_SOCKET_S + 1)
        ui.info(t("top.watching", url=brokers.redact(broker.url)))
        end = time.monotonic() + args.seconds if args.seconds else None
        with dashboard.live(monitor, t("top.title")) as view:
            while end is None or time.monotonic() < end:
                time.sleep(0.1)
            snap = view.finish()
    except KeyboardInterrupt:          # the way to quit: not an error
        snap = monitor.snapshot()
    finally:
        monitor.stop()
        broker.stop()
    ui.console.print(dashboard.render(snap, t("top.title")))
    if not snap["workers"]:
        ui.info(t("top.nobody"))
    return 0
