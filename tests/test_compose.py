"""docker-compose.yml describes the same brokers as `python runner.py up` (classroom/docker_services.py)."""
import re
import shutil
import subprocess

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


@pytest.mark.docker
@pytest.mark.timeout(600)
def test_compose_scales_three_workers_that_share_the_queue(tmp_path):
    """Where Docker Compose v2 runs and the images can be built here: three workers answer a ping."""
    if not shutil.which("docker") or subprocess.run(["docker", "compose", "version"], capture_output=True,
                                                    timeout=30).returncode:
        pytest.skip("docker compose (v2) is not installed")
    if subprocess.run(["docker", "info"], capture_output=True, timeout=30).returncode:
        pytest.skip("the Docker engine does not answer")
    project = ["docker", "compose", "-p", "celery-classroom-test", "-f", str(COMPOSE), "--profile", "workers"]
    try:
        up = subprocess.run([*project, "up", "-d", "--build", "--scale", "worker=3", "redis", "worker"],
                            capture_output=True, text=True, timeout=500)
        if up.returncode and "pull" in up.stderr.lower():
            pytest.skip(f"an image cannot be pulled here: {up.stderr[-300:]}")
        assert up.returncode == 0, up.stderr
        ping = subprocess.run([*project, "exec", "-T", "--index", "1", "worker", "celery", "-A",
                               "lessons.lesson11_scaling.tasks", "inspect", "ping", "--timeout", "5"],
                              capture_output=True, text=True, timeout=60)
        assert ping.stdout.count("pong") == 3, ping.stdout + ping.stderr
    finally:
        subprocess.run([*project, "down", "--volumes"], capture_output=True, timeout=120)
