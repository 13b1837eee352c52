"""Every sentence a learner reads, in English and Chinese, keyed by id.

Each module in this package holds the table for one area (``MESSAGES = {id: {"en": ..., "zh": ...}}``);
they are merged here so that code only ever calls ``t(id, **values)`` and never branches on language.
"""
from __future__ import annotations

import importlib
import locale
import os
import pkgutil

LANGS = ("en", "zh")
LANG_ENV = "CLASSROOM_LANG"

MESSAGES: dict[str, dict[str, str]] = {}
for _info in pkgutil.iter_modules(__path__):
    _table = importlib.import_module(f"{__name__}.{_info.name}").MESSAGES
    _clash = MESSAGES.keys() & _table.keys()
    if _clash:
        raise RuntimeError(f"message ids defined twice: {sorted(_clash)}")
    MESSAGES.update(_table)

_lang: str | None = None


def detect_lang() -> str:
    """CLASSROOM_LANG, else the locale: zh* means Chinese, anything else English."""
    wanted = os.environ.get(LANG_ENV, "").strip().lower()
    if wanted:
        return "zh" if wanted.startswith("zh") else "en"
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    try:
        loc = locale.getlocale()[0] or ""
    except ValueError:
        loc = ""
    return "zh" if loc.lower().startswith("zh") else "en"


def set_lang(lang: str | None) -> str:
    global _lang
    _lang = lang if lang in LANGS else detect_lang()
    return _lang


def get_lang() -> str:
    return _lang or set_lang(None)


def t(key: str, lang: str | None = None, **values: object) -> str:
    """The message `key` in the current language, formatted with `values`."""
    entry = MESSAGES[key]
    text = entry[lang or get_lang()]
    return text.format(**values) if values else text


def pick(pair: dict[str, str] | str) -> str:
    """Choose from an inline {"en": ..., "zh": ...} pair (lesson manifests and steps use these)."""
    if isinstance(pair, str):
        return pair
    return pair.get(get_lang()) or pair["en"]


FULL_WIDTH_END = tuple("。，、：；！？）」』】")


def gap(before: str) -> str:
    """What goes between a sentence and the next: a space, or nothing after full-width punctuation
    (Chinese puts none there: "跳过：这一步", not "跳过： 这一步")."""
    return "" if before.rstrip().endswith(FULL_WIDTH_END) else " "


def sentences(*parts: str) -> str:
    """Sentences in a row, each `gap` apart; empty parts are left out."""
    out = ""
    for part in (p.strip() for p in parts if p and p.strip()):
        out = out + gap(out) + part if out else part
    return out
