#!/usr/bin/env python3
# -*- coding: utf-8 -*-
"""Celery Classroom (Celery 课堂): python runner.py --help"""
import sys

# The oldest Python the course runs on: the same as the guard line of requirements.txt
# (tests/test_versions.py keeps them equal). Checked before anything else is imported, in code that any
# Python 3 can read: on 3.9 pip would have installed Celery 5.6, on which half of the lessons fail.
MIN_PYTHON = (3, 10)

if sys.version_info < MIN_PYTHON:
    _found = sys.version.split()[0]
    _en = ("Celery Classroom needs Python %d.%d or newer (tested on 3.10-3.13); this is Python %s.\n"
           "Make a venv with a newer Python, e.g. python3.12 -m venv .venv, then pip install -r requirements.txt.\n"
           % (MIN_PYTHON + (_found,)))
    _zh = (u"Celery 课堂需要 Python %d.%d 或更新版本（已在 3.10-3.13 上测试）；当前是 Python %s。\n"
           u"请用更新的 Python 创建虚拟环境，例如 python3.12 -m venv .venv，再运行 pip install -r requirements.txt。\n"
           % (MIN_PYTHON + (_found,)))
    sys.stderr.write(_en)
    try:
        sys.stderr.write(_zh)
    except UnicodeError:  # a terminal that cannot show Chinese still gets the English
        pass
    sys.exit(1)

from classroom.cli import main  # noqa: E402 - after the version check, on purpose

if __name__ == "__main__":
    sys.exit(main())
