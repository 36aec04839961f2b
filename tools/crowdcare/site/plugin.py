"""The MkDocs plugin: a thin adapter that adds the generated pages and sanitizes what users wrote.

plugins:
  - search
  - crowdcare:
      root: .        # the repository holding crowdcare.yml, kb/ and ideas/ (relative to mkdocs.yml)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config import config_options
from mkdocs.config.base import Config as MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from crowdcare import clock
from crowdcare.adapters.githistory import edits
from crowdcare.errors import CrowdcareError
from crowdcare.site.pages import render_pages
from crowdcare.site.sanitize import sanitize_html
from crowdcare.store import IDEAS_DIR, KB_DIR, load_content


class CrowdcarePluginConfig(MkDocsConfig):
    root = config_options.Type(str, default=".")


class CrowdcarePlugin(BasePlugin[CrowdcarePluginConfig]):
    """Adds solutions, ideas, the board, the roadmap and people pages; sanitizes them after rendering."""

    def __init__(self) -> None:
        self._generated: set[str] = set()
        self._edit_urls: dict[str, str] = {}

    def _root(self, config: Any) -> Path:
        return (Path(config.config_file_path).parent / self.config.root).resolve()

    def on_files(self, files: Files, config: Any) -> Files:
        # MkDocs follows symbolic links: a linked page or image would publish whatever it points at.
        docs = Path(config.docs_dir)
        for file in files:
            source = Path(file.abs_src_path) if file.abs_src_path else None
            if source is None or docs not in source.parents:
                continue  # generated pages and the theme's own files
            linked = any(p.is_symlink() for p in (source, *source.parents) if docs in p.parents)
            if linked or docs.resolve() not in source.resolve().parents:
                raise PluginError(f"crowdcare: docs/{file.src_uri} is a symbolic link or leads outside docs/; "
                                  "replace it with a regular file")  # fmt: skip
        try:
            root = self._root(config)
            content = load_content(root)
            pages = render_pages(content, edits(root), clock.now().date())
        except CrowdcareError as exc:
            raise PluginError(f"crowdcare: {exc}") from None
        self._generated = set()
        # "Edit this page" on a solution or an idea opens its own file in kb/ or ideas/ (a pull request on GitHub);
        # the other generated pages (listings, profiles, the board) have no file to edit.
        repo_url = str(config.get("repo_url") or "").rstrip("/")
        branch = content.config.promotion.base_branch if content.config else "main"
        # A solution's or idea's page has its file's path (kb/<topic>/<slug>.md, ideas/<slug>.md).
        sources = [s.path for s in content.solutions] + [i.path for i in content.ideas]
        self._edit_urls = {path: f"{repo_url}/edit/{branch}/{path}" for path in sources if repo_url and path in pages}
        for path, markdown in pages.items():
            if files.get_file_from_path(path) is not None:
                raise PluginError(f"crowdcare: docs/{path} collides with a generated page; rename or remove it")
            files.append(File.generated(config, path, content=markdown))
            self._generated.add(path)
        return files

    def on_page_context(self, context: Any, page: Page, config: Any, nav: Any) -> Any:
        if page.file.src_uri in self._generated:
            page.edit_url = self._edit_urls.get(page.file.src_uri)
        return context

    def on_page_content(self, html: str, page: Page, config: Any, files: Files) -> str:
        if page.file.src_uri in self._generated:
            return sanitize_html(html)
        return html

    def on_serve(self, server: Any, config: Any, builder: Any) -> Any:
        root = self._root(config)
        for name in (KB_DIR, IDEAS_DIR, "crowdcare.yml"):
            if (root / name).exists():
                server.watch(str(root / name))
        return server
