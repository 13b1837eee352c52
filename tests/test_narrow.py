"""What a learner reads, at 60 and 80 columns, piped, with and without colour: every lesson played
through `all` (which relays each lesson at its own width), and `--record` writing the picture.

Rules checked on the real output: no line runs past the width unless it is one unbreakable command;
a timing such as "(0.07 s)" never splits; the observations table never crushes a column (lesson 1's
ZeroDivisionError and 42 stay whole); no ANSI colour when piped or NO_COLOR is set.
"""
import html
import re

import pytest
from rich.cells import cell_len

from classroom import catalog

from .helpers import play_all, runner

COMMAND = re.compile(r"(python3? runner\.py|python -m|celery |eval \"|docker |redis-cli|rabbitmqctl|pip install)")


def assert_fits(out: str, width: int) -> None:
    assert "\x1b[" not in out                                    # piped / NO_COLOR: no escape codes
    split = re.search(r"\(\d+(?:\.\d+)?\n\s*(?:m?s|秒)\)", out)
    assert not split, f"a timing split over two lines: {split.group()!r}"
    for line in out.splitlines():
        if cell_len(line) > width:       # only an unbreakable command or a single long word (a path)
            words = line.split()
            assert COMMAND.search(line) or len(words) == 1 or (len(words) == 2 and words[0] in "-s"), \
                f"{cell_len(line)} > {width} columns: {line!r}"



@pytest.mark.timeout(1200)
@pytest.mark.parametrize("mode,columns", [pytest.param("memory", 60, marks=pytest.mark.xdist_group("play-memory")),
                                          pytest.param("redis", 80, marks=(pytest.mark.broker,
                                                                           pytest.mark.xdist_group("play-redis")))],
                         ids=["60-no-color-memory", "80-redis"])
def test_every_lesson_reads_well_narrow(mode, columns, tmp_path_factory, request):
    """The same `all` runs that tests/test_lessons.py checks (tests/helpers.py plays each mode once)."""
    if mode == "redis":
        request.getfixturevalue("redis_url")
    proc, _ = play_all(mode, tmp_path_factory)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr
    out = proc.stdout
    assert_fits(out, columns)
    assert out.count("Step 1/") == len(catalog.lessons())
    assert "ZeroDivisionError: division by zero" in out          # whole, not three letters a line
    assert re.search(r"multiply\s+(?:[0-9a-f]{8}\s+)?SUCCESS\s+42\b", out)
    assert "↪" in out                                            # a long code line continued, marked
    for legend in re.findall(r"^((?:[█▒▚▓░■▞◆] \w+ {0,2})+)\s*$", out, re.M):
        assert all(re.findall(r"[█▒▚▓░■▞◆] (\w+)", legend))      # every glyph of a timeline is named


def test_code_lines_continue_behind_a_marker_never_at_column_0():
    from rich.console import Console

    from classroom import layout
    console = Console(width=40, record=True, color_system=None)
    layout.code(console, "value = run.get(result)                  # result.get(timeout=5), bounded\nx = 1")
    lines = console.export_text().splitlines()
    assert lines[0].rstrip() == "value = run.get(result)"
    assert lines[1].lstrip().startswith("↪ # result.get") and lines[1].startswith("    ")
    assert lines[-1] == "x = 1"


def test_commands_never_break_and_chinese_wraps_between_characters():
    from rich.console import Console

    from classroom import layout
    console = Console(width=44, color_system=None)
    text = ("Start a worker with -Q x; check with: celery -A lessons.lesson03_routing.tasks inspect "
            "active_queues (0.07 s)")
    lines = [line.plain for line in layout.paragraph(console, text, prefix="  ✗ ")]
    # Longer than the line: it breaks behind " \" (bash and zsh join the lines again), never past the width.
    assert all(cell_len(line) <= 44 for line in lines), lines
    joined = " ".join(line.strip().removesuffix("\\").strip() for line in lines)
    assert "celery -A lessons.lesson03_routing.tasks inspect active_queues (0.07 s)" in joined
    assert any(line.endswith("(0.07 s)") for line in lines)
    short = [line.plain for line in layout.paragraph(console, "Then run it by hand: celery -A proj inspect active_queues")]
    assert "celery -A proj inspect active_queues" in short[-1], short       # one that fits stays whole
    zh = layout.paragraph(console, "没有 worker 消费这个队列。" * 6)
    assert len(zh) > 1 and all(cell_len(line.plain) <= 44 for line in zh)
    assert not any(line.plain.startswith(("。", "，")) for line in zh)   # punctuation stays with its word



@pytest.mark.timeout(10)
@pytest.mark.parametrize("width", [60, 80])
def test_a_chart_with_chinese_labels_keeps_every_label_and_value_whole(width):
    """A Chinese character takes two columns: labels sized by len() were cut ("普通端口，新建连…") and
    pushed the values out ("3 m" for "3 ms"), as lesson 12's charts showed in Chinese."""
    from rich.console import Console

    from classroom.player.charts import Chart
    rows = [("普通端口，新建连接", 3.0), ("普通端口，连接池", 1.0), ("TLS，新建连接", 120.0), ("TLS，连接池", 2.0)]
    console = Console(width=width, color_system=None)
    with console.capture() as captured:
        console.print(Chart("publish", rows, "ms"))
    lines = captured.get().splitlines()
    for label, value in rows:
        assert any(label in line and line.rstrip().endswith(f"{value:,.0f} ms") for line in lines), lines
    assert all(cell_len(line) <= width for line in lines), lines


@pytest.mark.timeout(10)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_skip_line_puts_a_space_between_sentences_but_none_after_chinese_punctuation(lang):
    """Lesson 15 in memory mode: "在 memory 模式下跳过： 这一步…线程。 要看到它" had a space after each
    full-width colon and stop; the English keeps one ("skipped in memory mode: This step … See it: …")."""
    from rich.console import Console

    from classroom import catalog, messages, ui
    step = next(s for s in catalog.get(15).scenario().steps if not s.runs_in("memory"))
    old_lang, old_console = messages.get_lang(), ui.console
    messages.set_lang(lang)
    ui.console = Console(width=400, color_system=None)
    try:
        with ui.console.capture() as captured:
            ui.step_skipped(step, "memory", step.skip_reason("memory", 15))
    finally:
        messages.set_lang(old_lang)
        ui.console = old_console
    line = captured.get().strip()
    assert "python runner.py lesson 15 --broker redis" in line, line
    if lang == "zh":
        assert "： " not in line and "。 " not in line and "跳过：这一步" in line, line
    else:
        assert "mode: " in line and ". See it: python" in line, line


@pytest.mark.timeout(10)
def test_a_labelled_task_reads_with_the_languages_colon():
    """'提前确认: early_ack' had an ASCII colon and a space in Chinese; English keeps 'early ack: early_ack'."""
    from classroom import messages, ui
    from classroom.player.scenario import Observation
    row = Observation("2f34067b-aaaa", "early_ack", "SUCCESS", 5, "worker1@lesson9-9785", 0.153, label="提前确认")
    old = messages.get_lang()
    try:
        messages.set_lang("zh")
        assert ui._task_label(row) == "提前确认：early_ack"
        messages.set_lang("en")
        assert ui._task_label(row) == "提前确认: early_ack"
    finally:
        messages.set_lang(old)


@pytest.mark.timeout(20)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_all_table_keeps_every_title_whole_at_60_columns(lang):
    """`all`'s table at 60 columns cut Chinese titles ("基础任务：delay、 …") and put the number on a line of
    its own; the mode, the same on every row, took a column. Now: number, title wrapped in its column, no
    "…", and the mode in the table's title."""
    from rich.console import Console

    from classroom import messages
    from classroom.commands import all as all_command
    old = messages.get_lang()
    messages.set_lang(lang)
    try:
        rows = [{"lesson": lesson.number, "title": messages.pick(lesson.title), "mode": "memory", "exit_code": 0,
                 "ok": True, "seconds": 5.0, "report": {"passed": 2, "total": 8, "skipped": 6}}
                for lesson in catalog.lessons()]
        console = Console(width=60, color_system=None)
        with console.capture() as captured:
            console.print(all_command._table(rows, 74.7))
    finally:
        messages.set_lang(old)
    lines = captured.get().splitlines()
    assert all(cell_len(line) <= 60 for line in lines) and "…" not in captured.get(), lines
    assert "memory" in lines[0] and not any("│ memory" in line for line in lines), lines[:5]
    cells: dict[int, str] = {}
    number = 0
    for line in lines:
        parts = [part.strip() for part in line.split("│")]
        if len(parts) > 3:
            number = int(parts[1]) if parts[1].isdigit() else number
            cells[number] = (cells.get(number, "") + " " + parts[2]).strip()
    for row in rows:
        # joined again: the title's words in order (Chinese may break between characters)
        assert cells[row["lesson"]].replace(" ", "") == row["title"].replace(" ", ""), (cells[row["lesson"]], row)


SHELL_BLOCK = """\
# terminal 2: an 8 s task, then SIGTERM to the worker's main process (the oldest one: pgrep -o)
celery -A lessons.lesson15_deploy.tasks worker -l info -Q deploy -c 1 -n deploy1@%h  # a worker of the lesson's queue
python -c "from lessons.lesson15_deploy.tasks import job; job.apply_async((8,), queue='deploy')"
echo done 'a quoted argument, 36 cells' and more words to wrap it
echo 'a single-quoted argument that is longer than the whole line is wide' done"""


@pytest.mark.timeout(20)
@pytest.mark.parametrize("width", [40, 60])
def test_a_wrapped_shell_block_in_the_notes_still_runs_when_copied(width, tmp_path):
    """`notes` at 60 columns wrapped a long comment onto a line of its own ("SIGTERM" at column 1, a
    command for bash); now a comment goes on as a comment and a command behind ` \\`, outside quotes."""
    import subprocess

    from classroom import layout
    lines = [line.plain for line in layout.code_block(SHELL_BLOCK, "bash", width)]
    long_word = "'a single-quoted argument that is longer than the whole line is wide'"
    assert all(cell_len(line) <= width or long_word in line for line in lines), lines   # that one stays whole
    assert len(lines) > len(SHELL_BLOCK.splitlines()), lines                 # it did wrap

    def run(script: str) -> subprocess.CompletedProcess:   # every command prints its arguments
        shown = "celery() { printf '<%s>' celery \"$@\"; echo; }; python() { printf '<%s>' python \"$@\"; echo; }\n"
        return subprocess.run(["bash", "-c", shown + script], capture_output=True, text=True, timeout=10)
    copied, original = run("\n".join(lines)), run(SHELL_BLOCK)
    assert copied.stderr == "" and copied.returncode == 0, (copied.stderr, lines)
    squeeze = lambda out: " ".join(out.split())          # a break inside double quotes adds spaces there
    assert squeeze(copied.stdout) == squeeze(original.stdout), (copied.stdout, lines)


@pytest.mark.timeout(10)
def test_a_wrapped_python_line_in_the_notes_goes_on_behind_a_marker():
    from classroom import layout
    source = "result = tasks.late_ack.apply_async((log, 1.0), countdown=2, acks_late=True, reject_on_worker_lost=True)"
    lines = [line.plain for line in layout.code_block(source, "python", 60)]
    assert len(lines) > 1 and all(x.startswith("    ↪ ") for x in lines[1:]), lines
    assert all(cell_len(x) <= 60 for x in lines) and lines[0].endswith("countdown=2,"), lines   # 60 cells

DRILL = {"CLASSROOM_EXTRA_LESSONS": "tests", "FAULT_STEPS": "raises_then_serves"}   # tests/fault_lesson
OPENS = {".svg": "<svg", ".html": "<!DOCTYPE html>", ".txt": "─"}   # the text opens with the lesson's rule


@pytest.mark.timeout(60)
@pytest.mark.parametrize("suffix", [".svg", ".html", ".txt"])
def test_record_writes_the_run_as_shown(tmp_path, suffix):
    """Each format once, on the shortest real run (one drill step on an embedded worker), not a lesson:
    the lessons' own output is read from the `all` plays above."""
    path = tmp_path / f"drill{suffix}"
    proc = runner("lesson", "90", "--broker", "memory", "--record", str(path), extra_env=DRILL)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    text = path.read_text(encoding="utf-8")
    assert text.lstrip().startswith(OPENS[suffix]), text[:200]
    words = " ".join(html.unescape(re.sub(r"<[^>]+>", "", text)).replace("\xa0", " ").split())   # as seen
    for shown in ("Step 1/1: raises_then_serves", "failed.get(timeout=5.0)", "1/1 steps behaved"):
        assert shown in " ".join(proc.stdout.split()) and shown in words, shown


def test_record_of_a_failed_run_holds_the_error(tmp_path):
    path = tmp_path / "fail.txt"
    proc = runner("lesson", "1", "--broker-url", "redis://127.0.0.1:1/0", "--record", str(path))
    assert proc.returncode == 3
    assert "nothing listens there" in path.read_text(encoding="utf-8")


def test_record_refuses_an_unknown_format(tmp_path):
    proc = runner("lesson", "1", "--broker", "memory", "--record", str(tmp_path / "x.png"))
    assert proc.returncode == 2 and ".svg" in proc.stderr and not (tmp_path / "x.png").exists()


def test_check_and_all_take_record(tmp_path):
    path = tmp_path / "check.txt"
    proc = runner("check", "1", "--solutions", "--broker", "memory", "--record", str(path), timeout=120,
                  extra_env={"CLASSROOM_EXERCISES_DIR": str(tmp_path / "work")})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "✓ 2." in path.read_text(encoding="utf-8")
