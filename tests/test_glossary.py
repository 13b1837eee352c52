"""One Chinese term per concept: the variants docs/glossary.md says we do not use appear in no text a learner
reads. The glossary's table is the one list; every text file under the folders below is scanned, so a new
notes file or text table (a lesson's *.toml) is checked without touching this test."""
from __future__ import annotations

import re
from pathlib import Path

from .helpers import ROOT

GLOSSARY = ROOT / "docs" / "glossary.md"
SCANNED = ("lessons", "exercises", "demos", "docs", "classroom")
SUFFIXES = {".md", ".toml", ".py", ".html", ".txt"}

# Known hits in lessons/*/scenario.py, whose texts are being moved to data files (issue 20, parts 1-2):
# (file, variant). This list may only shrink; a hit not listed here fails.
KNOWN_IN_SCENARIOS: set[tuple[str, str]] = {
    ("lessons/lesson08_monitoring/scenario.py", "已预取"),
    ("lessons/lesson11_scaling/scenario.py", "执行池"),
    ("lessons/lesson12_under_the_hood/scenario.py", "进程池"),
    ("lessons/lesson12_under_the_hood/scenario.py", "线路上"),
}


def glossary() -> dict[str, str]:
    """{variant not used: the term to use}, from the table's third column (variants separated by 、)."""
    avoid = {}
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 3 or cells[0] in ("English", "---"):
            continue
        for variant in filter(None, (v.strip() for v in cells[2].split("、"))):
            avoid[variant] = cells[1]
    return avoid


def learner_texts() -> list[Path]:
    files = [ROOT / "README.zh-CN.md"]
    for folder in SCANNED:
        files += [p for p in sorted((ROOT / folder).rglob("*"))
                  if p.suffix in SUFFIXES and p.is_file() and "__pycache__" not in p.parts and p != GLOSSARY]
    return files


def hits() -> list[tuple[str, int, str, str]]:
    avoid = glossary()
    pattern = re.compile("|".join(sorted(map(re.escape, avoid), key=len, reverse=True)))
    found = []
    for path in learner_texts():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in pattern.finditer(line):
                found.append((path.relative_to(ROOT).as_posix(), number, match[0], avoid[match[0]]))
    return found


def test_the_glossary_names_the_terms_issue_20_asked_for():
    avoid = glossary()
    assert {"已预取", "保留的消息", "执行池", "进程池", "线路上"} <= set(avoid)
    assert avoid["已预取"] == "预留" and avoid["执行池"].startswith("池")
    assert len(avoid) >= 30


def test_the_scan_covers_every_text_a_learner_reads():
    files = {p.relative_to(ROOT).as_posix() for p in learner_texts()}
    assert "README.zh-CN.md" in files and "docs/troubleshooting.zh-CN.md" in files
    assert "classroom/messages/core.py" in files and "lessons/lesson09_acks_redelivery/lesson.toml" in files
    assert "lessons/lesson11_scaling/README.zh-CN.md" in files
    assert any(f.startswith("exercises/") and f.endswith(".toml") for f in files)


def test_no_learner_text_uses_a_variant_the_glossary_rules_out():
    found = [h for h in hits() if (h[0], h[2]) not in KNOWN_IN_SCENARIOS]
    assert not found, "\n".join(f"{path}:{line}: {variant} -> {term}" for path, line, variant, term in found)


def test_wording_issue_20_named_is_gone():
    """纸上谈兵 (lesson 11), a production timeout "of a few hours" stated as a fact (lesson 9)."""
    for path in learner_texts():
        if path.name.endswith(".zh-CN.md") or path.suffix == ".toml":
            text = path.read_text(encoding="utf-8")
            assert "纸上谈兵" not in text, path
            assert "生产环境的超时是几个小时" not in text, path


def test_the_broker_is_always_named_in_full():
    """消息代理, never its short form 代理 alone (30 places in Part I-III said "指定的代理", "代理停机"); a
    reverse proxy (反向代理) is another concept."""
    bare = re.compile("(?<!消息)(?<!反向)代理")
    found = [f"{path.relative_to(ROOT).as_posix()}:{number}: {line.strip()[:60]}" for path in learner_texts()
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if bare.search(line)]
    assert not found, "\n".join(found)
