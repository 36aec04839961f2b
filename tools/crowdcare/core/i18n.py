"""Every word crowdcare writes for people, in the community's language (``language:`` in crowdcare.yml).

The English text in the code is the message id; ``locales/<language>.po`` holds the translations, in gettext's
format, read with Babel (what MkDocs-Material and Sphinx use), so translators work with the usual tools (Poedit,
Weblate, ``pybabel``). Messages are format strings with named fields: ``tr("Thanks, {asker}.", asker=...)``; a
translation must keep every field (a test checks each catalog against the code: nothing missing, no field lost).

Shipped: English (the code's own text) and German. A message a catalog lacks falls back to English.
"""

from __future__ import annotations

import datetime as dt
import gettext
import io
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALES = Path(__file__).parent / "locales"
LANGUAGES = {"en": "English", "de": "Deutsch"}  # code -> name; the codes are Material's theme.language too
DEFAULT = "en"


@cache
def catalog(language: str) -> gettext.NullTranslations:
    """The translations of ``language`` (English: the code's own text)."""
    if language == DEFAULT:
        return gettext.NullTranslations()
    if language not in LANGUAGES:
        raise ValueError(f"no message catalog for language {language!r} (shipped: {', '.join(sorted(LANGUAGES))})")
    with (LOCALES / f"{language}.po").open("rb") as handle:
        read = read_po(handle, locale=language)
    compiled = io.BytesIO()
    write_mo(compiled, read)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


@dataclass(frozen=True)
class Messages:
    """``tr(message, **fields)``: the message in the language, its fields filled in."""

    language: str = DEFAULT

    def __call__(self, message: str, /, **fields: object) -> str:
        text = catalog(self.language).gettext(message)
        return text.format(**fields) if fields else text

    def ngettext(self, singular: str, plural: str, count: int, /, **fields: object) -> str:
        """The form for ``count`` (``{count}`` is filled in too)."""
        return catalog(self.language).ngettext(singular, plural, count).format(count=count, **fields)


def messages(language: str | None) -> Messages:
    return Messages(language or DEFAULT)


ENGLISH = Messages()


# The pages of a site build are written in one language: ``render_pages`` (and the plugin's other pages) run inside
# ``translating(config.tr)``, and the page builders call ``tr`` and ``ngettext`` below without passing it around.
_CURRENT: ContextVar[Messages] = ContextVar("crowdcare_messages", default=ENGLISH)


@contextmanager
def translating(messages: Messages) -> Iterator[None]:
    token = _CURRENT.set(messages)
    try:
        yield
    finally:
        _CURRENT.reset(token)


def tr(message: str, /, **fields: object) -> str:
    """``message`` in the language of the pages being built (see ``translating``)."""
    return _CURRENT.get()(message, **fields)


def ngettext(singular: str, plural: str, count: int, /, **fields: object) -> str:
    return _CURRENT.get().ngettext(singular, plural, count, **fields)


def current_language() -> str:
    return _CURRENT.get().language


def month_year(day: dt.date) -> str:
    """ "November 2026" in the language of the pages being built."""
    return format_date(day, "MMMM y", locale=current_language())
