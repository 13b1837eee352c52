"""lesson N: play lesson N on a real worker."""
from classroom import catalog, paths
from classroom.player.play import play
from classroom.brokers import validate_url
from classroom.messages import t
from classroom.options import add_record_option, add_broker_options, add_lesson_number
from classroom.practice import progress

ORDER = 20


def add_parser(sub):
    parser = sub.add_parser("lesson", help=t("cli.cmd_lesson"), description=t("cli.cmd_lesson_long"))
    add_lesson_number(parser)
    add_broker_options(parser)
    parser.add_argument("--report", metavar="FILE", help=t("cli.opt_report"))
    add_record_option(parser)
    return parser


def run(args) -> int:
    lesson = catalog.get(args.number)          # unknown lesson: rejected before anything starts
    if args.broker_url:
        validate_url(args.broker_url)          # malformed URL: likewise
    paths.prune()                              # the logs and multi/ folders of the last few runs only
    ok = play(lesson, args.broker, args.broker_url, args.report)
    if ok:
        progress.record_lesson(lesson.number)  # `list` marks it ✓
    return 0 if ok else 1
