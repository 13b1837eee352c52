#!/usr/bin/env python3
"""Celery Classroom (Celery 课堂): python runner.py --help"""
import sys

from classroom.cli import main

if __name__ == "__main__":
    sys.exit(main())
