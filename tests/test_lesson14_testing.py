"""Lesson 14 beyond its expect.py: the repository's own pytest never collects the lesson's sample
tests, and a one-off command a step runs (ManagedProcess.run_to_end) is bounded."""
import configparser
import subprocess
import sys
import time

import pytest

from classroom.runtime.process import ManagedProcess

from .helpers import ROOT, processes_matching

SAMPLES = ROOT / "lessons" / "lesson14_testing" / "sample_tests"


@pytest.mark.timeout(60)
def test_the_suite_does_not_collect_the_sample_tests():
    ini = configparser.ConfigParser()
    ini.read(ROOT / "pytest.ini")
    assert ini["pytest"]["testpaths"].split() == ["tests"]
    assert (SAMPLES / "pytest.ini").exists()          # run from there, they are their own project
    listed = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "tests/test_architecture.py"],
                            cwd=ROOT, capture_output=True, text=True, timeout=50).stdout
    assert "sample_tests" not in listed and "test_architecture.py" in listed


@pytest.mark.timeout(30)
def test_run_to_end_returns_the_exit_code_or_stops_at_the_bound(tmp_path):
    done = ManagedProcess("quick", [sys.executable, "-c", "raise SystemExit(3)"], tmp_path / "quick.log")
    assert done.run_to_end(10) == 3
    marker = f"lesson14-hang-{time.monotonic_ns()}"
    hung = ManagedProcess("hung", [sys.executable, "-c", f"import time  # {marker}\ntime.sleep(60)"],
                          tmp_path / "hung.log")
    began = time.monotonic()
    assert hung.run_to_end(0.5) is None
    assert time.monotonic() - began < 8 and not hung.alive() and not processes_matching(marker)
