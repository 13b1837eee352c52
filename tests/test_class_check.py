"""`check N --class DIR`: a teacher checks thirty students' files at once. A class of a solution, an
untouched starter, a syntax error, an endless loop at import and a missing file: each gets its own row
and its own bounds, side by side, and the CSV says the same."""
import csv
import time

import pytest

from classroom.practice import catalog

from .helpers import REDIS_URL, runner

EX = catalog.get(1)


def make_class(root):
    students = {
        "alice": EX.solution_path.read_text(),
        "bob": EX.starter_path.read_text(),
        "carol": 'from celery import Celery\napp = Celery("x"\n',           # a syntax error
        "dave": "while True:\n    pass\n",                                   # never finishes importing
        "erin": None,                                                        # no file at all
    }
    for name, text in students.items():
        (root / name).mkdir(parents=True)
        if text is not None:
            (root / name / f"{EX.module}.py").write_text(text)
    return root


@pytest.mark.timeout(120)
@pytest.mark.parametrize("args", [("--broker", "memory"), pytest.param(("--broker-url", REDIS_URL), marks=pytest.mark.broker)],
                         ids=["memory", "redis"])
def test_a_class_is_checked_side_by_side_with_a_table_and_csv(tmp_path, args, request):
    if "--broker-url" in args:
        request.getfixturevalue("redis_url")
    folder = make_class(tmp_path / "class")
    out = tmp_path / "class.csv"
    began = time.monotonic()
    proc = runner("check", "1", "--class", str(folder), "--csv", str(out), *args, timeout=110,
                  extra_env={"CLASSROOM_STATE_DIR": str(tmp_path / "state")})
    took = time.monotonic() - began
    assert proc.returncode == 0, proc.stdout + proc.stderr
    rows = {row["student"]: row for row in csv.DictReader(out.open(encoding="utf-8"))}
    assert list(rows) == ["alice", "bob", "carol", "dave", "erin"]
    assert rows["alice"]["ok"] == "yes" and {rows["alice"][f"check_{n}"] for n in range(1, 5)} == {"ok"}
    first_todo = min(catalog.todo_numbers(EX.starter_path))
    assert rows["bob"]["ok"] == "no" and rows["bob"][f"check_{first_todo}"] == "fail"     # where its TODO says
    assert rows["carol"]["check_1"] == "fail" and rows["dave"]["check_1"] == "fail"    # import: syntax / deadline
    assert rows["erin"]["error"] == "no file"
    assert "1 of 5 students pass every check" in proc.stdout
    assert "Traceback" not in proc.stdout + proc.stderr and "not writable" not in proc.stderr
    # side by side: dave's endless loop (a 5 s import bound) does not add to everyone else's time
    assert float(rows["dave"]["seconds"]) >= 4.5
    assert took < float(rows["dave"]["seconds"]) + sum(float(r["seconds"]) for r in rows.values()) - 1


def test_class_needs_a_folder_of_students(tmp_path):
    proc = runner("check", "1", "--class", str(tmp_path / "nowhere"))
    assert proc.returncode == 2 and "one subfolder per student" in proc.stderr
    proc = runner("check", "--all", "--class", str(tmp_path))
    assert proc.returncode == 2
