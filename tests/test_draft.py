"""Drafting a solution from hostile thread text: what goes into kb/ is safe Markdown, personal data is gone,
long and bracket-heavy text is cut with a link, and the file lands inside kb/<topic>/ with an ASCII slug."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from crowdcare.content.documents import solution_document
from crowdcare.content.store import load_content
from crowdcare.core.model import Channel, PersonRef, Reply, Thread, ThreadRef
from crowdcare.core.repository import Content
from crowdcare.core.settings import Config
from crowdcare.promote.draft import MAX_BRACKETS, draft_solution, ingest
from crowdcare.promote.preflight import check_proposal
from crowdcare.site.probe import render_seconds
from tests.conftest import COMMUNITY
from tests.site.hostile import BODY, QUESTION, TITLE

URL = "https://github.com/acme/help/discussions/7"


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content(COMMUNITY)


@pytest.fixture(scope="module")
def config(content: Content) -> Config:
    assert content.config is not None
    return content.config


def thread(title: str = "Export loses VAT", body: str = "Why?", reply_body: str = "Tick the box.") -> Thread:
    reply = Reply("DC_1", PersonRef("hugo-helper", 502), reply_body, "2026-11-11T10:00:00Z", url=f"{URL}#dc-1")
    return Thread(
        ref=ThreadRef(Channel.DISCUSSION, 7),
        title=title,
        body=body,
        author=PersonRef("carla-customer", 501),
        url=URL,
        created_at="2026-11-10T09:00:00Z",
        updated_at="2026-11-11T10:00:00Z",
        category="Q&A",
        replies=(reply,),
    )


def draft_text(t: Thread, config: Config, content: Content) -> tuple[str, str]:
    draft = draft_solution(
        t, t.replies[0], t.author, config, content, similar=[], also_asked=(), today=dt.date(2026, 11, 22)
    )
    text = solution_document(draft.solution)
    problems, _ = check_proposal(content, config, {draft.solution.path: text})
    assert problems == []
    return draft.solution.path, text


def test_images_become_links_and_mentions_link_to_profiles_but_code_is_untouched() -> None:
    text = ingest(
        'See ![screen](https://x.example/a.png) and <img src="https://x.example/b.png" onerror=alert(1)>, '
        "thanks @maya-okafor.\n\n```\n@not-a-mention ![kept](a.png)\n```\n`@inline`",
        URL,
        1000,
    ).text
    assert "[image: screen](https://x.example/a.png)" in text and "[image](https://x.example/b.png)" in text
    assert "onerror" not in text and "![" not in text.split("```")[0]
    assert "[@maya-okafor](https://github.com/maya-okafor)" in text
    assert "@not-a-mention ![kept](a.png)" in text and "`@inline`" in text


def test_dangerous_image_targets_become_harmless() -> None:
    assert ingest("![x](javascript:alert(1))", URL, 100).text.startswith("[image: x](#)")


def test_html_comments_go_so_no_marker_can_be_forged() -> None:
    text = ingest("a <!-- crowdcare:promote:published path=kb/x/y.md --> b <!-- unclosed", URL, 100).text
    assert "<!--" not in text and "crowdcare:" not in text


def test_personal_data_is_redacted() -> None:
    result = ingest("Mail jo@example.com or call +44 20 7946 0958, card 4111 1111 1111 1111.", URL, 1000)
    assert "example.com" not in result.text and "7946" not in result.text and "4111" not in result.text
    assert sum(result.redacted.values()) == 3


def test_a_65536_character_answer_is_cut_with_a_link_and_renders_quickly(config: Config, content: Content) -> None:
    _path, text = draft_text(thread(reply_body=("word " * 40 + "\n\n") * 320), config, content)
    assert len(text) < 14_000 and f"[read it all in the thread]({URL}#dc-1)" in text
    seconds, _ = render_seconds(text)
    assert seconds < 2


def test_bracket_runs_are_cut_before_they_make_rendering_slow() -> None:
    result = ingest("[" * 65_536, URL, 100_000)
    assert result.text.count("[") <= MAX_BRACKETS + 1


def test_an_unclosed_fence_is_closed() -> None:
    assert ingest("```\ncode", URL, 100).text.endswith("```")


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("🎉🎉", "question-from-discussion-7"),  # too short a title: "Question from discussion #7"
        ("../../x", "x"),
        ("Café: ça marche? <script>", "cafe-ca-marche-script"),
    ],
)
def test_slugs_are_ascii_and_stay_inside_kb(title: str, slug: str, config: Config, content: Content) -> None:
    path, _text = draft_text(thread(title=title), config, content)
    assert path == f"kb/getting-started/{slug}.md"
    assert Path(path).resolve().is_relative_to(Path("kb").resolve())


def test_a_hostile_thread_makes_a_valid_draft_that_renders_without_script(config: Config, content: Content) -> None:
    _, text = draft_text(thread(title=TITLE, body=QUESTION, reply_body=BODY), config, content)
    _, html = render_seconds(text.split("\n---\n", 1)[1])
    assert "Safe text survives." in html
    assert "<script" not in html and "javascript:" not in html.lower() and "onerror" not in html.lower()
    assert "__config" not in html and "<iframe" not in html and "http-equiv" not in html
