"""Lesson 15's process-manager files: the systemd unit passes systemd's own check, and both stop the
worker as lesson 15 measured it must be stopped (SIGTERM to the main process only, SIGKILL later)."""
import configparser
import shutil
import subprocess

import pytest

from classroom import ROOT

DEPLOY = ROOT / "lessons" / "lesson15_deploy" / "deploy"


@pytest.mark.timeout(60)
def test_the_systemd_unit_passes_systemd_analyze_verify(tmp_path):
    if not shutil.which("systemd-analyze"):
        pytest.skip("systemd-analyze is not installed")
    text = (DEPLOY / "celery-worker.service").read_text(encoding="utf-8")
    # The example's program and user do not exist here; everything else is checked as written.
    text = text.replace("/srv/celery-classroom/.venv/bin/celery", "/bin/true")
    text = text.replace("User=celery", "User=root").replace("Group=celery", "Group=root")
    unit = tmp_path / "celery-worker.service"
    unit.write_text(text, encoding="utf-8")
    proc = subprocess.run(["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0 and not proc.stderr.strip(), proc.stderr   # unknown keys only warn


def test_the_systemd_unit_stops_the_main_process_warmly():
    unit = configparser.ConfigParser(interpolation=None, strict=False)
    unit.optionxform = str
    unit.read(DEPLOY / "celery-worker.service", encoding="utf-8")
    service = unit["Service"]
    assert service["KillSignal"] == "SIGTERM" and service["KillMode"] == "mixed"
    assert int(service["TimeoutStopSec"]) >= 30 and service["Restart"] == "on-failure"
    assert "-n deploy1@%%h" in service["ExecStart"]


def test_the_supervisor_program_stops_the_main_process_warmly():
    conf = configparser.ConfigParser(interpolation=None, inline_comment_prefixes=(";",))
    conf.read(DEPLOY / "supervisor-celery.conf", encoding="utf-8")
    program = conf["program:celery-deploy"]
    assert program["stopsignal"] == "TERM" and int(program["stopwaitsecs"]) >= 30
    assert program["stopasgroup"] == "false" and program["killasgroup"] == "true"
    assert program["autorestart"] == "true"
