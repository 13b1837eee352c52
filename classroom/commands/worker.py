"""worker N: the lesson's worker in the foreground, as a learner runs it in a second terminal."""
from __future__ import annotations

import os
import signal
import sys

from classroom import ROOT, brokers, catalog, ui
from classroom.commands.env import command as env_command
from classroom.errors import EXIT_INTERRUPTED, UsageError
from classroom.messages import t
from classroom.options import add_broker_options, add_lesson_number, add_student_option
from classroom.runtime import bounds, namespace, settings as run_settings
from classroom.runtime.process import ManagedProcess
from classroom.runtime.reaper import IS_WINDOWS
from classroom.runtime.workers import celery_command

ORDER = 40


def add_parser(sub):
    parser = sub.add_parser("worker", help=t("cli.cmd_worker"), description=t("cli.cmd_worker_long"))
    add_lesson_number(parser)
    parser.add_argument("--name", help=t("cli.opt_worker_name"))
    add_broker_options(parser, help_key="cli.opt_broker_worker")
    add_student_option(parser)
    return parser


def run(args) -> int:
    lesson = catalog.get(args.number)
    specs = {spec.name: spec for spec in lesson.workers}
    spec = specs.get(args.name) if args.name else lesson.workers[0]
    if spec is None:
        raise UsageError("worker.unknown_name", name=args.name, valid=", ".join(specs))
    if args.broker == "memory" or (args.broker_url or "").startswith("memory://"):
        raise UsageError("worker.memory_foreground")
    mode = "redis" if args.broker == "auto" and not args.broker_url else args.broker
    broker = brokers.resolve(mode, args.broker_url)
    space = namespace.for_student(broker, args.student)    # a room sharing one broker: the learner's own
    cmd = celery_command(lesson.app_module, spec, hostname=f"{spec.name}@%h", workdir=lesson.workdir)
    ui.reason(broker.reason)
    if space is not None:
        ui.info(namespace.described(space))
    env_cmd = env_command(lesson.number, mode if not args.broker_url else "auto", args.broker_url)
    env_cmd += f" --student {args.student}" if args.student else ""
    ui.info(t("worker.plain_command", cmd=" ".join(cmd), root=ROOT, env=env_cmd))
    others = [s.name for s in lesson.workers if s.name != spec.name]
    if others:
        broker_args = (f"--broker-url {brokers.redact(args.broker_url)}" if args.broker_url else f"--broker {mode}")
        broker_args += f" --student {args.student}" if args.student else ""
        commands = "\n".join(f"  python runner.py worker {lesson.number} --name {name} {broker_args}" for name in others)
        ui.info(t("worker.others", n=len(lesson.workers), commands=commands))
    settings = run_settings.for_run(broker, space, lesson.celery)     # the lesson's [celery] table too
    # What `env N` prints (the lesson's [env]: DJANGO_SETTINGS_MODULE), so the command shown is the one run.
    env = {**os.environ, **run_settings.child_env(broker, settings, lesson.python_path), **lesson.shell_env(),
           **spec.env}
    # Its own process group, as every process the runner starts: Ctrl+C in the terminal reaches the
    # runner alone, which passes it on once (sharing the group, celery heard it twice: two "Warm
    # shutdown" lines), as the terminal would: SIGINT to the worker's group. Prefork pool processes
    # ignore SIGINT (celery/concurrency/prefork.py WORKER_SIGIGNORE), so the task they run finishes.
    # On Windows the worker keeps sharing the console and gets its Ctrl+C from it.
    warm = signal.SIGINT if not IS_WINDOWS else signal.SIGTERM
    worker = ManagedProcess(spec.name, [sys.executable, "-m"] + cmd, None, env=env, cwd=str(ROOT),
                            own_group=not IS_WINDOWS, stop_steps=((warm, bounds.WORKER_STOP_S),)).spawn()
    try:
        return worker.popen.wait()
    except KeyboardInterrupt:
        # A SIGINT/SIGTERM sent to the runner alone must reach celery as well: warm shutdown
        # (running tasks finish), bounded, then kill.
        worker.stop()
        return EXIT_INTERRUPTED
    finally:
        worker.stop(steps=())
        broker.stop()
