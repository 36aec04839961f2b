"""Page generation: a pure function from content to {path: Markdown}, checked against golden files."""

from __future__ import annotations

import posixpath
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crowdcare.content.store import load_content
from crowdcare.core.errors import ContentError
from crowdcare.core.text import close_open_fence, inline
from crowdcare.site.markup import block, plain_title, relative, thread_label
from crowdcare.site.pages import render_pages
from tests.builders import Repo, solution_text


def _pages(repo: Repo) -> dict[str, str]:
    return render_pages(load_content(repo.root))


def test_pages_match_the_golden_files(sample_repo: Repo, golden: Callable[[str, str], None]) -> None:
    """Every generated page of the small sample, as reviewed Markdown (refresh with --update-golden)."""
    pages = _pages(sample_repo)
    combined = "".join(f"==> {path} <==\n{text}\n" for path, text in pages.items())
    golden("sample-pages.md", combined)


def test_the_same_content_gives_the_same_pages(sample_repo: Repo) -> None:
    assert _pages(sample_repo) == _pages(sample_repo)


def test_every_kind_of_page_is_generated(sample_repo: Repo) -> None:
    pages = _pages(sample_repo)
    for path in [
        "index.md",
        "solutions/index.md",
        "solutions/sync/index.md",
        "kb/sync/files-do-not-sync.md",
        "tags/index.md",
        "tags/sync/index.md",
        "board/index.md",
        "board/shipped/index.md",
        "ideas/offline.md",
        "roadmap.md",
        "contributors/index.md",
        "people/staffer.md",
        "people/asker1.md",
    ]:
        assert path in pages, path


def test_staff_are_marked_and_customers_are_not(sample_repo: Repo) -> None:
    page = _pages(sample_repo)["kb/sync/files-do-not-sync.md"]
    [asker] = [line for line in page.splitlines() if "@asker1" in line]
    [staff] = [line for line in page.splitlines() if "@staffer" in line]
    assert 'class="cc-staff"' in staff and "answerer" in staff
    assert "cc-staff" not in asker and "asker" in asker


def test_staff_are_recognised_by_numeric_id_after_a_rename(repo: Repo) -> None:
    """Logins change; the roster's id still marks the person as staff."""
    repo.write(
        "kb/sync/files-do-not-sync.md",
        solution_text(
            contributors=[
                {"login": "asker1", "id": 1, "role": "asker"},
                {"login": "new-name", "id": 100, "role": "answerer"},
            ]
        ),
    )
    page = _pages(repo)["kb/sync/files-do-not-sync.md"]
    assert 'class="cc-staff"' in next(line for line in page.splitlines() if "@new-name" in line)


def test_solution_page_shows_question_badge_bucket_and_links(sample_repo: Repo) -> None:
    page = _pages(sample_repo)["kb/billing/refund.md"]
    assert '<blockquote class="cc-user">\n<p>My files stopped syncing yesterday.</p>\n</blockquote>' in page
    assert "Official answer" in page
    assert "Asked 2 times" in page
    assert '<li><a href="https://github.com/acme/community/discussions/7">Discussion #7</a></li>' in page
    assert "View the source thread" in page and "Ask a new question" in page
    assert "[Files do not sync](../sync/files-do-not-sync.md)" in page  # related


def test_listings_are_paginated_with_links_both_ways(repo: Repo) -> None:
    for n in range(12):
        repo.write(
            f"kb/sync/item-{n:02}.md",
            solution_text(
                title=f"Problem number {n:02}", source=f"https://github.com/acme/community/discussions/{n + 100}"
            ),
        )
    pages = _pages(repo)
    assert {p for p in pages if p.startswith("solutions/sync/")} == {
        "solutions/sync/index.md",
        "solutions/sync/page-2.md",
        "solutions/sync/page-3.md",
    }
    assert "Page 1 of 3" in pages["solutions/sync/index.md"] and "(page-2.md)" in pages["solutions/sync/index.md"]
    middle = pages["solutions/sync/page-2.md"]
    assert "[← Previous](index.md)" in middle and "[Next →](page-3.md)" in middle
    assert sum(line.startswith("- [") for line in pages["solutions/sync/page-3.md"].splitlines()) == 2


def test_drafts_are_not_published(sample_repo: Repo) -> None:
    sample_repo.write(
        "kb/sync/draft.md",
        solution_text(title="Half written", status="draft", source="https://github.com/acme/community/discussions/77"),
    )
    pages = _pages(sample_repo)
    assert "kb/sync/draft.md" not in pages
    assert not any("Half written" in text for text in pages.values())


def test_idea_board_is_sorted_by_votes_and_filters_by_status(sample_repo: Repo) -> None:
    pages = _pages(sample_repo)
    board = pages["board/index.md"]
    assert board.index("Offline mode") < board.index("Dark mode")
    shipped = pages["board/shipped/index.md"]
    assert "Offline mode" in shipped and "Dark mode" not in shipped
    assert "**Shipped**" in shipped  # the current filter is shown, not linked


def test_roadmap_lists_shipped_with_date_and_release(sample_repo: Repo) -> None:
    roadmap = _pages(sample_repo)["roadmap.md"]
    assert "- 2026-03-01: [Offline mode](ideas/offline.md), shipped in 2.0" in roadmap


def test_content_with_findings_is_refused(sample_repo: Repo) -> None:
    sample_repo.write(
        "kb/sync/bad.md", solution_text(status="nope", source="https://github.com/acme/community/discussions/9")
    )
    with pytest.raises(ContentError, match="CC115"):
        _pages(sample_repo)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a *b* [c](d) <e> C# x-y 1.5", "a \\*b\\* \\[c\\]\\(d\\) &lt;e&gt; C\\# x-y 1.5"),
        ("line\nbreak", "line break"),
        ("bidi\u202eend", "bidiend"),
    ],
)
def test_inline_user_text_carries_no_markup(text: str, expected: str) -> None:
    assert inline(text) == expected


def test_titles_for_metadata_lose_markup_characters() -> None:
    assert plain_title('a </title><script>alert("x")</script>') == "a /titlescriptalert(x)/script"


def test_an_unclosed_code_fence_is_closed() -> None:
    assert close_open_fence("text\n```python\ncode").endswith("code\n```")
    assert close_open_fence("````\na\n```\nb") == "````\na\n```\nb\n````"
    assert close_open_fence("```\nclosed\n```") == "```\nclosed\n```"
    rendered = block("text\n```python\ncode")
    assert "<code>" in rendered and rendered.endswith("</code></pre></div><p></p>\n</div>")


def test_thread_labels() -> None:
    assert thread_label("https://github.com/o/r/discussions/12") == "Discussion #12"
    assert thread_label("https://github.com/o/r/issues/3#issuecomment-1") == "Issue #3"
    assert thread_label("https://example.com/x") == "https://example.com/x"


_folders = st.lists(st.sampled_from(["kb", "sync", "people", "tags", "a"]), max_size=3)
_file = st.sampled_from(["index.md", "x.md", "page-2.md"])


@given(_folders, _file, _folders, _file)
def test_relative_links_agree_with_posixpath(target: list[str], tfile: str, here: list[str], hfile: str) -> None:
    """Links always go from a page to a page (.md files), never to a folder."""
    t, h = "/".join([*target, tfile]), "/".join([*here, hfile])
    assert relative(t, h) == posixpath.relpath(t, posixpath.dirname(h) or ".")


def test_the_triage_page_can_be_kept_private(sample_repo: Repo) -> None:
    import json as _json

    from crowdcare.content.store import load_content
    from crowdcare.site.pages import render_pages

    record = {"thread": "discussion #9", "url": "https://github.com/acme/community/discussions/9",
              "title": "Secret backlog item", "asked_at": "2026-11-01T00:00:00Z", "status": "needs-staff",
              "holder": "staffer"}  # fmt: skip
    sample_repo.write(
        "metrics/responses.json", _json.dumps({"format": 1, "updated_at": "2026-11-02T00:00:00Z", "records": [record]})
    )
    assert "Secret backlog item" in render_pages(load_content(sample_repo.root))["triage.md"]
    sample_repo.config(site={"page_size": 5, "triage": False})
    private = render_pages(load_content(sample_repo.root))["triage.md"]
    assert "Secret backlog item" not in private and "site.triage: false" in private and "staffer" not in private
