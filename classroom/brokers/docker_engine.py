"""Talking to the Docker engine through the `docker` SDK: connect (or say precisely why not, within
a few seconds), make sure an image is here, and find who holds a port."""
from __future__ import annotations

import getpass
import os
import shutil
import sys
from pathlib import Path
from typing import Callable

from classroom.brokers import ports
from classroom.brokers.docker_services import ENABLED_ENV, enabled
from classroom.errors import BrokerError
from classroom.messages import t
from classroom.runtime import bounds

Progress = Callable[..., None]  # (text, transient=False): transient texts are progress updates


class DockerProblem(BrokerError):
    """Docker cannot give us the broker. `message()` has the fix; `short()` is one clause for a reason line."""

    def short(self) -> str:
        return t(SHORT[self.key], **self.values)


# Each problem's one-clause form, for a reason line (ids written out, so that a dead-id check can find them).
SHORT = {"docker.disabled": "docker.disabled_short", "docker.no_sdk": "docker.no_sdk_short",
         "docker.not_installed": "docker.not_installed_short", "docker.not_running": "docker.not_running_short",
         "docker.permission": "docker.permission_short", "docker.not_answering": "docker.not_answering_short",
         "docker.image_missing": "docker.image_missing_short", "docker.port_taken": "docker.port_taken_short",
         "docker.name_taken": "docker.name_taken_short", "docker.other_port": "docker.other_port_short",
         "docker.bad_state": "docker.bad_state_short", "docker.exited": "docker.exited_short",
         "docker.not_ready": "docker.not_ready_short", "docker.failed": "docker.failed_short"}


_client = None
_problem: DockerProblem | None = None  # remembered: a lesson asks twice, and must not wait twice


def _socket_path() -> str | None:
    """The Unix socket to use, or None when DOCKER_HOST names something else (tcp://, npipe://)."""
    host = os.environ.get("DOCKER_HOST", "")
    if host.startswith("unix://"):
        return host[len("unix://"):]
    if host or sys.platform == "win32":
        return None
    candidates = [Path("/var/run/docker.sock"), Path.home() / ".docker/run/docker.sock"]  # Linux, Docker Desktop
    if os.environ.get("XDG_RUNTIME_DIR"):
        candidates.append(Path(os.environ["XDG_RUNTIME_DIR"]) / "docker.sock")  # rootless Docker
    return str(next((c for c in candidates if c.exists()), candidates[0]))


def _installed() -> bool:
    return bool(shutil.which("docker") or shutil.which("dockerd") or Path("/Applications/Docker.app").exists())


def _connect():
    if not enabled():
        raise DockerProblem("docker.disabled", env=ENABLED_ENV)
    try:
        import docker
    except ImportError:
        raise DockerProblem("docker.no_sdk") from None
    path = _socket_path()
    address = path or os.environ.get("DOCKER_HOST", "")
    if path is not None:
        if not os.path.exists(path):
            raise DockerProblem("docker.not_running" if _installed() else "docker.not_installed", address=path)
        if not os.access(path, os.R_OK | os.W_OK):
            raise DockerProblem("docker.permission", address=path, user=getpass.getuser())
    try:
        if path is not None:
            client = docker.DockerClient(base_url=f"unix://{path}", timeout=bounds.DOCKER_PING_S)
        else:
            client = docker.from_env(timeout=bounds.DOCKER_PING_S)
        client.ping()
    except Exception as exc:  # the SDK wraps socket errors in several types; the cause tells them apart
        if _caused_by(exc, PermissionError):
            raise DockerProblem("docker.permission", address=address, user=getpass.getuser()) from None
        raise DockerProblem("docker.not_answering", address=address, detail=brief(exc)) from None
    client.api.timeout = bounds.DOCKER_API_S
    return client


def connect():
    """A client whose engine answered a ping, or a DockerProblem (remembered for this process)."""
    global _client, _problem
    if _client is None and _problem is None:
        try:
            _client = _connect()
        except DockerProblem as exc:
            _problem = exc
    if _problem is not None:
        raise _problem
    return _client


def _caused_by(exc: BaseException | None, kind: type) -> bool:
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, kind) or any(isinstance(a, kind) for a in getattr(exc, "args", ())):
            return True
        if isinstance(exc, OSError) and exc.errno == 13:
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def brief(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text if len(text) < 200 else text[:199] + "…"


def ensure_image(client, image: str, say: Progress, image_env: str) -> None:
    """The image is here, or is pulled now (with progress), or a DockerProblem says why not."""
    import docker
    try:
        client.images.get(image)
        return
    except docker.errors.ImageNotFound:
        pass
    say(t("docker.pulling", image=image))
    repo, tag = docker.utils.parse_repository_tag(image)
    client.api.timeout = bounds.DOCKER_PULL_IDLE_S  # a silent registry is given up on, not waited for
    layers: dict[str, tuple[int, int]] = {}
    try:
        for event in client.api.pull(repo, tag or "latest", stream=True, decode=True):
            if "error" in event:
                raise DockerProblem("docker.image_missing", image=image, image_env=image_env,
                                    detail=brief(Exception(event["error"])))
            detail = event.get("progressDetail") or {}
            if detail.get("total"):
                layers[event.get("id", "")] = (detail.get("current", 0), detail["total"])
                done, total = (sum(v[i] for v in layers.values()) for i in (0, 1))
                say(t("docker.pull_progress", image=image, done=done / 1e6, total=total / 1e6), transient=True)
    except DockerProblem:
        raise
    except Exception as exc:  # APIError (registry unknown, access denied), read time-out, connection reset
        raise DockerProblem("docker.image_missing", image=image, image_env=image_env, detail=brief(exc)) from None
    finally:
        client.api.timeout = bounds.DOCKER_API_S


def port_holder(client, port: int) -> str:
    """Who holds 127.0.0.1:`port`: a container (by name), a process (by name and pid), or "unknown"."""
    try:
        for container in client.containers.list():
            for bindings in (container.attrs.get("NetworkSettings", {}).get("Ports") or {}).values():
                if any(str(b.get("HostPort")) == str(port) for b in bindings or ()):
                    return t("docker.holder_container", name=container.name,
                             image=container.attrs.get("Config", {}).get("Image", "?"))
    except Exception:  # listing is only a courtesy here; the process table below may still know
        pass
    who = ports.owner(port)
    return t("docker.holder_process", who=who) if who else t("docker.holder_unknown")


def reset() -> None:
    """Forget the cached client/problem (tests and long-lived callers)."""
    global _client, _problem
    _client, _problem = None, None
