"""Lesson 7 with a real beat: tick counts and intervals, crontab/timezone maths, two beats = duplicates, no orphan."""
from pathlib import Path

import pytest

from .helpers import lesson, processes_matching, step


def near(values, target, slack=0.3):
    return bool(values) and all(abs(v - target) <= slack for v in values)


def assert_lesson7_real(report: dict) -> None:
    assert report["passed"] == report["total"] == 5, report
    one = step(report, "watch_beat")["data"]["one_beat"]
    assert one["tick"]["count"] >= 3 and near(one["tick"]["intervals_s"], 1.0)      # schedule 1.0
    assert near(one["report"]["intervals_s"], 1.5)                                    # timedelta(seconds=1.5)
    assert one["heartbeat"]["count"] >= 1                                             # add_periodic_task
    assert "cleanup" not in one                                                       # crontab */15: not due
    two = step(report, "two_beats")["data"]
    window = two["window_s"]
    assert two["two_beats"]["tick"]["count"] >= 4 and two["two_beats"]["tick"]["count"] > window + 1
    assert two["second_alive"] is False
    tz = step(report, "timezones")["data"]
    assert tz["offset_h"] == 8 and tz["nine_utc_hour"] == 1
    files = step(report, "schedule_file")["data"]["schedule_files"]
    assert files and all("/.classroom/beat/" in f or "celery-classroom" in f for f in files)
    assert not any(Path(f).exists() for f in files)                                   # removed at the end


def run_id(report: dict) -> str:
    return report["workers"][0].split("@")[1]


def test_memory_mode(tmp_path):
    proc, report = lesson(7, "--broker", "memory", tmp_path=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert report["mode"] == "memory"
    assert_lesson7_real(report)


@pytest.mark.broker
def test_redis_mode(tmp_path, redis_url):
    proc, report = lesson(7, "--broker-url", redis_url, tmp_path=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert report["mode"] == "redis"
    assert_lesson7_real(report)
    assert not processes_matching(run_id(report))        # no worker and no beat (its -s path has the id)


@pytest.mark.broker
def test_rabbitmq_mode(tmp_path, amqp_url):
    proc, report = lesson(7, "--broker-url", amqp_url, tmp_path=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert report["mode"] == "rabbitmq"
    assert_lesson7_real(report)
    assert not processes_matching(run_id(report))
