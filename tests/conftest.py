"""Fixtures: a TCP server that never answers, and real brokers for the tests marked `broker` (CI starts them; locally they are skipped when absent)."""
import os
import socket
import threading

import pytest

from classroom import brokers

from .helpers import AMQP_URL, OWN_REDIS_DBS, REDIS_URL

IN_CI = bool(os.environ.get("CI"))


def _need(ok: bool, what: str, fix: str = "") -> None:
    """Skip (fail in CI) when `what` is missing: "<what> is not available; <fix>"."""
    if not ok:
        said = f"{what} is not available" + (f"; {fix}" if fix else "")
        if IN_CI:
            pytest.fail(f"{said} (.ci/run should have provided it)")
        pytest.skip(said)


@pytest.hookimpl(tryfirst=True)     # before pytest-xdist reads the groups (--dist loadgroup)
def pytest_collection_modifyitems(config, items):
    """Tests that share one fixed thing run on one xdist worker, one after another: the Docker tests
    (the runner's containers have fixed names), lesson 8's tests (they empty their Redis database)."""
    for item in items:
        if item.get_closest_marker("docker"):
            item.add_marker(pytest.mark.xdist_group("docker"))
        if item.module.__name__.endswith("test_lesson08_monitoring"):
            item.add_marker(pytest.mark.xdist_group("monitor-db"))


class _GroupNodeIds:
    """pytest-xdist (3.8) puts a test's group in its id by setting `item._nodeid`, which pytest 9 no longer
    reads (the id is `item._id`): without this, --dist loadgroup sends grouped tests to any worker."""

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, config, items):
        if not getattr(config.option, "loadgroup", False):
            return
        # The `slow` tests first within a mode's plays (the groups play-*): pytest-xdist hands a test worker
        # its next group once its current one has two tests or fewer left, and that group then waits behind
        # them. Three learners on RabbitMQ (about 100 s) at the end of the RabbitMQ plays' group held one for
        # as long. Only there: other groups' tests keep their order (test_docker's tests build on each other).
        def late(item) -> bool:
            plays = any(str(m.args[0] if m.args else "").startswith("play-") for m in item.iter_markers("xdist_group"))
            return not (plays and item.get_closest_marker("slow"))
        items[:] = sorted(items, key=late)
        for item in items:
            groups = {str(m.args[0] if m.args else m.kwargs.get("name", "default"))
                      for m in item.iter_markers("xdist_group")}
            if groups and "@" not in item.nodeid and hasattr(item, "_id"):
                item._id = type(item._id).parse(f"{item.nodeid}@{'_'.join(sorted(groups))}")


TOP_SESSION = "PYTEST_CLASSROOM_TOP_SESSION"    # set by the outermost session; a pytest a test starts inherits it
_ran_broker_tests = []


def pytest_runtest_logreport(report):
    """In xdist's controller too (the workers' reports arrive there): whether broker tests ran."""
    if report.when == "call" and "broker" in report.keywords and not _ran_broker_tests:
        _ran_broker_tests.append(True)


def pytest_sessionfinish(session, exitstatus):
    """Nothing of a test run stays in Redis: the suite's own databases (REDIS_DB and OWN_REDIS_DBS) are
    emptied once every test is done. Only by the session that owns them: the outermost one (not a
    pytest that a test starts, e.g. test_lesson14_testing's --collect-only, which once emptied them
    in the middle of the Redis plays), in pytest-xdist's controller (a test worker's session ends while
    the others still use them), and only when broker tests ran. Runs of the runner clean up after
    themselves (their own key prefix); what is left here is from tests that start a plain worker or
    client: kombu's binding sets, an unconsumed message, results."""
    if hasattr(session.config, "workerinput") or os.environ.get(TOP_SESSION) != str(os.getpid()):
        return
    if not _ran_broker_tests:
        return
    import redis
    for db in {int(REDIS_URL.rsplit("/", 1)[1]), *OWN_REDIS_DBS.values()}:
        try:
            redis.Redis.from_url(REDIS_URL.rsplit("/", 1)[0] + f"/{db}", socket_timeout=2,
                                 socket_connect_timeout=1).flushdb()
        except redis.RedisError:
            return      # no Redis here: the broker tests were skipped


def pytest_configure(config):
    if not hasattr(config, "workerinput") and TOP_SESSION not in os.environ:
        os.environ[TOP_SESSION] = str(os.getpid())     # this session owns the test databases
    config.pluginmanager.register(_GroupNodeIds(), "classroom-xdist-groups")


@pytest.fixture
def redis_url() -> str:
    _need(brokers.redis_answers(REDIS_URL, 1.0), f"Redis at {REDIS_URL}", "start it (see .ci/run)")
    return REDIS_URL


@pytest.fixture
def amqp_url() -> str:
    _need(brokers.amqp_answers(AMQP_URL, 1.0), f"RabbitMQ at {AMQP_URL}", "start it (see .ci/run)")
    return AMQP_URL


@pytest.fixture
def silent_server():
    """A TCP server that accepts connections and never answers (a paused or half-open broker)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held = []
    stop = threading.Event()

    def accept():
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                pass

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join(1)
    for conn in held:
        conn.close()
    server.close()
