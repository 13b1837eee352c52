"""up: start Redis and/or RabbitMQ in Docker (reuse, restart or create) and wait until they answer."""
from classroom import ui
from classroom.brokers import containers
from classroom.brokers.docker_engine import DockerProblem
from classroom.brokers.docker_services import HOST, SERVICES
from classroom.errors import EXIT_BROKER, UsageError
from classroom.messages import t

ORDER = 60
CHOICES = ("redis", "rabbitmq", "all")


READY = {"created": "up.ready_created", "started": "up.ready_started", "reused": "up.ready_reused"}

def add_parser(sub):
    parser = sub.add_parser("up", help=t("cli.cmd_up"), description=t("cli.cmd_up_long"))
    parser.add_argument("service", nargs="?", choices=CHOICES, default="all", help=t("cli.arg_service", default="all"))
    parser.add_argument("--port", type=int, help=t("cli.opt_port"))
    return parser


def _ensure(key: str, port):
    """One service, with progress: a spinner in a terminal, a line every 2 s in a log."""
    title = SERVICES[key].title
    if not ui.is_interactive():
        return containers.ensure(key, port, containers.LineProgress(every_s=2.0))
    with ui.status(t("up.starting", title=title)) as spinner:
        def say(text: str, transient: bool = False) -> None:
            spinner.update(text) if transient else ui.info(f"  [dim]{text}[/]")
        return containers.ensure(key, port, say)


def run(args) -> int:
    keys = list(SERVICES) if args.service == "all" else [args.service]
    if args.port is not None and len(keys) > 1:
        raise UsageError("up.port_needs_service")
    if args.port is not None and not 0 < args.port < 65536:
        raise UsageError("up.bad_port", port=args.port)
    failed = 0
    for key in keys:
        try:
            ready = _ensure(key, args.port)
        except DockerProblem as problem:
            ui.error(problem.message())
            failed += 1
            continue
        svc = ready.service
        ui.info(t(READY[ready.action], title=svc.title, url=ready.url, name=svc.container_name,
                  seconds=ready.seconds))
        for inner, form in svc.extra_urls.items():
            if inner in ready.ports:
                ui.info(t("up.management", url=form.format(host=HOST, port=ready.ports[inner])))
        ui.info(t("up.next", service=key))
    return EXIT_BROKER if failed else 0
