"""Atom feeds: new solutions, the changelog of shipped ideas, each idea's status changes. Well-formed whatever
users wrote, dated by the content (not the build), with entry ids that stay the same from build to build."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from crowdcare.content.store import load_content
from crowdcare.site.feeds import feeds
from tests.builders import CONFIG, Repo, idea_text, solution_text

NS = {"a": "http://www.w3.org/2005/Atom"}
SITE = "https://acme.example/help/"
HOSTILE = 'Broken <script>alert(1)</script> & "quoted" text'


def community(repo: Repo, site_url: str | None = SITE) -> Repo:
    repo.config(community={**CONFIG["community"], **({"site_url": site_url} if site_url else {})})  # type: ignore[dict-item]
    repo.write("kb/sync/files-do-not-sync.md", solution_text(created="2026-01-02", updated="2026-01-03"))
    repo.write(
        "kb/sync/newer.md",
        solution_text(
            title=HOSTILE,
            source="https://github.com/acme/community/discussions/5",
            created="2026-03-01",
            updated="2026-03-02",
        ),
    )
    repo.write(
        "kb/sync/old-way.md",
        solution_text(
            status="superseded",
            title="The old way",
            source="https://github.com/acme/community/discussions/6",
            created="2026-04-01",
        ),
    )
    repo.write(
        "ideas/dark-mode.md",
        idea_text(
            status="shipped",
            shipped_in="4.11",
            decision={"by": "staffer", "on": "2026-05-06", "reason": "Shipped in 4.11."},
            history=[
                {"status": "planned", "on": "2026-04-01", "by": "staffer"},
                {"status": "shipped", "on": "2026-05-06", "by": "staffer"},
            ],
        ),
    )
    return repo


def parsed(repo: Repo) -> dict[str, ET.Element]:
    content = load_content(repo.root)
    assert content.config is not None
    documents = feeds(content, content.config).items()
    return {path: ET.fromstring(xml.encode()) for path, xml in documents}  # noqa: S314 (crowdcare's own output)


def titles(feed: ET.Element) -> list[str]:
    return [e.findtext("a:title", namespaces=NS) or "" for e in feed.findall("a:entry", NS)]


def test_new_solutions_newest_first_never_superseded_and_hostile_text_stays_text(repo: Repo) -> None:
    found = parsed(community(repo))
    solutions = found["feeds/solutions.xml"]
    assert titles(solutions) == [HOSTILE, "Files do not sync"]
    first = solutions.find("a:entry", NS)
    assert first is not None
    assert first.findtext("a:id", namespaces=NS) == SITE + "kb/sync/newer/"
    assert solutions.findtext("a:updated", namespaces=NS) == "2026-03-02T00:00:00Z"  # the content's date


def test_the_changelog_and_an_ideas_own_feed_share_stable_entry_ids(repo: Repo) -> None:
    found = parsed(community(repo))
    changelog, own = found["feeds/changelog.xml"], found["feeds/ideas/dark-mode.xml"]
    assert titles(changelog) == ["Dark mode: shipped in 4.11"]
    assert titles(own) == ["Dark mode: shipped in 4.11", "Dark mode: planned"]
    ids = [e.findtext("a:id", namespaces=NS) for e in own.findall("a:entry", NS)]
    assert ids == [SITE + "ideas/dark-mode/#status-1", SITE + "ideas/dark-mode/#status-0"]
    shipped = changelog.find("a:entry", NS)
    assert shipped is not None and shipped.findtext("a:id", namespaces=NS) == ids[0]


def test_without_a_site_url_there_are_no_feeds(repo: Repo) -> None:
    assert parsed(community(repo, site_url=None)) == {}
