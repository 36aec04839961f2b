"""What search engines read: QAPage JSON-LD that no user text can break out of, an escaped description, and a
sitemap without the pages that only redirect."""

from __future__ import annotations

import datetime as dt
import html
import json
import re

from crowdcare.core.model import Contributor, PersonRef, Role, Solution, SolutionStatus
from crowdcare.site.structured import description, json_ld_script, qa_page, without_pages

HOSTILE = '</script><script>alert("XSS")</script> & "quotes" \u2028'


def solution(**changes: object) -> Solution:
    fields: dict[str, object] = {
        "path": "kb/sync/files.md",
        "topic": "sync",
        "slug": "files",
        "title": "Files do not sync",
        "question": "My files stopped syncing.",
        "status": SolutionStatus.ACCEPTED,
        "tags": (),
        "contributors": (
            Contributor(PersonRef("asker1", 1), Role.ASKER),
            Contributor(PersonRef("helper", 2), Role.ANSWERER),
        ),
        "source": "https://github.com/acme/c/discussions/1",
        "also_asked": (),
        "created": dt.date(2026, 1, 2),
        "updated": dt.date(2026, 1, 3),
        "body": "Restart the sync client.",
    }
    return Solution(**{**fields, **changes})  # type: ignore[arg-type]


def test_a_solution_is_a_qapage_with_its_question_and_accepted_answer() -> None:
    data = qa_page(solution(), "https://example.org/kb/sync/files/")
    question = data["mainEntity"]
    assert data["@type"] == "QAPage" and question["name"] == "Files do not sync"
    assert question["author"]["name"] == "asker1" and question["answerCount"] == 1
    assert question["acceptedAnswer"]["text"] == "Restart the sync client."
    assert question["acceptedAnswer"]["author"]["name"] == "helper"


def test_user_text_cannot_close_the_json_ld_script_and_still_reads_back() -> None:
    data = qa_page(solution(title=HOSTILE, body=HOSTILE), "https://example.org/x/")
    script = json_ld_script(data)
    inner = re.fullmatch(r'<script type="application/ld\+json">(.*)</script>', script, re.DOTALL)
    assert inner is not None and "<" not in inner[1] and ">" not in inner[1] and "&" not in inner[1]
    assert json.loads(inner[1])["mainEntity"]["name"].startswith('</script><script>alert("XSS")')


def test_the_description_is_escaped_for_the_attribute_the_theme_prints_it_in() -> None:
    text = description(solution(question=HOSTILE + " " + "word " * 100))
    assert '"' not in text and "<" not in text and len(html.unescape(text)) <= 300
    assert text.startswith("&lt;/script&gt;")


def test_the_sitemap_loses_only_the_redirecting_pages() -> None:
    sitemap = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<urlset>\n'
        "    <url>\n         <loc>https://e.org/kb/a/old/</loc>\n    </url>\n"
        "    <url>\n         <loc>https://e.org/kb/a/new/</loc>\n    </url>\n</urlset>"
    )
    kept = without_pages(sitemap, ["https://e.org/kb/a/old/"])
    assert "kb/a/old/" not in kept and "<loc>https://e.org/kb/a/new/</loc>" in kept and kept.endswith("</urlset>")
