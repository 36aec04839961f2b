"""Hostile content for site tests: every payload carries the marker XSS so a leak is easy to spot."""

from __future__ import annotations

from tests.builders import Repo, idea_text, solution_text

BODY = """Safe text survives.

<script>alert("XSS script")</script>
<img src="x" onerror="alert('XSS img')">
<svg onload="alert('XSS svg')"><circle r="1"/></svg>
[markdown js link](javascript:alert('XSS md'))
[markdown data link](data:text/html;base64,PHNjcmlwdD5YU1M8L3NjcmlwdD4=)
<a href="javascript:alert('XSS html')">html js link</a>
<a href="JaVaScRiPt:alert('XSS case')">mixed case</a>
<a href="&#106;avascript:alert('XSS entity')">entity</a>
<a href=" javascript:alert('XSS space')">leading space</a>
<iframe src="https://evil.example/XSS"></iframe>
<form action="https://evil.example/XSS"><input name="XSS"><button formaction="javascript:alert('XSS')">go</button></form>
<meta http-equiv="refresh" content="0;url=https://evil.example/XSS">
<base href="https://evil.example/XSS/">
<style>/* XSS */ body { display: none }</style>
<object data="https://evil.example/XSS.swf"></object>
<embed src="https://evil.example/XSS.swf">
<div style="background:url(javascript:alert('XSS style'))">styled</div>
<details open ontoggle="alert('XSS details')"><summary>more</summary>hidden</details>

A paragraph with an attr_list handler.
{: onclick="alert('XSS attr')" }

A paragraph that claims Material's config element.
{: id="__config" }

## <img src=x onerror=alert('XSS heading')> Heading with markup

## Heading with handler {: onmouseover="alert('XSS heading attr')" }

```
unclosed fence swallows nothing: <script>alert("XSS in code")</script>
"""

QUESTION = 'Why does <script>alert("XSS question")</script> happen? <img src=x onerror=alert("XSS q")>'
TITLE = 'Broken </title><script>alert("XSS title")</script> title'


def write_hostile(repo: Repo) -> None:
    repo.write(
        "kb/sync/hostile.md",
        solution_text(
            title=TITLE, question=QUESTION, body=BODY, source="https://github.com/acme/community/discussions/666"
        ),
    )
    repo.write(
        "ideas/hostile-idea.md",
        idea_text(
            title='Idea <img src=x onerror=alert("XSS idea")>',
            status="declined",
            decision={"by": "staffer", "on": "2026-03-01", "reason": '<script>alert("XSS reason")</script> no'},
            body=BODY,
            source="https://github.com/acme/community/discussions/667",
        ),
    )
