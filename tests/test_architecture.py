"""The engine's shape: no import cycles (module-level or inside functions), no /proc parsing outside
the process module, and every literal timeout of the engine in bounds.py."""
import ast
import re
from pathlib import Path

from classroom import ROOT

PACKAGE = ROOT / "classroom"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Every classroom module `path` imports, at any depth (a function-level import is still a dependency)."""
    me = module_name(path)
    package = me if path.name == "__init__.py" else me.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([node.module] if node.module else []))
            found.add(base)
            found |= {f"{base}.{a.name}" for a in node.names}
    # importing a.b.c first runs a/__init__ and a/b/__init__ (those not already running around us)
    mine = {".".join(me.split(".")[:i]) for i in range(1, me.count(".") + 2)}
    found |= {".".join(m.split(".")[:i]) for m in list(found) for i in range(2, m.count(".") + 1)}
    found -= mine
    modules = {module_name(p) for p in PACKAGE.rglob("*.py")}
    return {m for m in found if m in modules and m != me}


def graph() -> dict[str, set[str]]:
    return {module_name(p): imports_of(p) for p in PACKAGE.rglob("*.py")}


def test_no_import_cycles():
    edges = graph()
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                cycle = stack[stack.index(nxt):] + [nxt]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if not state.get(nxt):
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(edges):
        if not state.get(node):
            visit(node)


# runtime/process.py starts and stops processes, runtime/reaper.py kills what is left on the way out,
# runtime/proctable.py reads the process table: each job in one module.
PROCESS_JOBS = {"subprocess.Popen(": {"process.py"}, "os.killpg": {"process.py", "reaper.py"},
                '"/proc': {"proctable.py"}, "process_iter(": {"proctable.py"}, "net_connections(": {"proctable.py"}}


def test_processes_are_started_killed_and_read_each_in_one_module():
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for needle, owners in PROCESS_JOBS.items():
            assert needle not in text or path.name in owners, (path.relative_to(ROOT), needle)


def test_engine_timeouts_come_from_bounds():
    """A literal number passed as a timeout/seconds/grace argument outside bounds.py is a bound nobody can find."""
    pattern = re.compile(r"\b(timeout|seconds|grace_s|start_s|stop_s)=\d")
    for path in PACKAGE.rglob("*.py"):
        if path.name == "bounds.py" or "messages" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            assert not pattern.search(line), f"{path.relative_to(ROOT)}:{number}: {line.strip()}"


# What a lesson folder may import of the engine: the kit, and nothing else (tasks.py is learner code and
# imports only its Celery app's configuration).
KIT = "classroom.lessonkit"
KIT_FILES = ("scenario.py", "expect.py", "exercise/check.py")


def _engine_imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "classroom"}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "classroom":
            found.add(node.module)
    return found


def kit_lessons() -> list[Path]:
    return sorted(p.parent for p in (ROOT / "lessons").glob("lesson*/steps.toml"))


def test_every_lesson_is_a_short_story_on_the_kit():
    """Every lesson folder has its words in steps.toml; a scenario reads as what the learner sees: at most
    200 lines each, and Parts I and II (lessons 1-14) at most 2,300 lines together (3,698 before the kit)."""
    folders = sorted(p.parent for p in (ROOT / "lessons").glob("lesson*/lesson.toml"))
    assert folders == kit_lessons(), sorted(set(folders) - set(kit_lessons()))
    sizes = {f.name: len((f / "scenario.py").read_text(encoding="utf-8").splitlines()) for f in folders}
    assert max(sizes.values()) <= 200, sizes
    assert sum(n for name, n in sizes.items() if int(name[6:8]) <= 14) <= 2300, sizes


def test_a_lesson_on_the_kit_imports_only_the_kit():
    assert kit_lessons(), "no lesson is on the kit yet"
    for folder in kit_lessons():
        for name in KIT_FILES:
            path = folder / name
            if path.exists():
                assert _engine_imports(path) <= {KIT}, (path.relative_to(ROOT), _engine_imports(path) - {KIT})
        scenario = (folder / "scenario.py").read_text(encoding="utf-8")
        assert "run.session" not in scenario and "run.mode" not in scenario, folder.name


def _string_literals(paths) -> set[str]:
    found: set[str] = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.add(node.value)
    return found


def test_every_engine_message_id_is_written_out_and_used():
    """No message id is assembled at run time (t(f"x.{y}")): each is a literal somewhere in the code, so an
    id that nothing uses any more is found here and removed."""
    from classroom.messages import MESSAGES
    code = [p for p in PACKAGE.rglob("*.py") if "messages" not in p.parts]
    code += list((ROOT / "lessons").rglob("*.py")) + list((ROOT / "exercises").rglob("*.py")) + [ROOT / "runner.py"]
    literals = _string_literals(code)
    dead = sorted(key for key in MESSAGES if key not in literals and not key.startswith("argparse:"))
    assert not dead, f"message ids nothing uses (or uses only by assembling them): {dead}"
    assembled = re.compile(r"""\bt\(f["']|(Classroom|Usage|Broker)Error\(f["']|(WaitTimeout|DockerProblem|StepOverrun)\(f["']"""
                           r"""|\bt\(["'][\w.]*["']\s*\+""")
    for path in code:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            assert not assembled.search(line), f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
