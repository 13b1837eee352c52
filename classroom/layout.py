"""Text laid out for narrow terminals (60-80 columns) and pipes, by rules rich does not have:

- a wrapped paragraph hangs under its first word, never at column 0 after a marker (▶, ✓, 💡);
- a command (`python runner.py ...`, `celery -A ...`) and a timing (`(0.07 s)`) never break; a
  command in `backticks` ends at the closing one and keeps both; a command longer than the whole line
  breaks between its words behind a shell line continuation (` \\`), so that no line runs past the
  width and pasting the lines into bash or zsh still runs the command;
- a code line too long for the terminal continues on the next line behind a ↪ marker, indented,
  so that a continuation can never be read as a line of code.
"""
from __future__ import annotations

import re

from rich.cells import cell_len
from rich.console import Console
from rich.syntax import Syntax
from rich.text import Text

_END = r"(?=$|\n|`|(?<!\.)\.(?:\s|$)|\s\(|[,;，；。、）)]|\s[-—–]\s|\s(?:and|or|then|to|if|in|for|with|says|or)\b|[\u4e00-\u9fff])"
UNBREAKABLE = re.compile(
    r"(?:python3? (?:runner\.py|-m|-c)|celery (?:--workdir|-A|multi|events|inspect|flower)|docker(?: compose)? \w|"
    r"bash \S|pip install|redis-cli|rabbitmqctl \S|sudo \S|brew \S|apt(?:-get)? \S|export [A-Z]|\$env:|set [A-Z]|"
    r"kill -)[^\n]*?" + _END + r'|eval "\$\([^"\n]*\)"'
    + r"|\(\d+(?:\.\d+)?\s(?:s|ms|秒|毫秒)\)|\d+(?:\.\d+)?\s(?:s|ms|秒|毫秒)(?![\w])"
)
CONTINUATION = "↪ "
SHELL_CONTINUATION = " \\"      # ends a line of a command too long for one line: bash and zsh join them


CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")
CLOSING = set("，。、；：！？）」』》,.;:!?)")
OPENING = set("（「『《(")


def breaks(plain: str, width: int) -> list[int]:
    """Where to start new lines: between words, between Chinese characters (closing punctuation stays
    with the character before it), never inside a command or a timing (UNBREAKABLE) that fits a line."""
    return [offset for offset, _ in _breaks(plain, width)]


def _breaks(plain: str, width: int) -> list[tuple[int, bool]]:
    """breaks(), each with whether it falls inside a command longer than the line (that line then
    ends with SHELL_CONTINUATION)."""
    protected = [m.span() for m in UNBREAKABLE.finditer(plain)]
    tokens: list[tuple[int, int]] = []
    i, n, k = 0, len(plain), 0
    while i < n:
        while k < len(protected) and protected[k][1] <= i:
            k += 1
        nxt = protected[k][0] if k < len(protected) else n
        if i == nxt:
            j = protected[k][1]
        elif plain[i].isspace():
            j = i
            while j < n and plain[j].isspace():
                j += 1
        elif CJK.match(plain[i]):
            j = i + 1
            while j < n and plain[j] in CLOSING:
                j += 1
        else:
            j = i
            while j < n and j < nxt and not plain[j].isspace() and not CJK.match(plain[j]):
                j += 1
        tokens.append((i, j))
        i = j
    tokens = _split_long_commands(plain, _glue(plain, tokens), width)
    offsets: list[tuple[int, bool]] = []
    used, filled = 0, False
    for a, b, inner in tokens:
        piece = plain[a:b]
        if piece.isspace():
            used += cell_len(piece)
            continue
        limit = width - len(SHELL_CONTINUATION) if inner is not None else width
        if filled and used + cell_len(piece) > limit:     # never leave a line with only its indent
            offsets.append((a, bool(inner)))
            used = 0
        used += cell_len(piece)
        filled = True
    return offsets


def _split_long_commands(plain: str, tokens: list[tuple[int, int]], room: int) -> list[tuple[int, int, bool | None]]:
    """(start, end, inner): a command longer than a whole line (`room`) becomes its words; inner is None for an ordinary
    token, False for a long command's first word, True for the words after it (a break before one of
    those is inside the command)."""
    out: list[tuple[int, int, bool | None]] = []
    for a, b in tokens:
        if cell_len(plain[a:b]) <= room or not re.search(r"\s", plain[a:b]):
            out.append((a, b, None))
            continue
        first = True
        for m in re.finditer(r"\s+|\S+", plain[a:b]):
            out.append((a + m.start(), a + m.end(), None if m.group().isspace() else not first))
            first = first and m.group().isspace()
    return out


def _opening_backtick(piece: str) -> bool:
    """`piece` is the opening backtick of inline code whose command was split off as its own token."""
    return re.fullmatch(r"[（「『《(]*`", piece) is not None


def _glue(plain: str, tokens: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """No line starts with closing punctuation and none ends with an opening one: "（acks_late）"
    stays whole, as Chinese typesetting (kinsoku) wants, also after a Latin word. The backticks around
    inline code stay with it."""
    out: list[tuple[int, int]] = []
    for a, b in tokens:
        if out and not plain[a:b].isspace() and not plain[out[-1][0]:out[-1][1]].isspace() and (
                plain[a] in CLOSING or plain[a] == "`" or plain[out[-1][1] - 1] in OPENING
                or _opening_backtick(plain[out[-1][0]:out[-1][1]])):
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def paragraph(console: Console, body: str | Text, prefix: str | Text = "", width: int | None = None) -> list[Text]:
    """`body` (markup or Text) wrapped to the console width, with `prefix` before the first line and
    the same width of blanks before the others."""
    text = Text.from_markup(body) if isinstance(body, str) else body.copy()
    head = Text.from_markup(prefix) if isinstance(prefix, str) else prefix
    room = max((width or console.width) - head.cell_len, 20 if width is None else 4)
    out: list[Text] = []
    for part in text.split("\n", allow_blank=True):
        found = _breaks(part.plain, room) if part.plain else []
        pieces = part.divide([offset for offset, _ in found]) if part.plain else [Text("")]
        inside = [False] + [inner for _, inner in found]     # whether each piece continues a command
        for i, line in enumerate(pieces):
            line.rstrip()
            if i + 1 < len(pieces) and inside[i + 1]:
                line.append(SHELL_CONTINUATION)
            lead = head if not out else Text(" " * head.cell_len)
            out.append(Text.assemble(lead, line))
    return out or [head]


class Wrapped:
    """A cell of a rich table laid out by `paragraph` at the column's width: Chinese breaks between
    characters and an English word stays whole, where rich alone would cut a run of Chinese with "…"."""

    def __init__(self, body: str, least: int = 10) -> None:
        self.body, self.least = body, least

    def __rich_measure__(self, console, options):
        from rich.measure import Measurement
        widest = max((cell_len(line) for line in Text.from_markup(self.body).plain.split("\n")), default=0)
        return Measurement(min(self.least, widest), widest)

    def __rich_console__(self, console, options):
        for line in paragraph(console, self.body, width=options.max_width):
            line.overflow = "fold"     # a word wider than the cell: folded, not cut
            yield line


def say(console: Console, body: str | Text, prefix: str | Text = "", style: str = "") -> None:
    """Print a paragraph laid out as above; lines are final, so the terminal's own wrap is the only one
    left (for a command longer than the whole line)."""
    for line in paragraph(console, body, prefix):
        if style:
            line.stylize(style)
        console.print(line, soft_wrap=True)


def _chars_within(plain: str, cells: int) -> int:
    """How many leading characters of `plain` fit in `cells` columns (a Chinese character takes 2)."""
    used = 0
    for i, ch in enumerate(plain):
        used += cell_len(ch)
        if used > cells:
            return max(i, 1)
    return len(plain)


def code(console: Console, source: str, theme: str = "ansi_dark") -> None:
    """A step's listing that fits the terminal: a long line continues behind ↪, indented past its own
    indentation, never at column 0; a trailing comment that does not fit goes on behind ↪ after its code."""
    for line in code_block(source, "python", console.width, theme, comments_above=False):
        console.print(line, soft_wrap=True)


SHELL_LEXERS = {"bash", "sh", "shell", "zsh", "console"}


def code_block(source: str, lexer: str, width: int, theme: str = "ansi_dark", comments_above: bool = True) -> list[Text]:
    """Code laid out for `width` columns, each wrapped line still safe to copy: a comment goes on in a
    comment (`# …`); a shell line goes on behind ` \\` (bash and zsh join the lines again), broken
    outside quotes; other code goes on behind ↪. A trailing comment that does not fit moves whole onto
    its own line above its code (`comments_above`, the notes' blocks), or goes on behind ↪ (a listing)."""
    width = max(width, 30)
    shell = lexer in SHELL_LEXERS
    highlighted = Syntax(source, lexer or "text", theme=theme, background_color="default").highlight(source)
    highlighted.rstrip()
    out: list[Text] = []
    for line in highlighted.split("\n", allow_blank=True):
        line.rstrip()
        plain = line.plain
        indent = len(plain) - len(plain.lstrip(" "))
        mark = _trailing_comment(plain) if comments_above and line.cell_len > width else -1
        if mark > indent:
            out.extend(_fit(Text(" " * indent) + _lstripped(line[mark:]), width, shell))
            line = line[:mark]
            line.rstrip()
        out.extend(_fit(line, width, shell))
    return out


def _lstripped(text: Text) -> Text:
    return text[len(text.plain) - len(text.plain.lstrip(" ")):]


def _quoted(plain: str) -> list[str]:
    """For each character: "'" inside single quotes, '"' inside double quotes, "" outside (shell rules)."""
    state, out, escaped = "", [], False
    for ch in plain:
        if escaped:
            escaped = False
        elif ch == "\\" and state != "'":
            escaped = True
        elif ch in "'\"" and state in ("", ch):
            state = "" if state == ch else ch
        out.append(state)
    return out


def _trailing_comment(plain: str) -> int:
    """Where a trailing `# comment` starts (outside quotes), or -1."""
    quoted = _quoted(plain)
    for i in range(1, len(plain)):
        if plain[i] == "#" and plain[i - 1] == " " and not quoted[i] and plain[:i].strip():
            return i
    return -1


def _fit(line: Text, width: int, shell: bool) -> list[Text]:
    plain = line.plain
    indent = len(plain) - len(plain.lstrip(" "))
    if line.cell_len <= width:
        return [line]
    comment = plain.lstrip().startswith("#")
    if comment:                                              # a comment goes on as a comment
        lead, tail, dim = " " * indent + "# ", "", False
    elif shell:
        lead, tail, dim = " " * min(indent + 4, width // 3), SHELL_CONTINUATION, False
    else:
        lead, tail, dim = " " * min(indent + 4, width // 3), "", True
    out: list[Text] = []
    first = True
    while True:
        room = width - (0 if first else cell_len(lead) + (2 if dim else 0))
        if line.cell_len <= room:
            break
        room -= len(tail)
        limit = _chars_within(line.plain, room)
        quoted = _quoted(line.plain) if shell and not comment else [""] * len(line.plain)
        start = (indent if first else 0) + 8
        spaces = [i for i in range(1, min(limit + 1, len(line.plain))) if line.plain[i] == " "]
        late = [i for i in spaces if i >= start]
        if shell and not comment:   # outside quotes; in double quotes bash drops the ` \` too; never in single
            choices = next((found for found in ([i for i in late if not quoted[i]], [i for i in spaces if not quoted[i]],
                                                [i for i in late if quoted[i] == '"'],
                                                [i for i in spaces if quoted[i] == '"']) if found), [])
            if not choices:
                break               # one quoted word longer than the line: the terminal wraps it
        else:                       # a trailing comment moves down whole when its code fits the line
            mark = _trailing_comment(line.plain) if first else -1
            choices = [mark] if start < mark <= limit else late or [limit]
        cut = choices[-1]
        head, line = line[:cut], _lstripped(line[cut:])
        head.rstrip()
        out.append(_continued(head, lead, dim, first) + Text(tail))
        first = False
    out.append(_continued(line, lead, dim, first))
    return out


def _continued(text: Text, lead: str, dim: bool, first: bool) -> Text:
    if first:
        return text
    return Text.assemble(lead, (CONTINUATION, "dim") if dim else "", text)
