"""Lesson 17's own servers and certificates, for scenario.py: a throwaway CA made with openssl,
redis-servers and workers on them as the run's services (127.0.0.1 only, stopped when the run ends),
clients of them, and rabbitmqctl, bounded. Each function takes the kit's `run`."""
import json
import os
import re
import shutil
import ssl
import sys
import time
from dataclasses import dataclass
from typing import Any, Callable

import redis

from celery import Celery

TASKS = "lessons.lesson17_secure.tasks"


def make_certs(run) -> dict:
    """A CA, a certificate for 127.0.0.1 signed by it, and a second CA nobody trusts (openssl)."""
    if "certs" in run.state:
        return run.state["certs"]
    need_tool(run, "openssl", "openssl")
    folder = os.path.join(os.path.dirname(run.file("certs")), "certs")
    os.makedirs(folder, exist_ok=True)
    p = {name: os.path.join(folder, name) for name in "ca.key ca.pem other.key other.pem server.key server.csr "
         "server.pem ext.cnf".split()}
    with open(p["ext.cnf"], "w") as ext:
        ext.write("subjectAltName=IP:127.0.0.1\n")
    new_ca = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj"]
    for cmd in (new_ca + ["/CN=classroom CA", "-keyout", p["ca.key"], "-out", p["ca.pem"]],
                new_ca + ["/CN=someone else's CA", "-keyout", p["other.key"], "-out", p["other.pem"]],
                ["openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
                 "-keyout", p["server.key"], "-out", p["server.csr"]],
                ["openssl", "x509", "-req", "-in", p["server.csr"], "-CA", p["ca.pem"], "-CAkey", p["ca.key"],
                 "-CAcreateserial", "-days", "1", "-extfile", p["ext.cnf"], "-out", p["server.pem"]]):
        if (done := run.run_command("openssl", cmd)).exit != 0:
            raise RuntimeError(f"{' '.join(cmd[:3])} failed: {done.log[-300:]}")
    p["store"] = os.path.join(folder, "trusted")                    # the signing step's cert store
    os.makedirs(p["store"], exist_ok=True)
    shutil.copy(p["server.pem"], os.path.join(p["store"], "producer.pem"))
    run.state["certs"] = p
    return p


def need_tool(run, tool: str, package: str) -> None:
    """Skip the step, saying what to install, when a program it runs is not here."""
    if shutil.which(tool) is None:
        run.skip("needs_tool", tool=tool, package=package)


def start_redis(run, name: str, args: list):
    """A redis-server of this lesson on 127.0.0.1 ({port}: a free one), stopped when the run ends."""
    need_tool(run, "redis-server", "redis-server")
    return run.start_service("command", name=name, ready_log="Ready to accept connections", command=[
        "redis-server", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", *args]).port


def start_worker(run, name: str, url: str, settings: dict, pool: str = "solo", backend: str = "",
                 queue: str = "") -> None:
    """`celery -A lessons.lesson17_secure.tasks worker` on another broker or result backend (or a queue
    of its own): a service, ready when it logs."""
    env = {"CLASSROOM_BROKER_URL": url, "CLASSROOM_RESULT_BACKEND": backend or url,
           "CLASSROOM_CELERY_SETTINGS": json.dumps(settings)}
    run.start_service("command", name=name, env=env, ready_log=" ready.", command=[
        sys.executable, "-m", "celery", "-A", TASKS, "worker", "-P", pool, "-c", "1", "-n", f"{name}@{run.run_id}",
        "-l", "info", "--without-gossip", "--without-mingle", "--without-heartbeat", *(["-Q", queue] if queue else [])])


def signed_worker(run, queue: str) -> dict:
    """signing.py in a child process on the run's broker, with the environment a worker of the run gets:
    what it printed (one JSON line), as a dict. Its queue is deleted afterwards (RabbitMQ: Redis keys
    go with the run, memory:// with the child)."""
    certs = make_certs(run)
    done = run.run_command("signing", [sys.executable, "-m", "lessons.lesson17_secure.signing", certs["server.key"],
                                       certs["server.pem"], certs["store"], queue],
                           env={**os.environ, **run.child_env()}, timeout=30)
    run.delete_queue(queue)
    said = [line for line in done.log.splitlines() if line.startswith('{"')]
    if done.exit != 0 or not said:
        raise RuntimeError(f"signing.py exited with {done.exit} (log: {done.log_path}): {done.log[-800:]}")
    return {**json.loads(said[-1]), "child_s": done.seconds}     # the child process, start to end


def start_results(run, retrying: dict) -> str:
    """The lesson's own redis-server as a result backend (service `results`), and two prefork workers on
    the run's broker (and its namespace) that store results there: `plain` (queue plain) with Celery's
    defaults, `retrying` (queue retrying) with `retrying` on top. task_track_started=False is Celery's
    default (this course turns it on elsewhere). Returns the backend's URL."""
    url = f"redis://127.0.0.1:{start_redis(run, 'results', ['--port', '{port}'])}/0"
    for name, extra in (("plain", {}), ("retrying", retrying)):
        settings = {**run.settings, "result_backend": url, "task_track_started": False,
                    "worker_send_task_events": False, **extra}
        start_worker(run, name, run.broker_url, settings, pool="prefork", backend=url, queue=name)
    return url


def restart_results(run) -> None:
    """Start the result backend again on the port it had (service `results-again`), empty."""
    start_redis(run, "results-again", ["--port", str(run.service("results").port)])


def logged_runtime(log: str, task_id: str) -> float:
    """The seconds a worker logged for a task that succeeded (`Task ...[id] succeeded in 1.23s`); 0 if none."""
    found = re.search(rf"\[{re.escape(task_id)}\] succeeded in ([0-9.]+)s", log)
    return round(float(found.group(1)), 3) if found else 0.0


def results_client(run, backend: str) -> Celery:
    """A client on the run's broker whose results live in `backend`, with the course's bounded settings
    (classroom/celeryconfig.py: 2 quick retries of the result connection, 3 s socket timeouts)."""
    app = Celery("client", set_as_current=False)
    app.config_from_object("classroom.celeryconfig")
    app.conf.update({**run.settings, "result_backend": backend})
    return app


@dataclass
class Attempt:
    value: Any          # what the call returned (None if it raised)
    error: str          # "ExceptionName: message" (empty if it returned)
    seconds: float      # how long the call took


def attempt(call: Callable[[], Any]) -> Attempt:
    """Call it and time it; an exception is kept as its name and message, on one line."""
    began = time.monotonic()
    try:
        return Attempt(call(), "", time.monotonic() - began)
    except Exception as exc:            # what the learner should see, whatever it is
        return Attempt(None, f"{type(exc).__name__}: {' '.join(str(exc).split())}", time.monotonic() - began)


def lines(path: str) -> list[str]:
    """The lines a task wrote to a run file (none yet: [])."""
    return open(path, encoding="utf-8").read().split() if os.path.exists(path) else []


def tls_app(url: str, ca: str) -> Celery:
    app = Celery("client", broker=url, backend=url)
    app.conf.broker_use_ssl = app.conf.redis_backend_use_ssl = {"ssl_cert_reqs": ssl.CERT_REQUIRED,
                                                                "ssl_ca_certs": ca}
    return app


def rabbitmqctl(run, *args: str) -> bool:
    need_tool(run, "rabbitmqctl", "rabbitmq-server")
    return run.run_command("rabbitmqctl", ["rabbitmqctl", *args]).exit == 0   # bounded: 15 s


def stop_service(run, name: str) -> None:
    """Stop a service of this run now, if it was started (bounded, like every managed stop)."""
    try:
        run.service(name).stop()
    except KeyError:
        pass


def broker_keys(port: int) -> dict:
    """What a Redis broker holds, key by key (lists and hashes: their length), read with redis-py."""
    client = redis.Redis(port=port, socket_timeout=2)
    sizes = {"list": client.llen, "hash": client.hlen, "zset": client.zcard, "set": client.scard}
    return {key.decode(): sizes.get(client.type(key).decode(), lambda k: 1)(key) for key in client.keys("*")}
