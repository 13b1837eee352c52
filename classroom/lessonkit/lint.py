"""One lint over every text table a learner reads: both languages, the same placeholders, and the English
each Chinese text was confirmed against.

    python -m classroom.lessonkit.lint            # list the problems (exit 1 if any)
    python -m classroom.lessonkit.lint --confirm  # after checking the Chinese of changed English texts

The record (``classroom/lessonkit/confirmed.json``) holds a short hash of each English text. When an
English text changes, its Chinese is "fuzzy" (as gettext calls it) until someone reads it again and
confirms it: the lint fails until then. New texts start unconfirmed too.
"""
from __future__ import annotations

import ast
import hashlib
import json
import sys
from pathlib import Path

from classroom import LESSONS_DIR, ROOT
from classroom.lessonkit.texts import COMMON, FILE, Texts, fields, pairs
from classroom.messages import LANGS, MESSAGES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

RECORD = Path(__file__).with_name("confirmed.json")
# The kit's calls that take a text id, and where: run.expect(ok, "id"), run.say("id"), ...
TEXT_ARG = {"expect": 1, "say": 0, "show": 1, "skip": 0, "timeline": 1, "bars": 1, "text": 0}


def tables(root: Path = ROOT) -> dict[str, dict]:
    """Every text table: each lesson's steps.toml and lesson.toml, and the engine's messages."""
    found: dict[str, dict] = {"classroom/messages": MESSAGES}
    lessons = root / LESSONS_DIR.name
    for path in sorted(lessons.glob("*/*.toml")):
        with open(path, "rb") as fh:
            found[path.relative_to(root).as_posix()] = tomllib.load(fh)
    return found


def _hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def entries(root: Path = ROOT) -> dict[str, dict]:
    """Every bilingual pair, keyed 'source:dotted.key'."""
    return {f"{source}:{key}": pair for source, table in tables(root).items() for key, pair in pairs(table)}


def problems(root: Path = ROOT, record: Path = RECORD) -> list[str]:
    confirmed = json.loads(record.read_text(encoding="utf-8")) if record.exists() else {}
    found: list[str] = []
    for key, pair in entries(root).items():
        missing = [lang for lang in LANGS if not (pair.get(lang) or "").strip()]
        if missing:
            found.append(f"{key}: no {'/'.join(missing)} text")
            continue
        try:
            en, zh = fields(pair["en"]), fields(pair["zh"])
        except ValueError as exc:
            found.append(f"{key}: not a valid format string ({exc})")
            continue
        if en != zh:
            found.append(f"{key}: placeholders differ: en {sorted(en)}, zh {sorted(zh)}")
        if confirmed.get(key) != _hash(pair["en"]):
            state = "changed since its Chinese was confirmed" if key in confirmed else "new, not yet confirmed"
            found.append(f"{key}: English {state}; check the Chinese, then run "
                         f"python -m classroom.lessonkit.lint --confirm")
    for folder in sorted((root / LESSONS_DIR.name).glob("lesson*/")):
        if (folder / "scenario.py").exists() and (folder / FILE).exists():
            found += scenario_problems(folder)
    return found


def confirm(root: Path = ROOT, record: Path = RECORD) -> int:
    """Record the English of every pair as confirmed (after a person checked the Chinese)."""
    current = {key: _hash(pair["en"]) for key, pair in entries(root).items() if pair.get("en")}
    record.write_text(json.dumps(current, indent=0, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    return len(current)


def used_ids(scenario: Path) -> tuple[dict[str, set[str]], list[str]]:
    """The text ids each step function uses (helpers' ids count as 'common'), and problems found:
    an id that is not a literal string, or a language written into the code."""
    tree = ast.parse(scenario.read_text(encoding="utf-8"))
    used: dict[str, set[str]] = {}
    found: list[str] = []
    for func in [n for n in tree.body if isinstance(n, ast.FunctionDef)]:
        owner = func.name if any(_is_step_decorator(d) for d in func.decorator_list) else COMMON
        for node in ast.walk(func):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "run"):
                continue
            index = TEXT_ARG.get(node.func.attr)
            if index is None or len(node.args) <= index:
                continue
            arg = node.args[index]
            ids = _literal_ids(arg)
            if ids:
                used.setdefault(owner, set()).update(ids)
            elif node.func.attr == "bars" or (isinstance(arg, ast.Constant) and arg.value is None):
                continue
            else:
                found.append(f"{scenario}:{node.lineno}: run.{node.func.attr}: the text id must be a literal string")
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict) and any(isinstance(k, ast.Constant) and k.value in LANGS for k in node.keys):
            found.append(f"{scenario}:{node.lineno}: a {{'en', 'zh'}} text in code: move it to {FILE}")
        if isinstance(node, ast.Name) and node.id in ("get_lang", "pick"):
            found.append(f"{scenario}:{node.lineno}: language-dependent code ({node.id})")
    return used, found


def _literal_ids(node: ast.expr) -> set[str]:
    """The ids an argument names: a literal string, or `"a" if measured else "b"` (the words follow
    the measurement); empty for anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        body, orelse = _literal_ids(node.body), _literal_ids(node.orelse)
        return body | orelse if body and orelse else set()
    return set()


def _is_step_decorator(node: ast.expr) -> bool:
    call = node.func if isinstance(node, ast.Call) else node
    return isinstance(call, ast.Attribute) and call.attr == "step"


def scenario_problems(folder: Path) -> list[str]:
    """Ids used but missing, ids defined but never used, steps without a title or explanation."""
    texts = Texts.load(folder)
    used, found = used_ids(folder / "scenario.py")
    for helper in sorted(folder.glob("*.py")):           # a lesson's own helper modules (servers.py, web.py)
        if helper.name not in ("scenario.py", "tasks.py", "expect.py", "__init__.py"):
            more, said = used_ids(helper)
            found += said
            for owner, ids in more.items():
                used.setdefault(owner, set()).update(ids)
    have = texts.ids()
    steps = _step_names(folder / "scenario.py")
    name = folder.name
    for owner, ids in used.items():
        for text_id in sorted(ids):
            if text_id not in have.get(owner, set()) and text_id not in have.get(COMMON, set()):
                found.append(f"{name}/{FILE}: [{owner}.text] has no {text_id!r} (used in scenario.py)")
    every_use = set().union(*used.values()) if used else set()
    for owner, ids in have.items():
        if owner != COMMON and owner not in steps:
            found.append(f"{name}/{FILE}: [{owner}] is not a step of scenario.py")
        mine = used.get(owner, set()) if owner != COMMON else every_use
        for text_id in sorted(ids - mine):
            found.append(f"{name}/{FILE}: [{owner}.text] {text_id!r} is never used")
    for step in steps:
        for key in ("title", "explain"):
            if not texts.step_entry(step, key):
                found.append(f"{name}/{FILE}: step {step!r} has no {key}")
        for key in ("title", "explain", "unsupported"):   # shown without values: a brace must be {{ }}
            for lang, template in (texts.step_entry(step, key) or {}).items():
                try:
                    template.format()
                except (KeyError, IndexError, ValueError) as exc:
                    found.append(f"{name}/{FILE}: [{step}] {key}.{lang} is shown without values, so a literal "
                                 f"brace must be written {{{{ }}}} ({type(exc).__name__}: {exc})")
    return found


def _step_names(scenario: Path) -> list[str]:
    tree = ast.parse(scenario.read_text(encoding="utf-8"))
    return [n.name for n in tree.body if isinstance(n, ast.FunctionDef)
            and any(_is_step_decorator(d) for d in n.decorator_list)]


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if "--confirm" in argv:
        print(f"confirmed {confirm()} texts in {RECORD.relative_to(ROOT)}")
        return 0
    found = problems()
    for line in found:
        print(line)
    print(f"{len(found)} problem(s)" if found else "all texts: both languages, same placeholders, confirmed")
    return 1 if found else 0


if __name__ == "__main__":
    raise SystemExit(main())
