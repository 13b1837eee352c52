"""Your exercise files: `python runner.py exercise 1` creates exercises/ex01_results.py here for you to edit.

The pristine material lives next to them: _starters/ (what `reset` restores), _solutions/ (the
reference answers) and _checks/ (what `check` runs). The list of exercises is index.toml.

CLASSROOM_EXERCISES_DIR (tests, or a teacher keeping each student's files elsewhere) puts another
folder first on this package's path, so `exercises.ex01_results` is found there, also by workers.
"""
import os

_elsewhere = os.environ.get("CLASSROOM_EXERCISES_DIR")
if _elsewhere:
    __path__.insert(0, os.path.abspath(_elsewhere))  # noqa: F821 - a package's own __path__
