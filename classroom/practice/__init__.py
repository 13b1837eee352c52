"""Exercises: the manifest (catalog), how checks are written (checks), the check child process (child)
and the runner's side of it (runner), and the learner's progress (progress)."""
