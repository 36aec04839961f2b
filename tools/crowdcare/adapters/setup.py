"""The SetupPort over live GitHub, for ``crowdcare doctor``: the repository's settings, labels, discussion
categories, accounts and Pages, read through the LiveGitHub connection (its retries and error mapping)."""

from __future__ import annotations

from urllib.parse import quote

from crowdcare.adapters import queries
from crowdcare.adapters.live import LiveGitHub


class LiveSetup:
    def __init__(self, github: LiveGitHub) -> None:
        self.github = github
        self.repo = github.repository

    def viewer_login(self) -> str:
        return self.github.viewer_login()

    def repository(self) -> dict[str, object] | None:
        found = self.github.get_or_none(f"/repos/{self.repo}")
        return found if isinstance(found, dict) else None

    def label_names(self) -> set[str]:
        return {str(label["name"]) for label in self.github._pages(f"/repos/{self.repo}/labels?per_page=100")}

    def create_label(self, name: str, color: str, description: str) -> None:
        self.github._rest(
            "POST", f"/repos/{self.repo}/labels", {"name": name, "color": color, "description": description}
        )

    def discussion_categories(self) -> dict[str, bool]:
        data = self.github._graphql(queries.CATEGORIES, {"owner": self.github.owner, "name": self.github.name})
        nodes = ((data.get("repository") or {}).get("discussionCategories") or {}).get("nodes") or []
        return {str(n["name"]): bool(n.get("isAnswerable")) for n in nodes}

    def user_id(self, login: str) -> int | None:
        found = self.github.get_or_none(f"/users/{quote(login, safe='')}")
        return int(found["id"]) if isinstance(found, dict) and "id" in found else None

    def pages(self) -> dict[str, object] | None:
        found = self.github.get_or_none(f"/repos/{self.repo}/pages")
        return found if isinstance(found, dict) else None
