"""`runner.py all`: every lesson in order, a table, the exit code; lessons are found from their manifests."""
import json

import pytest

from classroom import catalog

from .helpers import runner


def play_all(tmp_path, *args, timeout=240):
    report = tmp_path / "all.json"
    proc = runner("all", *args, "--report", str(report), timeout=timeout)
    return proc, json.loads(report.read_text())


def assert_all_passed(proc, report, mode):
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr
    numbers = [lesson.number for lesson in catalog.lessons()]
    assert [row["lesson"] for row in report["lessons"]] == numbers          # every lesson, in order
    for row in report["lessons"]:
        assert row["ok"] and row["exit_code"] == 0 and row["mode"] == mode, row
        lesson_report = row["report"]
        assert lesson_report["passed"] == lesson_report["total"] - lesson_report["skipped"] > 0
        assert all(s["ok"] for s in lesson_report["steps"] if not s["skipped"])   # real steps behind each row
    assert report["ok"] is True
    assert report["seconds"] >= sum(row["seconds"] for row in report["lessons"]) * 0.99
    assert "All lessons" in proc.stdout and f"All {len(numbers)} lessons behaved" in proc.stdout


@pytest.mark.timeout(240)
def test_all_memory(tmp_path):
    proc, report = play_all(tmp_path, "--broker", "memory")
    assert_all_passed(proc, report, "memory")


def test_all_fails_when_a_lesson_fails(tmp_path):
    """No broker where the URL points: every lesson fails (exit 3), `all` still reports each and exits 1."""
    proc, report = play_all(tmp_path, "--broker-url", "redis://127.0.0.1:1/0", timeout=120)
    assert proc.returncode == 1
    assert report["ok"] is False and report["lessons"]
    assert all(row["exit_code"] == 3 and not row["ok"] for row in report["lessons"])
    assert "Some lessons failed" in proc.stdout


@pytest.mark.broker
@pytest.mark.timeout(300)
def test_all_redis(tmp_path, redis_url):
    proc, report = play_all(tmp_path, "--broker-url", redis_url, timeout=290)
    assert_all_passed(proc, report, "redis")
