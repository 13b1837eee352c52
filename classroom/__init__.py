"""Celery Classroom engine: brokers, workers, bounded waits, lessons and the terminal UI."""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LESSONS_DIR = ROOT / "lessons"
