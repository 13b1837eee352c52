"""The curriculum lint: lessons and exercises have the shape the course promises, in both languages.

Runs over every lesson folder that exists, so lessons 2-7 are linted as soon as they land. The
"every starter fails, every solution passes" half of the lint runs on real workers in
tests/test_exercises.py (check --all --starters / --solutions).
"""
import re
import string
import subprocess
import sys

import pytest

from classroom import LESSONS_DIR, ROOT, catalog
from classroom.messages import MESSAGES
from classroom.practice import catalog as practice

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

LESSON_FILES = {"exercise", "expect.py", "__init__.py", "lesson.toml", "README.md", "README.zh-CN.md", "tasks.py", "scenario.py", "steps.toml"}
CJK = re.compile(r"[\u4e00-\u9fff]")
FENCE = re.compile(r"^```.*?^```", re.S | re.M)
LESSON_FOLDERS = sorted(p for p in LESSONS_DIR.iterdir() if p.is_dir() and p.name.startswith("lesson"))
EXERCISES = practice.exercises()


def sections(text):
    """The `## ` sections of a note: [(heading, body)], in order."""
    parts = re.split(r"^## (.*)$", text, flags=re.M)
    return list(zip(parts[1::2], parts[2::2]))


def both(pair, where):
    assert isinstance(pair, dict) and pair.get("en", "").strip() and pair.get("zh", "").strip(), where
    assert CJK.search(pair["zh"]), f"{where}: the zh text has no Chinese: {pair['zh']!r}"


# --- lessons -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("folder", LESSON_FOLDERS, ids=lambda p: p.name)
def test_lesson_folder_has_no_stray_files(folder):
    toml = folder / "lesson.toml"
    assert toml.exists(), f"{folder.name} has no lesson.toml"
    allowed = LESSON_FILES | set(tomllib.loads(toml.read_text(encoding="utf-8")).get("files", []))
    present = {p.name for p in folder.iterdir() if p.name != "__pycache__"}
    assert present <= allowed, f"{folder.name}: unexpected {sorted(present - allowed)} (list extra ones in lesson.toml files = [...])"


@pytest.mark.parametrize("folder", LESSON_FOLDERS, ids=lambda p: p.name)
def test_lesson_notes_match_and_end_with_the_exercise(folder):
    en, zh = folder / "README.md", folder / "README.zh-CN.md"
    assert en.exists() and zh.exists(), f"{folder.name}: both README.md and README.zh-CN.md are needed"
    en_text, zh_text = en.read_text(encoding="utf-8"), zh.read_text(encoding="utf-8")
    en_sections, zh_sections = sections(en_text), sections(zh_text)
    assert len(en_sections) == len(zh_sections), [h for h, _ in en_sections] + ["|"] + [h for h, _ in zh_sections]
    from classroom.codeshape import shape      # comments, strings and diagrams may be translated
    for (en_head, en_body), (zh_head, zh_body) in zip(en_sections, zh_sections):
        assert [shape(b) for b in FENCE.findall(en_body)] == [shape(b) for b in FENCE.findall(zh_body)], \
            f"{folder.name}: code differs under {en_head!r} / {zh_head!r}"
    assert len(FENCE.findall(en_text)) == len(FENCE.findall(zh_text))
    number = tomllib.loads((folder / "lesson.toml").read_text(encoding="utf-8"))["number"]
    exercise = practice.for_lesson(number)
    assert exercise, f"lesson {number} has no [exercise] in its lesson.toml"
    for name, found in (("README.md", en_sections), ("README.zh-CN.md", zh_sections)):
        assert found and f"python runner.py exercise {exercise.number}" in found[-1][1], \
            f"{folder.name}/{name}: the last ## section should be the exercise (python runner.py exercise {exercise.number})"


def test_every_lesson_has_an_exercise():
    numbers = {lesson.number for lesson in catalog.lessons()}
    assert numbers <= {ex.lesson for ex in EXERCISES}, numbers - {ex.lesson for ex in EXERCISES}


# --- exercises ---------------------------------------------------------------------------------------

CLASSROOM_FIRST = 21      # classroom exercises (a)-(d) are 21, 22, ...: out of the way of the lessons' numbers


def test_exercise_numbers_and_files():
    assert all(ex.number == ex.lesson for ex in EXERCISES if ex.lesson is not None)   # a lesson's exercise: its number
    classroom = [ex.number for ex in EXERCISES if ex.lesson is None]
    assert classroom == list(range(CLASSROOM_FIRST, CLASSROOM_FIRST + len(classroom)))
    assert max((ex.lesson for ex in EXERCISES if ex.lesson), default=0) < CLASSROOM_FIRST
    assert len({ex.number for ex in EXERCISES}) == len({ex.module for ex in EXERCISES}) == len(EXERCISES)
    assert all(ex.module.startswith(f"ex{ex.number:02d}_") for ex in EXERCISES), [ex.module for ex in EXERCISES]
    assert {ex.lesson for ex in EXERCISES if ex.lesson} >= set(range(1, 8))          # lessons 1-7
    assert sum(ex.lesson is None for ex in EXERCISES) >= 4                             # classroom (a)-(d)
    for ex in EXERCISES:       # one home each: the lesson's exercise/ folder, or exercises/classroom/<name>/
        present = {p.name for p in ex.material.iterdir() if p.name != "__pycache__"}
        expected = {"__init__.py", "starter.py", "solution.py", "check.py"} | ({"exercise.toml"} if ex.lesson is None else set())
        assert present == expected, f"{ex.material}: missing {sorted(expected - present)}, stray {sorted(present - expected)}"
        if ex.lesson is not None:
            assert ex.material.parent == catalog.get(ex.lesson).folder
    present = {p.name for p in practice.WORK.iterdir() if p.name != "__pycache__"}
    stray = {name for name in present - {"__init__.py", "classroom"} if not re.fullmatch(r"ex\d\d_\w+\.py", name)}
    assert not stray, f"exercises/: stray {sorted(stray)}"
    homes = {p.name for p in practice.CLASSROOM.iterdir() if p.name not in ("__pycache__", "__init__.py")}
    assert homes == {ex.module for ex in EXERCISES if ex.lesson is None}


def test_working_copies_are_not_tracked_by_git():
    try:
        tracked = subprocess.run(["git", "ls-files", "exercises"], cwd=ROOT, capture_output=True, text=True,
                                 timeout=10).stdout.split()
    except (OSError, subprocess.TimeoutExpired):
        pytest.skip("git is not available")
    assert not [p for p in tracked if re.fullmatch(r"exercises/ex\d\d_\w+\.py", p)], tracked


@pytest.mark.parametrize("ex", EXERCISES, ids=lambda ex: ex.module)
def test_exercise_is_bilingual_with_todos_that_name_checks(ex):
    both(ex.title, f"{ex.module} title")
    both(ex.statement, f"{ex.module} statement")
    assert len(ex.hints) >= 2, f"{ex.module}: at least two hints, revealed one at a time"
    for i, hint in enumerate(ex.hints, 1):
        both(hint, f"{ex.module} hint {i}")
    checks = ex.checker().checks
    for check in checks:
        both(check.title, f"{ex.module} check {check.func.__name__}")
        if check.modes:
            both(check.unsupported, f"{ex.module} check {check.func.__name__}: unsupported")
    todos = practice.todo_numbers(ex.starter_path)
    assert todos, f"{ex.module}: the starter has no '# TODO N:' marker"
    assert set(todos) <= set(range(2, len(checks) + 2)), f"{ex.module}: TODO {todos} but checks are 2..{len(checks) + 1}"
    lines = ex.starter_path.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        if practice.TODO.search(line):
            block = [lines[j] for j in range(i + 1, min(i + 4, len(lines))) if lines[j].strip().startswith("#")]
            assert any(CJK.search(b) for b in block), f"{ex.module}:{i + 1}: TODO without its Chinese line"
    assert "TODO" not in ex.solution_path.read_text(encoding="utf-8"), f"{ex.module}: the solution still has a TODO"
    for path in (ex.starter_path, ex.solution_path):
        assert '"""' in path.read_text(encoding="utf-8").split("\n", 1)[0] and "Usage::" in path.read_text(encoding="utf-8")


# --- messages ----------------------------------------------------------------------------------------

def test_every_message_has_both_languages_with_the_same_placeholders():
    fields = string.Formatter()
    for key, entry in MESSAGES.items():
        assert set(entry) == {"en", "zh"} and bool(entry["en"].strip()) == bool(entry["zh"].strip()), key
        names = [{f for _, f, _, _ in fields.parse(entry[lang]) if f} for lang in ("en", "zh")]
        assert names[0] == names[1], f"{key}: placeholders {names[0]} vs {names[1]}"


@pytest.mark.parametrize("lesson", catalog.lessons(), ids=lambda lesson: lesson.folder.name)
def test_notes_code_blocks_fit_78_columns(lesson):
    """A code block wider than a classroom projector or a split screen wraps into what looks like new code."""
    from rich.cells import cell_len
    for lang in ("en", "zh"):
        text = lesson.notes_path(lang).read_text(encoding="utf-8")
        for block in re.findall(r"^```.*?^```", text, re.M | re.S):
            for line in block.splitlines():
                assert cell_len(line) <= 78, f"{lesson.notes_path(lang).name}: {cell_len(line)} columns: {line}"


@pytest.mark.parametrize("lesson", catalog.lessons(), ids=lambda lesson: lesson.folder.name)
def test_notes_heading_is_the_lesson_title(lesson):
    """The README tables (from lesson.toml) and the notes' own heading say the same title."""
    for lang, fmt in (("en", "# Lesson {n} · {t}"), ("zh", "# 第 {n} 课 · {t}")):
        first = lesson.notes_path(lang).read_text(encoding="utf-8").split("\n", 1)[0]
        assert first == fmt.format(n=lesson.number, t=lesson.title[lang]), first


# --- exercises that make you think (issue: TODOs say what and where, never the code) -----------------
CALL = re.compile(r"\b[A-Za-z_][\w.]*\((?!s\)|秒)")       # a call such as self.retry( or apply_async(


def todo_blocks(path):
    """Each '# TODO N:' comment with the comment lines that continue it."""
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks = []
    for i, line in enumerate(lines):
        if practice.TODO.search(line):
            block = [line]
            for nxt in lines[i + 1:]:
                if nxt.strip().startswith("#") and not practice.TODO.search(nxt):
                    block.append(nxt)
                else:
                    break
            blocks.append(block)
    return blocks


@pytest.mark.parametrize("ex", EXERCISES, ids=lambda ex: ex.module)
def test_todos_say_what_and_where_never_the_code(ex):
    for block in todo_blocks(ex.starter_path):
        text = "\n".join(block)
        assert not CALL.search(text), f"{ex.module}: a TODO holds code (it belongs in the last hint):\n{text}"
        assert re.search(r"lesson \d+|第 ?\d+ ?课", text), f"{ex.module}: a TODO must name the lesson step:\n{text}"
    assert "`" in pick_en(ex.hints[-1]), f"{ex.module}: the last hint shows the code"


def pick_en(entry):
    return entry["en"]


@pytest.mark.parametrize("ex", EXERCISES, ids=lambda ex: ex.module)
def test_each_exercise_has_an_explain_question_and_a_stretch_goal(ex):
    kinds = [check.kind for check in ex.checker().checks]
    assert "explain" in kinds, f"{ex.module}: no explain question (checker.explain)"
    assert "stretch" in kinds, f"{ex.module}: no stretch goal (checker.stretch)"
