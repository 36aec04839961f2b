"""What search engines read besides the page: QAPage structured data (JSON-LD) for a solution, its description,
and the sitemap without the pages that only send readers elsewhere.

Everything here carries user text into places HTML escaping does not reach: a JSON-LD script and an attribute the
theme prints as it is (MkDocs' templates do not escape). JSON-LD is made inert with JSON's own escapes for ``<``,
``>`` and ``&`` (no ``</script>`` can close it early); the description is HTML-escaped here.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from typing import Any

from crowdcare.core.model import Role, Solution
from crowdcare.core.text import one_line

_INERT = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def description(solution: Solution) -> str:
    """The page's meta description, from the customer's question: one line, at most 300 characters, escaped."""
    text = one_line(solution.question)
    return html.escape(text if len(text) <= 300 else text[:299] + "…", quote=True)


def qa_page(solution: Solution, url: str) -> dict[str, Any]:
    """schema.org QAPage: the question (its title and the customer's words) and the accepted answer."""
    asker, answerer = (solution.first(role) for role in (Role.ASKER, Role.ANSWERER))
    answer: dict[str, Any] = {
        "@type": "Answer",
        "text": one_line(solution.body)[:5000],
        "dateCreated": solution.created.isoformat(),
        "url": url,
    }
    if answerer:
        answer["author"] = {"@type": "Person", "name": answerer.login}
    question: dict[str, Any] = {
        "@type": "Question",
        "name": one_line(solution.title),
        "text": one_line(solution.question),
        "answerCount": 1,
        "dateCreated": solution.created.isoformat(),
        "acceptedAnswer": answer,
    }
    if asker:
        question["author"] = {"@type": "Person", "name": asker.login}
    return {"@context": "https://schema.org", "@type": "QAPage", "mainEntity": question}


def json_ld_script(data: dict[str, Any]) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (
        '<script type="application/ld+json">' + re.sub("[<>&\u2028\u2029]", lambda m: _INERT[m[0]], text) + "</script>"
    )


def without_pages(sitemap: str, urls: Iterable[str]) -> str:
    """The sitemap without the entries of ``urls`` (merged solutions' pages, which redirect)."""
    drop = set(urls)

    def keep(match: re.Match[str]) -> str:
        loc = re.search(r"<loc>(.*?)</loc>", match[0])
        return "" if loc is not None and html.unescape(loc[1]) in drop else match[0]

    return re.sub(r"\s*<url>.*?</url>", keep, sitemap, flags=re.DOTALL)
