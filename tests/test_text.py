"""Titles are one line of visible text: nothing invisible survives into a page, a <title>, a slug or a bot comment."""

from __future__ import annotations

import pytest

from crowdcare.core.text import inline, one_line, slug_from_title, strip_bad_chars
from crowdcare.site.markup import plain_title

# Each hides or fakes text in a title (the hostile review found 12 of these 19 surviving).
INVISIBLE = {
    "zero width joiner": "\u200d",
    "zero width non-joiner": "\u200c",
    "zero width space": "\u200b",
    "soft hyphen": "\u00ad",
    "invisible times": "\u2062",
    "word joiner": "\u2060",
    "mongolian vowel separator": "\u180e",
    "tag latin capital a": "\U000e0041",
    "cancel tag": "\U000e007f",
    "hangul filler": "\u3164",
    "halfwidth hangul filler": "\uffa0",
    "combining grapheme joiner": "\u034f",
    "interlinear annotation anchor": "\ufff9",
    "variation selector 16": "\ufe0f",
    "variation selector 17": "\U000e0100",
    "byte order mark": "\ufeff",
    "right-to-left override": "\u202e",
    "first strong isolate": "\u2068",
    "left-to-right mark": "\u200e",
}


@pytest.mark.parametrize("name", sorted(INVISIBLE))
def test_an_invisible_character_leaves_every_kind_of_title(name: str) -> None:
    title = f"Ex{INVISIBLE[name]}port to PDF"
    assert one_line(title) == "Export to PDF"
    assert inline(title) == "Export to PDF" and plain_title(title) == "Export to PDF"
    assert slug_from_title(title) == "export-to-pdf"


def test_line_and_paragraph_separators_become_spaces() -> None:
    assert one_line("Export\u2028to\u2029PDF\u0085now") == "Export to PDF now"


def test_bodies_keep_the_joiners_that_emoji_and_scripts_need() -> None:
    family, persian = "👨\u200d👩\u200d👧", "می\u200cخواهم"
    assert strip_bad_chars(f"{family} {persian}") == f"{family} {persian}"


def test_visible_text_in_any_script_stays() -> None:
    for title in ("Exportar a PDF", "PDFに書き出す", "Экспорт в PDF", "تصدير إلى PDF", "PDF로 내보내기"):
        assert one_line(title) == title
