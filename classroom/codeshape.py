"""The shape of a code block: its code without comments and with every string literal alike.

The Chinese notes translate the comments (and string literals, such as a printed label) in their
code blocks; the code itself must stay the same as in the English notes. The curriculum lint compares
the shapes of the two languages' blocks (tests/helpers.py: assert_notes_match).
"""
from __future__ import annotations

import io
import re
import tokenize

SHELLS = {"bash", "sh", "shell", "console", "powershell", "toml", "ini"}
PYTHONS = {"python", "py", "python3", "pycon"}
_QUOTED = re.compile(r'"(?:\\.|[^"\\])*"|\'[^\']*\'')


def fence_language(block: str) -> str:
    return block.split("\n", 1)[0].strip("`").strip().lower()


def shape(block: str) -> str | None:
    """The comparable shape of a fenced block, or None for text (a diagram, output): those may differ
    between the languages (they are labelled in each language)."""
    lang = fence_language(block)
    body = block.split("\n", 1)[1].rsplit("```", 1)[0] if "\n" in block else ""
    if lang in PYTHONS:
        return _python(body)
    if lang in SHELLS:
        return "\n".join(_shell_line(line) for line in body.splitlines() if _shell_line(line))
    return None


def _python(body: str) -> str:
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(body).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return "\n".join(_shell_line(line) for line in body.splitlines() if _shell_line(line))
    kept = []
    for tok in tokens:
        if tok.type in (tokenize.COMMENT, tokenize.NL):
            continue
        kept.append("STR" if tok.type == tokenize.STRING else tok.string)
    return " ".join(kept)


def _shell_line(line: str) -> str:
    line = _QUOTED.sub("STR", line)
    if line.lstrip().startswith("#"):
        return ""
    return re.split(r"\s#", line, maxsplit=1)[0].rstrip()
