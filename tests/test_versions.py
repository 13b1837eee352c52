"""One version truth: requirements.txt says which Python and which packages the course is true for;
runner.py and pip refuse an older Python, and `doctor` checks the installed versions against the file."""
from __future__ import annotations

import glob
import os
import re
import subprocess
from pathlib import Path

import pytest

from .helpers import PY, ROOT, runner

PY39 = sorted(glob.glob("/root/.pyenv/versions/3.9*/bin/python"))
RUNTIME = {"celery", "kombu", "redis", "rich", "msgpack", "gevent", "flower", "pytest", "psutil", "docker",
           "django", "django-celery-results", "django-celery-beat", "packaging"}


def _runner_min_python() -> tuple[int, int]:
    found = re.search(r"^MIN_PYTHON = \((\d+), (\d+)\)", (ROOT / "runner.py").read_text(encoding="utf-8"), re.M)
    return int(found[1]), int(found[2])


def test_one_python_range_in_requirements_runner_and_pips_guard():
    from classroom import doctor
    oldest, newest = doctor.python_range()
    assert (oldest, newest) == ((3, 10), (3, 13))
    assert _runner_min_python() == oldest
    text = (ROOT / "requirements.txt").read_text(encoding="utf-8")
    guard = next(line for line in text.splitlines() if line.startswith("celery-classroom-needs-python"))
    assert f'python_version < "{oldest[0]}.{oldest[1]}"' in guard and "file:///" in guard


def test_doctor_checks_every_runtime_requirement_with_the_files_bounds():
    from classroom import doctor
    reqs = {req.name.lower(): req for req in doctor.requirements()}
    assert RUNTIME <= set(reqs), RUNTIME - set(reqs)
    assert doctor.bounds_text(reqs["celery"].specifier) == doctor.bounds_text(reqs["kombu"].specifier) == ">=5.7,<6"
    rows = {row.what: row for row in doctor.packages()}
    assert len(rows) == len(reqs) and all(row.ok for row in rows.values()), [r for r in rows.values() if not r.ok]


def test_a_version_outside_the_bounds_names_the_fix():
    from packaging.requirements import Requirement

    from classroom import doctor
    old = doctor.package_check(Requirement("celery[redis]>=5.7,<6"), "5.6.3")
    assert not old.ok and "5.6.3" in old.detail and ">=5.7" in old.detail
    assert 'pip install "celery>=5.7,<6"' in old.fix and "Python 3.10" in old.fix
    assert doctor.package_check(Requirement("celery>=5.7,<6"), "5.7.0rc1").ok is False
    assert doctor.package_check(Requirement("celery>=5.7,<6"), "5.7.1").ok
    too_new = doctor.package_check(Requirement("redis>=6.4,<8"), "8.0.0")
    assert not too_new.ok and "too old" not in too_new.fix and 'pip install "redis>=6.4,<8"' in too_new.fix
    missing = doctor.package_check(Requirement("flower>=2,<3"), None)
    assert not missing.ok and missing.detail == "missing"


def test_doctor_passes_on_a_good_install_without_docker():
    """Exit 0 here (CLASSROOM_DOCKER=off in every test; Docker is optional: shown ⏭, never ✗), and lesson 13's
    app is imported from its app_path (demos/django_project)."""
    proc = runner("doctor", timeout=60)
    out = proc.stdout
    assert proc.returncode == 0, out + proc.stderr
    assert "✓ lesson 13 imports: proj.celery" in out
    assert "✓ package celery: 5.7" in out and "✓ Python 3.10-3.13" in out
    for name in RUNTIME:
        assert re.search(rf"✓ package {re.escape(name)}: \d", out, re.I), name
    assert "✗" not in out and "Traceback" not in out


def test_doctor_without_requirements_txt_says_so(monkeypatch, tmp_path):
    from classroom import doctor
    monkeypatch.setattr(doctor, "REQUIREMENTS", tmp_path / "requirements.txt")
    for rows in (doctor.python_version(), doctor.packages()):
        assert len(rows) == 1 and not rows[0].ok and "FileNotFoundError" in rows[0].detail
        assert "git checkout requirements.txt" in rows[0].fix


def test_doctor_marks_fine_skipped_worth_a_look_and_failed_apart():
    from classroom import doctor
    from classroom.commands.doctor import mark_of
    Check = doctor.Check
    assert "✓" in mark_of(Check("x", True)) and "✓" in mark_of(Check("x", True, warning=True))
    assert "⏭" in mark_of(Check("Docker engine (optional)", False, optional=True))
    assert "!" in mark_of(Check("stale worker", False, warning=True))
    assert "✗" in mark_of(Check("package celery", False))


def _fake_distribution(folder: Path, name: str, version: str) -> None:
    """A real distribution metadata folder (what pip writes): importlib.metadata reads its version from it."""
    info = folder / f"{name}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", encoding="utf-8")


def test_doctor_fails_on_celery_5_6_and_names_the_fix(tmp_path):
    """Celery 5.6.3 (what pip installs on Python 3.9) found first on the path: a required ✗, exit 1."""
    _fake_distribution(tmp_path, "celery", "5.6.3")
    _fake_distribution(tmp_path, "kombu", "5.6.2")
    proc = runner("doctor", timeout=60, extra_env={"PYTHONPATH": str(tmp_path), "COLUMNS": "200"})
    out = proc.stdout
    assert proc.returncode == 1, out
    assert "✗ package celery: 5.6.3, the course needs >=5.7,<6" in out
    assert "✗ package kombu: 5.6.2" in out
    assert 'pip install "celery>=5.7,<6"' in out and "celery 5.6.3 is too old" in out
    assert "2 required check(s) failed" in out and "Traceback" not in out + proc.stderr
    zh = runner("--lang", "zh", "doctor", timeout=60, extra_env={"PYTHONPATH": str(tmp_path), "COLUMNS": "200"})
    assert zh.returncode == 1 and "celery 5.6.3 太旧" in zh.stdout


def test_lesson_13s_suggested_import_command_works_when_copied():
    """doctor's fix line for lesson 13 repeats the import with demos/django_project on the path: pasted in a
    shell at the course root it runs (with `python` the venv's)."""
    from classroom import catalog, doctor
    command = doctor.import_command(catalog.get(13), "proj.celery")
    assert "demos/django_project" in command
    path = os.path.dirname(PY) + os.pathsep + os.environ.get("PATH", "")
    proc = subprocess.run(["bash", "-c", command], cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PATH": path, "PYTHONPATH": ""})
    assert proc.returncode == 0, proc.stderr
    bare = subprocess.run([PY, "-c", "import proj.celery"], cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PYTHONPATH": ""})
    assert bare.returncode == 1 and "No module named 'proj'" in bare.stderr   # why the path is in the command


@pytest.mark.skipif(not PY39, reason="no Python 3.9 under /root/.pyenv/versions")
def test_python_3_9_gets_a_clear_refusal_from_the_runner():
    proc = subprocess.run([PY39[-1], "runner.py", "lesson", "1", "--broker", "memory"], cwd=ROOT,
                          capture_output=True, text=True, timeout=30, env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert proc.returncode == 1
    assert "needs Python 3.10 or newer" in proc.stderr and "需要 Python 3.10 或更新版本" in proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""


@pytest.mark.skipif(not PY39, reason="no Python 3.9 under /root/.pyenv/versions")
def test_python_3_9_gets_a_clear_refusal_from_pip():
    """pip cannot refuse a requirements file by Python version: the guard line does, by its name, before
    anything is downloaded (a local file:// path, never a name looked up on an index)."""
    proc = subprocess.run([PY39[-1], "-m", "pip", "install", "--dry-run", "--no-index", "-r", "requirements.txt"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0
    assert "Celery-Classroom-needs-Python-3.10-or-newer" in proc.stdout + proc.stderr
