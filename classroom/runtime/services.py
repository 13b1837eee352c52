"""The services a lesson runs beside its workers: beat, Flower, a web server, any command.

A lesson declares them in its lesson.toml, by name, with options::

    [[services]]
    name = "beat"                 # kind defaults to the name

    [[services]]
    name = "web"
    kind = "command"              # any program; {python} {port} {root} {broker_url} are filled in
    command = ["{python}", "-m", "http.server", "{port}", "--bind", "127.0.0.1"]
    ready_port = true             # ready once it accepts connections on {port} (or ready_log = "text")
                                  # env = {...}: more environment over the run's (another broker URL)

    [[services]]
    name = "flower"               # Flower on 127.0.0.1 with basic auth (classroom/runtime/flower.py)
    modes = ["redis", "rabbitmq"] # any service: only in these broker modes (memory:// is one process)

The session starts them after the workers (a scheduler must find someone to run its tasks) and
stops them before the workers. Each kind is a factory `make(session, spec) -> service`, found in
KINDS by module path (imported when first used, so this module imports no kind and no cycle is
possible); a lesson may also name its own factory as kind = "package.module:function".
A service has: name, start(), stop(), request_stop(), alive(), log_tail(), info (a dict the UI and
the JSON report show, e.g. its URL), and optionally after_workers() (the session calls it once the
workers have stopped: removing something they write to). Any service takes `modes = [...]`: it is
started only in those broker modes.
"""
from __future__ import annotations

import importlib
import os
import socket
import sys
from dataclasses import dataclass, field

from classroom import ROOT, paths
from classroom.errors import ClassroomError
from classroom.runtime import bounds
from classroom.messages import t
from classroom.runtime.process import ManagedProcess, NotReady
from classroom.runtime.proctable import port_owner

KINDS = {
    "beat": "classroom.runtime.beat:make",
    "command": "classroom.runtime.services:make_command",
    "flower": "classroom.runtime.flower:make",
    "multi": "classroom.runtime.multi:make",
}


@dataclass
class ServiceSpec:
    name: str
    kind: str
    options: dict = field(default_factory=dict)

    @classmethod
    def from_toml(cls, raw: dict) -> "ServiceSpec":
        options = {k: v for k, v in raw.items() if k not in ("name", "kind")}
        return cls(raw["name"], raw.get("kind", raw["name"]), options)

    def runs_in(self, mode: str) -> bool:
        """`modes = ["redis", "rabbitmq"]`: a service that needs processes (none in memory mode)."""
        return "modes" not in self.options or mode in self.options["modes"]


def factory(kind: str):
    target = KINDS.get(kind, kind)
    if ":" not in target:
        raise ClassroomError("service.unknown_kind", kind=kind, kinds=", ".join(sorted(KINDS)))
    module, func = target.split(":", 1)
    return getattr(importlib.import_module(module), func)


def make(session, spec: ServiceSpec):
    return factory(spec.kind)(session, spec)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_accepts(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def check_port_free(port: int, name: str) -> None:
    """Refuse, naming who holds it, a port on 127.0.0.1 that something already listens on: a service
    started there would die at once (Errno 98), and a readiness probe that connects to the port would
    first take the holder for the service."""
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
            return
        except OSError:
            pass
    holder = port_owner(port)
    raise ClassroomError("service.port_taken", name=name, port=port, free=free_port(),
                         holder=holder or t("docker.holder_unknown"))


class ProcessService:
    """A service that is one ManagedProcess (`self.process`, set by the subclass): the service interface."""
    name: str
    process: ManagedProcess

    def start(self) -> None:
        try:
            self.process.start()
        except NotReady as failed:
            raise ClassroomError("service.not_started", name=self.name, code=failed.code, seconds=failed.seconds,
                                 log=str(self.process.log), tail=self.process.log_tail()) from None

    def stop(self) -> None:
        self.process.stop()

    def request_stop(self) -> None:
        self.process.request_stop()

    def alive(self) -> bool:
        return self.process.alive()

    def log_tail(self, lines: int = 15) -> str:
        return self.process.log_tail(lines)


class CommandService(ProcessService):
    """Any program as a managed process: `kind = "command"`."""

    def __init__(self, session, spec: ServiceSpec) -> None:
        opts = spec.options
        self.name = spec.name
        self.port = int(opts.get("port") or free_port())
        values = {"python": sys.executable, "port": self.port, "root": ROOT,
                  "broker_url": session.broker.url if session.broker else ""}
        cmd = [str(part).format(**values) for part in opts["command"]]
        ready_log, ready_port = opts.get("ready_log"), opts.get("ready_port")

        def ready(process: ManagedProcess) -> bool:
            if ready_log and ready_log not in process.log_tail(200):
                return False
            return not ready_port or port_accepts(self.port)

        env = {**os.environ, **session.child_env(), **{k: str(v) for k, v in (opts.get("env") or {}).items()}}
        self.process = ManagedProcess(spec.name, cmd, paths.log_dir() / f"service-{session.run_id}-{spec.name}.log",
                                      env=env, cwd=str(ROOT), ready=ready,
                                      start_s=float(opts.get("start_s", bounds.PROCESS_START_S)))
        self.fixed_port = bool(opts.get("port"))
        self.info = {"kind": spec.kind, "port": self.port, "command": cmd}

    def start(self) -> None:
        if self.fixed_port:
            check_port_free(self.port, self.name)
        super().start()

def make_command(session, spec: ServiceSpec) -> CommandService:
    return CommandService(session, spec)
