"""A new community repository, as files: what ``crowdcare init`` writes.

The templates ship inside the package (``crowdcare/templates/``): crowdcare.yml with no sample people, mkdocs.yml,
the workflows (the same files this repository runs, kept equal by a test), issue and discussion forms, an about
page, CONTRIBUTING.md, requirements.txt pinning a released crowdcare with constraints.txt, and empty kb/ and
ideas/. A few ``{{key}}`` placeholders take the community's name, repository and site address, quoted for the
kind of file they land in (YAML strings, HTML-escaped Markdown): a name is text, never markup or YAML.
"""

from __future__ import annotations

import html
import json
import re
from importlib import resources
from importlib.abc import Traversable

from crowdcare import __version__
from crowdcare.core.errors import BadInputError
from crowdcare.core.text import strip_bad_chars

REPO = re.compile(r"^[A-Za-z0-9-]{1,39}/[A-Za-z0-9._-]{1,100}$")  # as crowdcare.yml's schema: community.repo
URL = re.compile(r"^https://[A-Za-z0-9.-]+(?::\d+)?(?:/[A-Za-z0-9._~%/-]*)?$")
PLACEHOLDER = re.compile(r"\{\{([a-z_]+)\}\}")
# Template folders and files whose names cannot start with a dot inside a Python package.
RENAMED = {"github": ".github", "gitignore": ".gitignore"}
EXECUTABLE = (".sh",)


def community_files(name: str, repo: str, site_url: str | None = None) -> dict[str, str]:
    """``{path: text}`` of a complete community repository for ``name`` on GitHub ``repo`` (OWNER/NAME)."""
    clean = strip_bad_chars(name).strip()
    if not clean or len(clean) > 100 or "\n" in clean:
        raise BadInputError(f"--name {name!r}: give the community's name, 1 to 100 characters on one line")
    if not REPO.match(repo) or repo.split("/", 1)[1] in (".", ".."):
        raise BadInputError(f"--repo {repo!r}: give the GitHub repository as OWNER/NAME (for example acme/community)")
    owner, project = repo.split("/", 1)
    site = site_url or f"https://{owner.lower()}.github.io/{project}/"
    if not URL.match(site):
        raise BadInputError(f"--site-url {site_url!r}: give the https:// address the site will be published at")
    values = {
        "name": clean,
        "repo": repo,
        "repo_url": f"https://github.com/{repo}",
        "site_url": site if site.endswith("/") else site + "/",
        "ask_url": f"https://github.com/{repo}/discussions/new?category=q-a",
        "version": __version__,
    }
    files = {path: _render(path, text, values) for path, text in _templates(resources.files("crowdcare") / "templates")}
    files["kb/.gitkeep"] = ""
    files["ideas/.gitkeep"] = ""
    return dict(sorted(files.items()))


def is_executable(path: str) -> bool:
    return path.endswith(EXECUTABLE)


def _templates(folder: Traversable, prefix: str = "") -> list[tuple[str, str]]:
    found = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.startswith(("__", ".")):
            continue
        path = prefix + RENAMED.get(entry.name, entry.name)
        if entry.is_dir():
            found += _templates(entry, path + "/")
        else:
            found.append((path, entry.read_text("utf-8")))
    return found


def _render(path: str, text: str, values: dict[str, str]) -> str:
    """The template with each ``{{key}}`` replaced, quoted for the file's kind; other braces (GitHub's ``${{ }}``,
    Jinja's ``{{ page }}``) are left alone."""

    def value(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in values:
            return match.group(0)
        if path.endswith((".yml", ".yaml")):
            return json.dumps(values[key], ensure_ascii=False)  # a JSON string is a YAML string
        if path.endswith(".md"):
            return html.escape(values[key], quote=False).replace("[", "&#91;").replace("]", "&#93;")
        return values[key]

    return PLACEHOLDER.sub(value, text)
