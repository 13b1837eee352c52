"""docker-compose.yml describes the same brokers as `python runner.py up` (classroom/docker_services.py)."""
import os
import re
import shutil
import subprocess
import time

import pytest

from classroom import ROOT
from classroom.brokers.docker_services import LABEL, SERVICES

yaml = pytest.importorskip("yaml")
COMPOSE = ROOT / "docker-compose.yml"
PROJECT = "celery-classroom"   # the default project name; the runner's containers are named after it


def _services() -> dict:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))["services"]


def _seconds(text: str) -> int:
    number, unit = re.fullmatch(r"(\d+)(s|m)", text).groups()
    return int(number) * (60 if unit == "m" else 1)


WORKERS = {"worker"}                # lesson 11: built from the course, scaled with --scale worker=3


def test_same_services_images_names_and_label():
    services = _services()
    assert set(services) == set(SERVICES) | WORKERS
    for key, svc in SERVICES.items():
        spec = services[key]
        assert spec["image"] == svc.default_image
        assert spec["container_name"] == f"{PROJECT}-{key}"
        assert spec["labels"][LABEL] == PROJECT      # so that `runner.py down` and `status` know them


def test_same_ports_on_loopback_only():
    for key, svc in SERVICES.items():
        published = set(_services()[key]["ports"])
        expected = {f"127.0.0.1:{outer}:{inner}" for inner, outer in svc.host_ports(svc.default_port).items()}
        assert published == expected, key


def test_same_healthchecks():
    for key, svc in SERVICES.items():
        check = _services()[key]["healthcheck"]
        assert check["test"] == ["CMD", *svc.healthcheck]
        assert _seconds(check["interval"]) == svc.health_interval_s
        assert _seconds(check["timeout"]) == svc.health_timeout_s
        assert check["retries"] == svc.health_retries


def test_runner_names_default_to_the_compose_names():
    for key, svc in SERVICES.items():
        assert svc.default_image == _services()[key]["image"]
        if svc.container_name.startswith(PROJECT + "-"):  # not overridden by CLASSROOM_DOCKER_PROJECT
            assert svc.container_name == _services()[key]["container_name"]


@pytest.mark.parametrize("tool", [("docker-compose",), ("docker", "compose")], ids=["compose-v1", "compose-v2"])
def test_compose_itself_accepts_the_file(tool):
    if not shutil.which(tool[0]) or subprocess.run([*tool, "version"], capture_output=True, timeout=30).returncode:
        pytest.skip(f"{' '.join(tool)} is not installed")
    proc = subprocess.run([*tool, "-f", str(COMPOSE), "config", "-q"], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0, proc.stderr


def test_the_worker_service_is_built_from_the_course_and_can_be_scaled():
    worker = _services()["worker"]
    assert worker["build"] == "." and (ROOT / "Dockerfile").exists()
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "pip install --no-cache-dir -r requirements.txt" in dockerfile and "USER course" in dockerfile
    assert "container_name" not in worker and "ports" not in worker   # both would stop --scale worker=3
    assert worker["profiles"] == ["workers"]                          # `docker compose up` = brokers only
    assert worker["environment"]["CLASSROOM_BROKER_URL"] == "redis://redis:6379/0"
    assert worker["depends_on"]["redis"]["condition"] == "service_healthy"
    assert worker["command"][:3] == ["celery", "-A", "lessons.lesson11_scaling.tasks"]
    assert worker["labels"][LABEL] == PROJECT


def _missing(said: str) -> None:
    """Skip locally; fail in CI, where .ci/run (tests/docker/build_images.sh) provides Docker and Compose."""
    if os.environ.get("CI"):
        pytest.fail(f"{said} (.ci/run should have provided it)")
    pytest.skip(said)


def _compose_tool() -> list:
    """`docker compose` (v2) if installed, else Debian's `docker-compose` 1.29; [] when neither runs."""
    for tool in (["docker", "compose"], ["docker-compose"]):
        if shutil.which(tool[0]) and not subprocess.run([*tool, "version"], capture_output=True,
                                                        timeout=30).returncode:
            return tool
    return []


def _test_file(tmp_path):
    """docker-compose.yml's Redis and worker services, but Redis without its host port and fixed name:
    this machine's own Redis holds 127.0.0.1:6379, and a learner's may too. The worker is unchanged."""
    services = _services()
    redis = {k: v for k, v in services["redis"].items() if k not in ("ports", "container_name")}
    worker = dict(services["worker"], build=str(ROOT))
    path = tmp_path / "compose.yml"
    path.write_text(yaml.safe_dump({"services": {"redis": redis, "worker": worker}}), encoding="utf-8")
    return path


def test_the_worker_service_has_a_grace_period_a_health_check_and_a_restart_policy():
    worker = _services()["worker"]
    assert worker["stop_signal"] == "SIGTERM" and _seconds(worker["stop_grace_period"]) == 30
    test = worker["healthcheck"]["test"]
    assert test[0] == "CMD-SHELL" and "inspect ping -d celery@$$HOSTNAME --timeout 5" in test[1]
    assert _seconds(worker["healthcheck"]["timeout"]) > 5           # the ping's own bound comes first
    assert worker["restart"] == "unless-stopped"


@pytest.mark.docker
@pytest.mark.timeout(600)
def test_compose_builds_and_scales_three_workers_that_share_the_queue(tmp_path):
    """The worker service builds from the Dockerfile (on the python:3.11-slim that build_images.sh makes
    here), three of it answer a ping, become healthy, and share a burst; scaled to 1 they still answer."""
    tool = _compose_tool()
    if not tool:
        _missing("neither `docker compose` nor `docker-compose` is installed (tests/docker/build_images.sh)")
    if subprocess.run(["docker", "info"], capture_output=True, timeout=30).returncode:
        _missing("the Docker engine does not answer (tests/docker/build_images.sh starts it)")
    project = [*tool, "-p", "cc-compose-test", "-f", str(_test_file(tmp_path)), "--profile", "workers"]
    app = ["celery", "-A", "lessons.lesson11_scaling.tasks"]

    def run(*args, timeout=60):
        return subprocess.run([*project, *args], capture_output=True, text=True, timeout=timeout)

    def in_worker(*args, timeout=60):
        return run("exec", "-T", "--index", "1", "worker", *args, timeout=timeout)

    def healthy():
        ids = run("ps", "-q", "worker").stdout.split()
        states = subprocess.run(["docker", "inspect", "-f", "{{.State.Health.Status}}", *ids],
                                capture_output=True, text=True, timeout=30).stdout.split()
        return states

    try:
        up = run("up", "-d", "--build", "--scale", "worker=3", "redis", "worker", timeout=500)
        if up.returncode and "pull" in up.stderr.lower():
            _missing(f"an image cannot be pulled here (tests/docker/build_images.sh builds them): "
                     f"{up.stderr[-300:]}")
        assert up.returncode == 0, up.stderr
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            ping = in_worker(*app, "inspect", "ping", "--timeout", "5")
            if ping.stdout.count("pong") == 3:
                break
            time.sleep(1)
        assert ping.stdout.count("pong") == 3, ping.stdout + ping.stderr
        burst = in_worker("python", "-c", BURST, timeout=120)
        assert burst.returncode == 0, burst.stdout + burst.stderr
        assert len(set(burst.stdout.split())) == 3, burst.stdout       # three workers shared 30 tasks
        while time.monotonic() < deadline and healthy() != ["healthy"] * 3:
            time.sleep(1)
        assert healthy() == ["healthy"] * 3
        assert run("up", "-d", "--scale", "worker=1", "--no-recreate", "redis", "worker",
                   timeout=120).returncode == 0
        ping = in_worker(*app, "inspect", "ping", "--timeout", "5")
        assert ping.stdout.count("pong") == 1, ping.stdout + ping.stderr
    finally:
        run("down", "--volumes", "--timeout", "5", timeout=120)


# Run inside a worker container: 30 tasks of 0.2 s on the shared queue; prints each result's worker.
BURST = """
from lessons.lesson11_scaling.tasks import io_bound
results = [io_bound.apply_async((0.2,), queue="scale-out") for _ in range(30)]
for r in results:
    r.get(timeout=60)
    print(r.worker)
"""
