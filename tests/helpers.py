"""Shared test helpers: run the runner as a learner does, read its JSON report, read the process table."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable

# Test brokers: each run uses its own Redis database / RabbitMQ vhost so that runs never collide.
REDIS_DB = int(os.environ.get("CLASSROOM_TEST_REDIS_DB", "11"))
REDIS_URL = f"redis://127.0.0.1:6379/{REDIS_DB}"
# Databases a test needs to itself (it empties it, or it must hold no worker); the session empties every
# one of these when it ends (conftest.py), so a test run leaves no key behind.
# The demos' plain workers consume the default queue `celery` with no key prefix: on the shared database a
# worker of another test took the Django demo's task (it never ran), or answered the demo's "no worker" ping.
OWN_REDIS_DBS = {"monitor": int(os.environ.get("CLASSROOM_TEST_MONITOR_DB", "5")), "beat": 12, "no-worker": 13,
                 "django": 14, "demo": 15}


def own_redis_url(purpose: str) -> str:
    """The URL of the database `purpose` (a key of OWN_REDIS_DBS) on the test Redis."""
    return REDIS_URL.rsplit("/", 1)[0] + f"/{OWN_REDIS_DBS[purpose]}"
AMQP_URL = os.environ.get("CLASSROOM_TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672//")
# The runner's state (progress, logs, beat files) for this test session: never the learner's .classroom/.
STATE_DIR = Path(tempfile.mkdtemp(prefix="celery-classroom-tests-"))
# Which test process started a process: inherited by everything it starts (runner, workers, Flower,
# browsers), so that `processes_matching` ignores what the other xdist workers run at the same time.
OWNER_ENV = "CC_TEST_OWNER"
OWNER = str(os.getpid())
os.environ[OWNER_ENV] = OWNER


def env(**extra: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("CLASSROOM_")}
    # Docker off unless a test asks for it (tests/test_docker.py): no test starts a container by accident.
    base.update(CLASSROOM_LANG="en", COLUMNS="160", PYTHONUNBUFFERED="1", TERM="dumb", CLASSROOM_DOCKER="off",
                CLASSROOM_STATE_DIR=str(STATE_DIR))
    base.update(extra)
    return base


def runner(*args: str, timeout: float = 90, extra_env: dict | None = None, **kw) -> subprocess.CompletedProcess:
    """`python runner.py ARGS` from the repository root; returns the finished process (text output)."""
    return subprocess.run([PY, "runner.py", *args], cwd=ROOT, env=env(**(extra_env or {})), capture_output=True,
                          text=True, timeout=timeout, **kw)


def lesson(number: int, *args: str, tmp_path: Path, timeout: float = 90, extra_env: dict | None = None):
    """Play a lesson; returns (process, report dict or None)."""
    report = tmp_path / f"lesson{number}-{time.monotonic_ns()}.json"
    proc = runner("lesson", str(number), *args, "--report", str(report), timeout=timeout, extra_env=extra_env)
    data = json.loads(report.read_text()) if report.exists() else None
    return proc, data


def step(report: dict, name: str) -> dict:
    return next(s for s in report["steps"] if s["name"] == name)


def processes_matching(text: str) -> list[str]:
    """Command lines of live processes containing `text` (psutil: zombies, already dead, are left out).
    A process started by another test process (another xdist worker: its OWNER_ENV differs) is not
    counted; one without the mark is, when it runs in this checkout (the runner starts every process
    here), as is one whose environment cannot be read. Another checkout's runs on a shared machine
    are not ours."""
    from classroom.runtime.proctable import find
    return [f"{pid}: {cmd}" for pid, _, cmd in find(lambda cmd: text in cmd and "pytest" not in cmd)
            if _started_here(pid)]


def _started_here(pid: int) -> bool:
    import psutil
    try:
        process = psutil.Process(pid)
        environ = process.environ()
        if not environ:         # unreadable: redis-server's new process title overwrites its environment
            return True
        mark = environ.get(OWNER_ENV)
        if mark is None:
            return Path(process.cwd()).resolve().is_relative_to(ROOT)
    except psutil.NoSuchProcess:
        return False
    except (psutil.AccessDenied, OSError):
        return True
    return mark == OWNER


def assert_notes_match(folder: Path) -> None:
    """A lesson's two notes: the same `##`/`###` headings count, and the same code in their code blocks:
    comments and string literals may be translated (classroom/codeshape.py), text blocks (diagrams,
    output) may be labelled in each language, the code may not differ."""
    import re

    from classroom.codeshape import fence_language, shape
    en = (folder / "README.md").read_text(encoding="utf-8")
    zh = (folder / "README.zh-CN.md").read_text(encoding="utf-8")
    heads = [len(re.findall(r"^(#{2,3}) ", text, re.M)) for text in (en, zh)]
    assert heads[0] == heads[1], f"{folder.name}: {heads[0]} headings in English, {heads[1]} in Chinese"
    blocks = [re.findall(r"^```.*?^```", text, re.M | re.S) for text in (en, zh)]
    assert len(blocks[0]) == len(blocks[1]), f"{folder.name}: {len(blocks[0])} code blocks vs {len(blocks[1])}"
    for i, (a, b) in enumerate(zip(*blocks), 1):
        assert fence_language(a) == fence_language(b), f"{folder.name}: block {i} has another language"
        assert shape(a) == shape(b), f"{folder.name}: block {i}: the code differs (not only comments/strings)"
    assert "## Exercise" in en and "## 练习" in zh


# `runner.py all` once per mode for the whole test session (tests/test_lessons.py, tests/test_narrow.py):
# memory mode plays at 60 columns without colour, Redis mode at 80, piped; RabbitMQ at the default width.
ALL_ARGS = {"memory": ("--broker", "memory"), "redis": ("--broker-url", REDIS_URL), "rabbitmq": ("--broker-url", AMQP_URL)}
ALL_ENV = {"memory": {"COLUMNS": "60", "NO_COLOR": "1"}, "redis": {"COLUMNS": "80"}, "rabbitmq": {}}
_played: dict = {}


def play_all(mode: str, tmp_path_factory) -> tuple:
    """(process, `all` report) for `mode`, played once per test session."""
    if mode not in _played:
        report = tmp_path_factory.mktemp(f"all-{mode}") / "all.json"
        proc = runner("all", *ALL_ARGS[mode], "--report", str(report), timeout=1100, extra_env=ALL_ENV[mode])
        _played[mode] = (proc, json.loads(report.read_text()) if report.exists() else None)
    return _played[mode]
