"""Every message the code writes for people is in each shipped catalog, translated, with the same {fields}: a
catalog that lacks one, or a translation that drops or invents a field, fails here (and the English text would
leak into a German site, or ``str.format`` would raise in a bot comment)."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from crowdcare.core.i18n import LANGUAGES, LOCALES, Messages

PACKAGE = Path(__file__).resolve().parent.parent / "tools" / "crowdcare"


def code_messages() -> dict[str, tuple[str, ...]]:
    """msgid -> its plural forms (one for a plain message), as the code writes them: every call of ``tr``,
    ``config.tr``, ``self._tr`` or ``ngettext`` in the package, f-strings included (Babel's extractor does not
    look inside f-strings)."""
    found: dict[str, tuple[str, ...]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "i18n.py":
            continue  # the catalog's own machinery passes messages on
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            wanted = {"tr": 1, "_tr": 1, "ngettext": 2}.get(name)
            if wanted is None or not node.args:
                continue
            args = node.args[:wanted]
            where = f"{path.relative_to(PACKAGE)}:{node.lineno}"
            assert all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in args), (
                f"{where}: a message must be a string literal, or no catalog can hold it"
            )
            forms = tuple(str(a.value) for a in args if isinstance(a, ast.Constant))
            found[forms[0]] = forms
    return found


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_the_code_has_messages_to_translate() -> None:
    assert len(code_messages()) > 30  # the guard below would pass on an extractor that finds nothing


@pytest.mark.parametrize("language", sorted(set(LANGUAGES) - {"en"}))
def test_each_catalog_translates_every_message_with_the_same_fields(language: str) -> None:
    with (LOCALES / f"{language}.po").open("rb") as handle:
        catalog = read_po(handle, locale=language)
    missing, broken = [], []
    for msgid, forms in code_messages().items():
        entry = catalog.get(msgid)
        translated = entry.string if entry is not None else None
        texts = [t for t in ((translated,) if isinstance(translated, str) else tuple(translated or ()))]
        if entry is None or not all(texts) or entry.fuzzy:
            missing.append(msgid)
            continue
        wanted = set().union(*(fields(f) for f in forms)) - {"count"}
        if any(fields(t) - {"count"} != wanted for t in texts):
            broken.append(msgid)
    assert not missing, f"{language}.po lacks {len(missing)} message(s), e.g. {missing[:3]}"
    assert not broken, f"{language}.po changes the {{fields}} of {broken[:3]}"


def test_a_translation_that_drops_a_field_is_caught() -> None:
    assert fields("Danke, {asker}.") != fields("Thanks, {asker} and {team}.")


def test_messages_fall_back_to_english_and_fill_fields() -> None:
    german = Messages("de")
    assert german("a message no catalog has, {x}", x=1) == "a message no catalog has, 1"
    assert Messages("en")("Thanks for waiting, {asker}.", asker="@a") == "Thanks for waiting, @a."
