"""The command line as a learner meets it: help, list, and ordinary mistakes rejected before anything starts."""
import time

import pytest

from .helpers import runner


def test_help_explains_every_command_in_both_languages():
    en = runner("--help", "--lang", "en")
    zh = runner("--help", "--lang", "zh")
    assert en.returncode == zh.returncode == 0
    for command in ("list", "lesson", "notes", "worker", "doctor"):
        assert command in en.stdout and command in zh.stdout
    assert "Exit codes" in en.stdout and "退出码" in zh.stdout


def test_lang_from_environment_and_locale():
    assert "课程" in runner("list", extra_env={"CLASSROOM_LANG": "zh"}).stdout
    assert "课程" in runner("list", extra_env={"CLASSROOM_LANG": "", "LANG": "zh_CN.UTF-8"}).stdout
    assert "Lesson" in runner("list", extra_env={"CLASSROOM_LANG": "", "LANG": "C.UTF-8"}).stdout


def test_list_shows_lesson_one():
    out = runner("list").stdout
    assert "1" in out and "Basic tasks" in out


@pytest.mark.parametrize("bad", ["99", "abc", "-1", "0"])
def test_unknown_lesson_is_rejected_with_the_valid_ones(bad):
    started = time.monotonic()
    proc = runner("lesson", bad, "--broker", "memory")
    assert proc.returncode == 2
    assert "There is no lesson" in proc.stderr and "Lessons: 1" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert time.monotonic() - started < 10


def test_unknown_lesson_in_chinese():
    proc = runner("--lang", "zh", "lesson", "99")
    assert proc.returncode == 2 and "没有第" in proc.stderr


def test_unknown_broker_mode_lists_choices():
    proc = runner("lesson", "1", "--broker", "kafka")
    assert proc.returncode == 2 and "auto" in proc.stderr and "rabbitmq" in proc.stderr


@pytest.mark.parametrize("url", ["localhost:6379", "http://127.0.0.1:6379", "redis://", "redis://host:notaport/0"])
def test_malformed_broker_url_rejected(url):
    from classroom import brokers
    from classroom.errors import UsageError
    with pytest.raises(UsageError) as raised:
        brokers.resolve("auto", url)
    assert raised.value.exit_code == 2
    assert "not a broker URL" in raised.value.message("en") and "redis://" in raised.value.message("en")


def test_malformed_broker_url_rejected_before_anything_starts():
    proc = runner("lesson", "1", "--broker-url", "http://127.0.0.1:6379")
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "not a broker URL" in proc.stderr and "redis://" in proc.stderr
    assert "Workers ready" not in proc.stdout


def test_closed_port_fails_fast_with_the_url_and_a_fix():
    """A broker that does not answer, as a learner meets it (tests/test_diagnoses.py: each kind, in-process):
    exit 3, the URL and the fix on stderr, no traceback, nothing started."""
    started = time.monotonic()
    proc = runner("lesson", "1", "--broker-url", "redis://127.0.0.1:1/0")
    took = time.monotonic() - started
    assert proc.returncode == 3
    assert "redis://127.0.0.1:1/0" in proc.stderr and "Fix:" in proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr and "Workers ready" not in proc.stdout
    assert took < 10, took


def test_notes_render_in_both_languages():
    assert runner("notes", "1").returncode == 0
    assert runner("--lang", "zh", "notes", "1").returncode == 0


def test_doctor_reports_a_table():
    """A good install (this one) passes: exit 0 (tests/test_versions.py: and fails on an old Celery)."""
    proc = runner("doctor", timeout=60)
    assert "celery" in proc.stdout and "lesson 1 imports" in proc.stdout
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_worker_refuses_memory_mode():
    proc = runner("worker", "1", "--broker", "memory")
    assert proc.returncode == 2 and "memory://" in proc.stderr


@pytest.mark.parametrize("argv", [
    ("--lang", "zh", "list"), ("list", "--lang", "zh"), ("--debug", "list", "--lang", "zh"),
    ("notes", "1", "--lang", "zh", "--debug"), ("--lang", "en", "notes", "1", "--lang", "zh"),
])
def test_lang_and_debug_before_or_after_the_command(argv):
    proc = runner(*argv)
    assert proc.returncode == 0, proc.stderr
    assert "课" in proc.stdout


def test_every_command_help_lists_lang_and_debug():
    from classroom.cli import build_parser
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices
    assert len(commands) > 10
    for name, command in commands.items():
        text = command.format_help()
        assert "--lang" in text and "--debug" in text, name


def test_runs_never_touch_the_learners_state():
    """Every test's runner writes to a temporary state dir (tests/helpers.py), not .classroom/."""
    from .helpers import ROOT, STATE_DIR, env
    assert env()["CLASSROOM_STATE_DIR"] == str(STATE_DIR)
    assert ROOT not in STATE_DIR.parents


def test_notes_hide_the_answers_unless_asked(tmp_path):
    """Every "Try this" has an answer (<details> in the Markdown); the terminal shows them with --answers."""
    import re

    from classroom import catalog
    for lesson in catalog.lessons():
        for lang in ("en", "zh"):
            text = lesson.notes_path(lang).read_text(encoding="utf-8")
            heading = "## Try this" if lang == "en" else "## 动手试试"
            section = text.split(heading, 1)[1].split("\n## ", 1)[0]
            bullets = re.findall(r"^- ", section, re.M)
            answers = re.findall(r"^\s*<details><summary>", section, re.M)
            assert bullets and len(answers) == len(bullets), (lesson.folder.name, lang, len(bullets), len(answers))
    hidden = runner("notes", "1").stdout
    shown = runner("notes", "1", "--answers").stdout
    assert "<details>" not in hidden + shown and "notes 1 --answers" in hidden
    assert "Answer:" in shown and "Answer:" not in hidden
