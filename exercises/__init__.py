"""Your exercise files: `python runner.py exercise 1` creates exercises/ex01_results.py here for you to edit.

The material lives with each lesson: lessons/lessonNN_*/exercise/starter.py (what `reset` restores),
solution.py (the reference answer) and check.py (what `check` runs), described by the [exercise]
table of that lesson's lesson.toml. The classroom exercises 21-24 have the same files and table in
classroom/exNN_*/ here.

CLASSROOM_EXERCISES_DIR (tests, or a teacher keeping each student's files elsewhere) puts another
folder first on this package's path, so `exercises.ex01_results` is found there, also by workers.
"""
import os

_elsewhere = os.environ.get("CLASSROOM_EXERCISES_DIR")
if _elsewhere:
    __path__.insert(0, os.path.abspath(_elsewhere))  # noqa: F821 - a package's own __path__
