"""Site search's theme parts: the header's plain search form is a copy of Material's header with one part
replaced, so a Material upgrade that changes its header must be noticed (and the copy made again)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import material  # type: ignore[import-untyped]

from tests.conftest import REPO_ROOT

OURS = REPO_ROOT / "tools" / "crowdcare" / "site" / "theme" / "partials" / "header.html"


THEIRS = Path(material.__file__).parent / "templates" / "partials" / "header.html"


def copied_from(ours: str, theirs: bytes) -> bool:
    """Whether our override records the digest of this Material header."""
    recorded = re.search(r"sha256 ([0-9a-f]{64})", ours)
    return recorded is not None and hashlib.sha256(theirs).hexdigest() == recorded.group(1)


def test_the_header_override_is_a_copy_of_the_installed_materials_header() -> None:
    assert copied_from(OURS.read_text("utf-8"), THEIRS.read_bytes()), (
        "Material's partials/header.html changed: copy it to overrides/partials/header.html again, replace its "
        "search dialog by the form, and record the new sha256"
    )


def test_the_header_sends_words_to_the_search_page_and_loads_no_search_script() -> None:
    header = OURS.read_text("utf-8")
    assert re.search(r'<form class="cc-header-search" action="\{\{ \'search/\' \| url \}\}" method="get"', header)
    assert 'name="q"' in header and "<script" not in header and "material/search" not in header


def test_the_guard_fails_on_a_changed_header_or_a_missing_record() -> None:
    theirs = THEIRS.read_bytes()
    assert not copied_from(OURS.read_text("utf-8"), theirs.replace(b"md-header", b"md-headr", 1))
    assert not copied_from("{#- no digest recorded -#}", theirs)
