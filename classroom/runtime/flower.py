"""Flower as a managed service (`kind = "flower"` in lesson.toml, and `python runner.py flower`).

`celery -A <app> flower` is a real Tornado server reading the run's events and calling its workers'
remote control. The course starts it the safe way only: bound to 127.0.0.1 (Flower's own default
address is '', every interface: flower/options.py) and with HTTP basic auth, a password generated
for the run unless one is given, passed in FLOWER_BASIC_AUTH (not on the command line, which `ps`
shows every local user). Its HTTP API (/api/...) then needs the same credentials.
"""
from __future__ import annotations

import base64
import json
import os
import secrets
import sys
import urllib.error
import urllib.parse
import urllib.request

from classroom import ROOT, paths
from classroom.errors import ClassroomError, UsageError
from classroom.runtime import bounds
from classroom.runtime.process import ManagedProcess
from classroom.runtime.services import ProcessService, ServiceSpec, check_port_free, free_port, port_accepts

USER = "classroom"
PASSWORD_ENV = "CLASSROOM_FLOWER_PASSWORD"


AUTH_ENV = "FLOWER_BASIC_AUTH"   # flower 2.x reads FLOWER_<OPTION> (flower/command.py apply_env_options)


def command(app_module: str, port: int) -> list[str]:
    """The flower command line (what the notes print, minus `python -m`). The password is not in it:
    a command line is in the process table for every local user (ps); it goes in AUTH_ENV."""
    return ["celery", "-A", app_module, "flower", "--address=127.0.0.1", f"--port={port}",
            f"--inspect_timeout={int(bounds.INSPECT_S * 1000)}"]


class FlowerService(ProcessService):
    """`env`: the run's child environment (broker, settings, PYTHONPATH); `log`: a file name."""

    def __init__(self, name: str, app_module: str, env: dict[str, str], log: str, port: int | None = None,
                 user: str = USER, password: str | None = None) -> None:
        self.name, self.app_module = name, app_module
        self.port = int(port or free_port())
        self.user = user
        self.password = password or os.environ.get(PASSWORD_ENV) or secrets.token_urlsafe(9)
        self.url = f"http://127.0.0.1:{self.port}"
        if "," in self.password or "," in self.user:   # FLOWER_BASIC_AUTH is a comma-separated list
            raise UsageError("flower.comma")
        cmd = [sys.executable, "-m"] + command(app_module, self.port)
        env = {**os.environ, **env, AUTH_ENV: f"{self.user}:{self.password}"}
        self.process = ManagedProcess(name, cmd, paths.log_dir() / log, env=env, cwd=str(ROOT),
                                      ready=lambda _p: port_accepts(self.port), start_s=bounds.PROCESS_START_S)
        self.info = {"kind": "flower", "url": self.url, "user": self.user}

    def start(self) -> None:
        import importlib.util
        if importlib.util.find_spec("flower") is None:        # `celery flower` would say "No such command"
            raise ClassroomError("flower.not_installed")
        check_port_free(self.port, "Flower")       # else the probe below would take the holder for Flower
        super().start()

    def api(self, method: str, path: str, form: dict | None = None, auth: bool = True) -> tuple[int, object]:
        return api(self.url, method, path, form, (self.user, self.password) if auth else None)


def api(base_url: str, method: str, path: str, form: dict | None = None,
        credentials: tuple[str, str] | None = None, seconds: float = bounds.HTTP_S) -> tuple[int, object]:
    """(status, decoded JSON or text) of one bounded request to Flower; never raises for an HTTP error."""
    data = urllib.parse.urlencode(form).encode() if form is not None else None
    request = urllib.request.Request(base_url + path, data=data, method=method)
    if credentials:
        token = base64.b64encode(":".join(credentials).encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
    try:
        with urllib.request.urlopen(request, timeout=seconds) as response:   # noqa: S310 - loopback only
            status, body = response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read().decode("utf-8", "replace")
    try:
        return status, json.loads(body)
    except ValueError:
        return status, body


def make(session, spec: ServiceSpec) -> FlowerService:
    opts = spec.options
    return FlowerService(spec.name, session.lesson.app_module, session.child_env(),
                         f"service-{session.run_id}-{spec.name}.log", opts.get("port"),
                         opts.get("user", USER), opts.get("password"))
