"""Lesson 2 on a real worker in every mode: progress meta, states, the ignore_result pitfall, result_expires."""
import pytest

from .helpers import ROOT, assert_notes_match, lesson, processes_matching, step


def assert_lesson2_real(report: dict) -> None:
    assert report["passed"] == report["total"] - report["skipped"], report
    workers = report["workers"]

    progress = step(report, "progress_bar")
    states, currents = progress["data"]["states"], progress["data"]["currents"]
    order = ["PENDING", "STARTED", "PROGRESS", "SUCCESS"]        # PENDING may end before the first poll
    assert [order.index(s) for s in states] == sorted(order.index(s) for s in states)
    assert states[0] in ("PENDING", "STARTED") and "STARTED" in states and states[-1] == "SUCCESS"
    assert len(currents) >= 5 and currents == sorted(set(currents)) and currents[-1] <= 10
    assert progress["data"]["result"] == {"current": 10, "total": 10, "status": "done"}
    task = next(iter(progress["tasks"].values()))
    assert task["hostname"] in workers
    assert task["ended"] - task["started"] >= 0.9          # ten real 0.1 s steps on the worker

    assert step(report, "built_in_states")["data"]["states"] == ["PENDING", "SUCCESS"]   # no STARTED
    custom = step(report, "custom_state")["data"]
    assert custom["resizing"][0] == [{"image": "cat.jpg", "width": 1024}, False]

    pitfall = step(report, "ignore_result_pitfall")["data"]
    assert pitfall["ignored"] is True and pitfall["got"] is None
    assert pitfall["state"] == "PENDING" and pitfall["worker"] in workers   # it ran, nothing was stored
    assert pitfall["diagnosis"] == "wait.result_not_stored"

    assert "No result backend" in step(report, "no_backend")["data"]["error"]


def test_memory_mode(tmp_path):
    proc, report = lesson(2, "--broker", "memory", tmp_path=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert report["mode"] == "memory"
    assert_lesson2_real(report)
    expires = step(report, "result_expires")["data"]
    assert (expires["ttl"], expires["before"], expires["after"]) == (None, "SUCCESS", "PENDING")
    assert report["seconds"] < 10


@pytest.mark.broker
def test_redis_mode(tmp_path, redis_url):
    proc, report = lesson(2, "--broker-url", redis_url, tmp_path=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert report["mode"] == "redis"
    assert_lesson2_real(report)
    expires = step(report, "result_expires")["data"]
    assert 0 < expires["ttl"] <= expires["expires"] == 3600      # a real TTL on the Redis key
    assert expires["after"] == "PENDING"
    assert not processes_matching(report["workers"][0])


@pytest.mark.broker
def test_rabbitmq_mode(tmp_path, amqp_url):
    proc, report = lesson(2, "--broker-url", amqp_url, tmp_path=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert report["mode"] == "rabbitmq"
    assert_lesson2_real(report)
    assert not processes_matching(report["workers"][0])


def test_notes_match():
    assert_notes_match(ROOT / "lessons" / "lesson02_progress")
