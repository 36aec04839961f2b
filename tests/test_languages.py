"""A community in German (`language: de`): the pages crowdcare generates and the comments its bot posts are in
German from the catalog, user text is left as written, and an English community is unchanged."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from crowdcare.content.config import load_config
from crowdcare.content.store import load_content
from crowdcare.core.model import Channel, PersonRef, Thread, ThreadKind, ThreadRef
from crowdcare.intake.take_in import compose_reply
from crowdcare.respond.facts import facts_of
from crowdcare.respond.guarantee import Rotation
from crowdcare.respond.rules import plan
from crowdcare.site.pages import render_pages
from tests.builders import Repo
from tests.conftest import COMMUNITY

# Words that only an untranslated English page or comment would have (user text in the fixtures has none).
ENGLISH = re.compile(r"\b(the|votes|asked|Solutions|Contributors|Waiting|Thanks|answer)\b")


def german(sample_repo: Repo) -> dict[str, str]:
    sample_repo.config(language="de")
    return render_pages(load_content(sample_repo.root), [], dt.date(2026, 11, 2))


def test_generated_pages_are_german(sample_repo: Repo) -> None:
    pages = german(sample_repo)
    assert "# Lösungen" in pages["solutions/index.md"]
    assert "Ideenwand" in pages["board/index.md"] and "Nach Status filtern" in pages["board/index.md"]
    assert "## Die Frage" in pages["kb/sync/files-do-not-sync.md"]
    assert "-mal gefragt" in pages["kb/sync/files-do-not-sync.md"]
    assert "# Bestenliste" in pages["leaderboard.md"] and "# Roadmap" in pages["roadmap.md"]
    assert 'title="Teammitglied"' in pages["index.md"]  # the staff mark's title is a message too
    for path in ("index.md", "solutions/index.md", "board/index.md", "leaderboard.md", "roadmap.md", "changelog.md"):
        chrome = re.sub(r"\[[^\]]*\]\([^)]*\)", "", pages[path])  # links carry user titles
        chrome = re.sub(r"^---.*?---", "", chrome, flags=re.DOTALL)
        assert not ENGLISH.search(chrome), f"{path}: English left: {ENGLISH.search(chrome)}"


def test_an_english_community_is_unchanged(sample_repo: Repo) -> None:
    pages = render_pages(load_content(sample_repo.root), [], dt.date(2026, 11, 2))
    assert "# Solutions" in pages["solutions/index.md"] and "Lösungen" not in pages["solutions/index.md"]


def test_bot_comments_are_german() -> None:
    loaded, _ = load_config(COMMUNITY)
    assert loaded is not None
    config = replace(loaded, language="de")
    thread = Thread(
        ref=ThreadRef(Channel.DISCUSSION, 1),
        title="Export",
        body="How?",
        author=PersonRef("carla", 5),
        url="https://github.com/o/r/discussions/1",
        created_at="2026-11-16T09:00:00Z",
        updated_at="2026-11-16T09:00:00Z",
        category="Q&A",
    )
    reply = compose_reply(thread, ThreadKind.QUESTION, config)
    assert reply.startswith("Danke für Ihre Frage, @carla.") and "**Wie es weitergeht:**" in reply
    now = dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC)
    rotation = Rotation(config)
    actions = plan(thread, facts_of(thread, config, "bot"), config, now, rotation.peek())
    bodies = [a.comment or "" for a in actions]
    assert any(b.startswith("Danke für Ihre Geduld, @carla.") for b in bodies)
    assert any("crowdcare-Regel `responses.escalate`" in b for b in bodies)
    assert all("<!-- crowdcare:respond:" in b for b in bodies)  # markers stay as they are: they are not words
