"""Every `celery -A ... worker` command printed in a lesson's notes works as printed (from the repo root)."""
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
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


@pytest.mark.broker
@pytest.mark.parametrize("number,command", printed_worker_commands())
def test_printed_worker_command_starts_a_worker(number, command, redis_url):
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
        assert " ready." in seen, f"lesson {number}: {command!r} did not start:\n{seen[-2000:]}"
        assert "[tasks]" in seen
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            import os
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)
