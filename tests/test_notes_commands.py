"""Every `celery -A ... worker` command printed in a lesson's notes works as printed (from the repo root)."""
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from classroom import catalog

from .helpers import ROOT, env


def printed_worker_commands() -> list[tuple[int, str]]:
    found = []
    for lesson in catalog.lessons():
        text = lesson.notes_path("en").read_text(encoding="utf-8")
        for block in re.findall(r"```(?:bash|shell|sh)\n(.*?)```", text, re.S):
            block = re.sub(r"\\\n\s*", " ", block)          # a command continued with \ is one command
            for line in block.splitlines():
                line = line.split(" #")[0].strip()
                if line.startswith("celery -A") and " worker" in line:
                    found.append((lesson.number, line))
    return found


def start_and_stop(command: str, redis_url: str) -> str:
    """Start one printed command (from the repo root, this venv's `celery`), read its output until it says
    it is ready (30 s at most), then stop it: "" when it worked, else what it printed."""
    args = shlex.split(command)
    # The `celery` script of this interpreter's environment (as an activated venv would find it).
    celery = shutil.which("celery", path=str(Path(sys.executable).parent)) or shutil.which("celery")
    proc = subprocess.Popen([celery, *args[1:]], cwd=ROOT, env=env(CLASSROOM_BROKER_URL=redis_url),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    seen = ""
    try:
        deadline = time.monotonic() + 30
        while " ready." not in seen and time.monotonic() < deadline and proc.poll() is None:
            seen += proc.stdout.readline()
        return "" if " ready." in seen and "[tasks]" in seen else seen[-2000:] or "(no output)"
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)


@pytest.mark.broker
@pytest.mark.timeout(240)
def test_every_printed_worker_command_starts_a_worker(redis_url):
    """Four at a time (each its own process, reading its own output): one by one they took ~90 s."""
    commands = printed_worker_commands()
    assert len(commands) >= 20                        # the notes still print them, the pattern still finds them
    with ThreadPoolExecutor(max_workers=4) as pool:
        said = list(pool.map(lambda found: start_and_stop(found[1], redis_url), commands))
    failed = {f"lesson {n}: {command}": out for (n, command), out in zip(commands, said) if out}
    assert not failed, "\n\n".join(f"{c} did not start:\n{out}" for c, out in failed.items())
