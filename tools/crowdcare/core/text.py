"""Text hygiene shared by every layer: what we strip from hostile input and how we make slugs."""

from __future__ import annotations

import re
import unicodedata

from slugify import slugify

# Bidi embedding/override/isolate controls (Trojan Source, CVE-2021-42574) and invisible format characters.
_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
_INVISIBLE = "\u200b\u2060\ufeff"
_BAD_CHARS = re.compile("[" + re.escape(_BIDI + _INVISIBLE) + r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f" + "]")

_FENCE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})", re.MULTILINE)

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_SLUG = 80


def find_bad_char(text: str) -> tuple[int, int, str] | None:
    """Return (line, column, name) of the first control or bidi character in ``text``, or None.

    Tabs, newlines and carriage returns are allowed; everything else in Cc and the bidi controls is not.
    """
    match = _BAD_CHARS.search(text)
    if match is None:
        return None
    line = text.count("\n", 0, match.start()) + 1
    column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
    char = match.group()
    name = unicodedata.name(char, f"U+{ord(char):04X}")
    return line, column, f"{name} (U+{ord(char):04X})"


def strip_bad_chars(text: str) -> str:
    """Remove control and bidi characters, keeping tabs and newlines."""
    return _BAD_CHARS.sub("", text)


# Characters that show nothing in a line of text (a title, a name), used to make two titles look alike or to hide
# text: joiners, soft hyphen, invisible operators, fillers, the combining grapheme joiner, interlinear annotation
# marks, variation selectors with nothing to vary and tag characters. Bodies keep them (emoji sequences and some
# scripts need joiners); a title does without.
_INVISIBLE_IN_A_LINE = re.compile(
    "[\u00ad\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f"
    "\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0000-\U000e007f\U000e0100-\U000e01ef]"
)
_LINE_BREAKS = re.compile("[\u2028\u2029\u0085]")


def one_line(text: str) -> str:
    """User text for one line (a title): no control, bidi or invisible characters, line and paragraph separators
    as spaces, runs of white space as one."""
    text = _LINE_BREAKS.sub(" ", text)
    return " ".join(_INVISIBLE_IN_A_LINE.sub("", strip_bad_chars(text)).split())


def slug_from_title(title: str, *, fallback: str = "untitled") -> str:
    """An ASCII slug for a title: lowercase, hyphenated, at most 80 characters; ``fallback`` if nothing is left.

    A title of only emoji or ``../../x`` gives a plain slug: path separators and dots never survive.
    """
    slug = slugify(one_line(title), max_length=MAX_SLUG, word_boundary=True, separator="-")
    return slug if SLUG_RE.match(slug) else fallback


def is_slug(name: str) -> bool:
    """True for names ``slug_from_title`` could produce."""
    return len(name) <= MAX_SLUG and SLUG_RE.match(name) is not None


def close_open_fence(text: str) -> str:
    """``text`` with an unclosed code fence closed, so it cannot swallow what is placed after it."""
    open_fence: str | None = None
    for fence in _FENCE.findall(text):
        if open_fence is None:
            open_fence = fence
        elif fence[0] == open_fence[0] and len(fence) >= len(open_fence):
            open_fence = None
    return text + "\n" + open_fence if open_fence is not None else text


# Characters that start markup anywhere in a line. Python-Markdown can unescape each of them (its ESCAPED_CHARS,
# plus "|" from tables); "-", "+", "." and ">" only matter at a line start, where inline text is never placed,
# and escaping them would leave visible backslashes in `crowdcare pages` output. "#" is escaped because a
# heading drops trailing hashes ("C#" would become "C").
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#!|])")


def inline(text: str) -> str:
    """User text made safe to place inline in Markdown: no markup, no HTML, one line."""
    text = one_line(text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return _MD_SPECIAL.sub(r"\\\1", text)
