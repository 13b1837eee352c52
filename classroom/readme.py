"""The READMEs' lesson tables come from the lesson manifests: `python -m classroom.readme` rewrites them.

The table sits between `<!-- lessons:start -->` and `<!-- lessons:end -->`; tests/test_docs.py fails
when it differs from what the manifests say.
"""
from __future__ import annotations

import re

from classroom import ROOT, catalog

START, END = "<!-- lessons:start -->", "<!-- lessons:end -->"
HEADERS = {"en": "| # | Lesson | You will see |", "zh": "| # | 课程 | 你将看到 |"}


def readme_path(lang: str):
    return ROOT / ("README.zh-CN.md" if lang == "zh" else "README.md")


def lesson_table(lang: str) -> str:
    rows = [HEADERS[lang], "| --- | --- | --- |"]
    rows += [f"| {l.number} | {l.title[lang]} | {l.summary[lang]} |" for l in catalog.lessons()]
    return "\n".join(rows)


def current_table(lang: str) -> str:
    text = readme_path(lang).read_text(encoding="utf-8")
    return text.split(START, 1)[1].split(END, 1)[0].strip()


def sync() -> None:
    for lang in ("en", "zh"):
        path = readme_path(lang)
        text = path.read_text(encoding="utf-8")
        text = re.sub(re.escape(START) + r".*?" + re.escape(END), f"{START}\n{lesson_table(lang)}\n{END}",
                      text, flags=re.S)
        path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    sync()
