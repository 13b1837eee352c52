"""Every lesson folder, in every mode, on real workers: one parametrized module for all lessons.

Each mode plays `runner.py all` once (a lesson is never played twice for the same mode); each lesson
test then reads its own report. What a lesson must show lives in its folder (expect.py: check(report,
mode)); what every lesson must do is checked here: exit 0, every step that ran behaved, skips only
where the lesson declares them (with the reason), nothing left running, no Redis keys left.
A new lesson is tested by adding its folder.
"""
from __future__ import annotations

import json

import pytest
import redis

from classroom import catalog

from .helpers import REDIS_URL, ROOT, assert_notes_match, play_all, processes_matching, runner

LESSONS = catalog.lessons()
MODES = ("memory", "redis", "rabbitmq")


# One xdist worker per mode (pytest -n N --dist loadgroup): its `all` is played once, beside the others.
@pytest.fixture(params=[pytest.param(m, marks=(pytest.mark.xdist_group(f"play-{m}"),) +
                                     (() if m == "memory" else (pytest.mark.broker,))) for m in MODES])
def mode(request) -> str:
    if request.param != "memory":
        request.getfixturevalue("redis_url")          # skipped locally / failed in CI when absent
        if request.param == "rabbitmq":
            request.getfixturevalue("amqp_url")
    return request.param


@pytest.fixture
def played(mode, tmp_path_factory):
    return play_all(mode, tmp_path_factory)


def row_of(report: dict, number: int) -> dict:
    return next(row for row in report["lessons"] if row["lesson"] == number)


@pytest.mark.timeout(1200)
@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.folder.name)
def test_lesson(lesson, mode, played):
    proc, everything = played
    assert everything is not None, proc.stdout[-3000:] + proc.stderr
    row = row_of(everything, lesson.number)
    report = row["report"]
    assert row["exit_code"] == 0 and report is not None, (row, proc.stdout[-3000:])
    assert report["mode"] == mode
    steps = lesson.scenario().steps
    assert report["total"] == len(steps) == len(report["steps"])
    assert report["passed"] == report["total"] - report["skipped"] > 0
    ran = [s for s in report["steps"] if not s["skipped"]]
    assert all(s["ok"] for s in ran), [s for s in ran if not s["ok"]]
    expect = lesson.expectations()
    skipped = {s["name"] for s in report["steps"] if s["skipped"]}
    assert skipped == set(getattr(expect, "SKIPPED", {}).get(mode, set())), skipped
    for name in skipped:                         # a skip always says why and which command shows it
        step = next(s for s in report["steps"] if s["name"] == name)
        assert step.get("reason") or next(x for x in steps if x.func.__name__ == name).unsupported
    if expect is not None:
        expect.check(report, mode)
    run_id = report["workers"][0].split("@", 1)[1]
    assert not processes_matching(run_id)        # no worker, beat or service of this run is left
    if mode == "redis":                          # the run's namespaced keys (queues, bindings) are gone
        assert not list(redis.Redis.from_url(REDIS_URL).scan_iter(match=f"{run_id}:*"))


@pytest.mark.timeout(1200)
def test_all_plays_every_lesson_in_order(mode, played):
    proc, report = played
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr
    assert [row["lesson"] for row in report["lessons"]] == [lesson.number for lesson in LESSONS]
    assert report["ok"] is True and all(row["mode"] == mode for row in report["lessons"])
    assert report["seconds"] >= sum(row["seconds"] for row in report["lessons"]) * 0.99
    assert f"All {len(LESSONS)} lessons behaved" in proc.stdout
    if mode == "memory":                         # a skipped step names the command that shows it
        assert "python runner.py lesson 5 --broker redis" in proc.stdout


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.folder.name)
def test_notes_match(lesson):
    assert_notes_match(lesson.folder)


def test_all_fails_when_a_lesson_fails(tmp_path):
    """No broker where the URL points: every lesson fails (exit 3), `all` still reports each and exits 1."""
    report = tmp_path / "all.json"
    proc = runner("all", "--broker-url", "redis://127.0.0.1:1/0", "--report", str(report), timeout=120)
    data = json.loads(report.read_text())
    assert proc.returncode == 1
    assert data["ok"] is False and data["lessons"]
    assert all(row["exit_code"] == 3 and not row["ok"] for row in data["lessons"])
    assert "Some lessons failed" in proc.stdout


def test_every_lesson_folder_is_in_the_catalog():
    folders = {p.parent for p in (ROOT / "lessons").glob("*/lesson.toml")}
    assert folders == {lesson.folder for lesson in LESSONS}
