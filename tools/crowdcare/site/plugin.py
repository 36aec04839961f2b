"""The MkDocs plugin: a thin adapter that adds the generated pages, sanitizes what users wrote and builds the
site's search index (Pagefind, fed each page as it is built). Users' blocks are rendered by worker processes
(site/blocks.py, site/block_workers.py) and Pagefind indexes on its own (site/pagefind.py), so MkDocs's one core
is left to MkDocs.

plugins:
  - crowdcare:
      root: .        # the repository holding crowdcare.yml, kb/ and ideas/ (relative to mkdocs.yml)
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from mkdocs.config import config_options
from mkdocs.config.base import Config as MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from pagefind_bin import get_executable

from crowdcare.adapters.githistory import edits
from crowdcare.content.config import load_config
from crowdcare.content.store import IDEAS_DIR, KB_DIR, load_content
from crowdcare.core import clock
from crowdcare.core.errors import CrowdcareError
from crowdcare.core.i18n import ENGLISH, Messages
from crowdcare.core.model import Solution
from crowdcare.site.block_workers import Renderer
from crowdcare.site.blocks import deferring
from crowdcare.site.content_workers import load_in_parallel
from crowdcare.site.feeds import feeds
from crowdcare.site.ideas import CHANGELOG_FEED, idea_feed, idea_path, standing
from crowdcare.site.pagefind import PagefindService, indexed_part
from crowdcare.site.pages import render_pages
from crowdcare.site.sanitize import sanitize_html
from crowdcare.site.solutions import SOLUTIONS_FEED, current, solution_path, tombstones
from crowdcare.site.structured import description, json_ld_script, qa_page, without_pages


@contextmanager
def mkdocs_errors(doing: str = "", *also: type[Exception]) -> Iterator[None]:
    """crowdcare's errors (and ``also``) raised inside as MkDocs's PluginError, the one way MkDocs reports a plugin's
    problem: "crowdcare: <doing>: <the error>"."""
    caught: tuple[type[Exception], ...] = (CrowdcareError, *also)
    try:
        yield
    except caught as exc:
        raise PluginError(f"crowdcare: {doing}: {exc}" if doing else f"crowdcare: {exc}") from None


THEME = Path(__file__).parent / "theme"
SEARCH_PAGE = "search/index.md"
# The search page's words are in its template (site/theme/search.html); search/?q=WORDS searches at once.
SEARCH_MARKDOWN = "---\ntitle: Search\ntemplate: search.html\nhide:\n  - navigation\n  - toc\n---\n"


# Chrome inside an indexed page that is no reader's words: heading anchors (¶), the edit button, the page's buttons.
SEARCH_IGNORES = (".headerlink", ".md-content__button", ".cc-actions")


def theme_words(tr: Messages) -> dict[str, str]:
    """What search.html, the header's search form and crowdcare-search.js say ({query} and {count} are filled in by
    the script)."""
    return {
        "search": tr("Search"),
        "search_label": tr("Search the solutions, ideas and guides"),
        "header_label": tr("Search the solutions and ideas"),
        "noscript": tr("Searching needs JavaScript. Every solution is also listed on the Solutions page."),
        "searching": tr("Searching…"),
        "nothing": tr("Nothing found for “{query}”. Try fewer or other words, or ask a new question."),
        "found_one": tr("{count} page found for “{query}”"),
        "found_many": tr("{count} pages found for “{query}”"),
        "first_ten": tr(" (the first 10 shown)"),
        "partial": tr(" No page has all of these words: these have some of them"),
        "failed": tr("The search index could not be loaded: try again, or browse the Solutions page."),
    }


class CrowdcarePluginConfig(MkDocsConfig):
    root = config_options.Type(str, default=".")


class CrowdcarePlugin(BasePlugin[CrowdcarePluginConfig]):
    """Adds solutions, ideas, the board, the roadmap and people pages; sanitizes them after rendering."""

    def __init__(self) -> None:
        self._generated: set[str] = set()
        self._edit_urls: dict[str, str] = {}
        self._searchable: dict[str, str] = {}
        self._solutions: dict[str, Solution] = {}  # page path -> the published solution it shows
        self._redirects: list[str] = []  # page paths of merged solutions (tombstones that redirect)
        self._unindexed: set[str] = set()  # the built files (dest_uri) site search reads, not yet given to it
        self._marked: dict[str, str] = {}  # their content, marked for Pagefind, until their page is built
        self._sanitizing: dict[str, Future[Any]] = {}  # generated pages (src_uri) a worker is sanitizing
        self._pending = ""  # a generated page's content until on_page_context (see on_page_content)
        self._feeds: dict[str, str] = {}  # Atom feeds by path (site/feeds.py)
        self._own_feeds: dict[str, str] = {}  # an idea's page -> its own feed
        self._tr: Messages = ENGLISH  # the community's language (crowdcare.yml), read in on_config
        self._renderer: Renderer | None = None  # renders users' blocks in other processes (site/block_workers.py)
        self._search: PagefindService | None = None  # builds the search index as pages are built (site/pagefind.py)

    def on_config(self, config: Any) -> Any:
        """The plugin's own theme parts come right after the site's custom_dir and before Material's: the search
        page and its script, and the header whose search box goes there (a site's overrides can still replace
        them). Material's search plugin is not needed: site search is Pagefind's (on_post_build)."""
        dirs = config.theme.dirs
        if str(THEME) not in dirs:
            dirs.insert(1 if config.theme.custom_dir else 0, str(THEME))
        # Material's own words (navigation, search, "Edit this page") in the community's language.
        loaded, _ = load_config(self._root(config))  # a broken crowdcare.yml is reported by on_files
        self._tr = loaded.tr if loaded is not None else ENGLISH
        if loaded is not None:
            config.theme["language"] = loaded.language
        # The words of the plugin's own templates and search script (site/theme), in the community's language.
        config.extra["crowdcare"] = theme_words(self._tr)
        return config

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
        with mkdocs_errors():
            root = self._root(config)
            content = load_content(root, load_in_parallel)  # two cores: MkDocs waits for on_files
            with deferring() as deferred:  # users' blocks are rendered by worker processes (site/blocks.py)
                pages = render_pages(content, edits(root), clock.now().date())
            search_page = SEARCH_MARKDOWN.replace("title: Search", f"title: {json.dumps(self._tr('Search'))}")
        self._stop_helpers()  # a rebuild (mkdocs serve) starts its own
        self._renderer = Renderer(deferred)
        with mkdocs_errors("could not start Pagefind for site search", OSError):
            self._search = PagefindService(get_executable(), {"exclude_selectors": list(SEARCH_IGNORES)})
        self._generated = set()
        self._unindexed, self._marked, self._sanitizing = set(), {}, {}
        self._pending = f'<div class="cc-page-{deferred.key}"></div>'
        # "Edit this page" on a solution or an idea opens its own file in kb/ or ideas/ (a pull request on GitHub);
        # the other generated pages (listings, profiles, the board) have no file to edit.
        repo_url = str(config.get("repo_url") or "").rstrip("/")
        branch = content.config.promotion.base_branch if content.config else "main"
        # A solution's or idea's page has its file's path (kb/<topic>/<slug>.md, ideas/<slug>.md).
        sources = [s.path for s in content.solutions] + [i.path for i in content.ideas]
        self._edit_urls = {path: f"{repo_url}/edit/{branch}/{path}" for path in sources if repo_url and path in pages}
        # What site search indexes, and the kind its results name: published solutions and ideas that stand on
        # their own (merged, superseded and tombstone pages send readers elsewhere); listings, tags and profiles
        # only repeat those pages' words and would outrank them.
        self._solutions = {solution_path(s): s for s in current(content)}
        tr = self._tr
        self._searchable = {path: tr("Solution") for path in self._solutions}
        self._searchable |= {idea_path(i): tr("Idea") for i in standing(content.ideas)}
        self._redirects = [solution_path(merged) for merged, _ in tombstones(content)]
        self._own_feeds = {idea_path(i): idea_feed(i) for i in content.ideas}
        pages = {**pages, SEARCH_PAGE: search_page}
        self._feeds = {}
        if content.config is not None:
            self._feeds = feeds(content, content.config)
            for path, xml in self._feeds.items():
                files.append(File.generated(config, path, content=xml))
        for path, markdown in pages.items():
            if files.get_file_from_path(path) is not None:
                raise PluginError(f"crowdcare: docs/{path} collides with a generated page; rename or remove it")
            files.append(File.generated(config, path, content=markdown))
            self._generated.add(path)
        return files

    def on_page_context(self, context: Any, page: Page, config: Any, nav: Any) -> Any:
        sanitizing = self._sanitizing.pop(page.file.src_uri, None)
        if sanitizing is not None:  # the page's content, sanitized by a worker, its users' blocks filled in
            page.content = self._mark(page, self._fill(self._sanitized(sanitizing)))
        if page.file.src_uri in self._generated:
            page.edit_url = self._edit_urls.get(page.file.src_uri)
        solution = self._solutions.get(page.file.src_uri)
        if solution is not None:  # Material prints it into an attribute as it is: escaped by description()
            page.meta["description"] = description(solution)
        return context

    def on_post_page(self, output: str, page: Page, config: Any) -> str:
        """Every page names the site's feeds (an idea's page its own too); a solution's page carries QAPage
        structured data for search engines."""
        head = [
            f'<link rel="alternate" type="application/atom+xml" title="{title}" href="{url}">'
            for title, url in self._feed_links(page)
        ]
        solution = self._solutions.get(page.file.src_uri)
        if solution is not None:
            head.append(json_ld_script(qa_page(solution, page.canonical_url or page.url)))
        if head:
            output = output.replace("</head>", "".join(f"  {line}\n" for line in head) + "  </head>", 1)
        marked = self._marked.pop(page.file.dest_uri, None)
        self._unindexed.discard(page.file.dest_uri)
        if marked is not None and self._search is not None:
            self._add_to_search(indexed_part(output, marked), page.file.dest_uri)
            if not self._unindexed:  # the last page search reads: Pagefind writes while MkDocs builds the rest
                self._search.start_writing(self._search_output(config))
        return output

    @staticmethod
    def _search_output(config: Any) -> Path:
        return Path(config.site_dir) / "pagefind"

    def _add_to_search(self, part: str, dest: str) -> None:
        """Pagefind indexes the page on another core while MkDocs goes on; its URL as Pagefind's command names
        a built file (``kb/a/b/index.html`` is ``/kb/a/b/``)."""
        assert self._search is not None
        with mkdocs_errors():
            self._search.add(part, "/" + dest.removesuffix("index.html"))

    def _feed_links(self, page: Page) -> list[tuple[str, str]]:
        """(title, URL relative to the page) of the feeds a page announces; titles are ours, URLs are slugs."""
        up = "../" * page.url.count("/")
        tr = self._tr
        links = [(tr("New solutions"), SOLUTIONS_FEED), (tr("Shipped ideas"), CHANGELOG_FEED)]
        if page.file.src_uri in self._own_feeds:
            links.append((tr("This idea's status"), self._own_feeds[page.file.src_uri]))
        return [(title, up + path) for title, path in links if path in self._feeds]

    def on_page_content(self, html: str, page: Page, config: Any, files: Files) -> str:
        """A generated page is sanitized by a worker process while MkDocs renders the other pages; until then (its
        on_page_context) its content is a placeholder. A hand-written page is a guide, unless it only sends readers
        elsewhere; site search reads guides, solutions and ideas that stand on their own (see on_files)."""
        generated = page.file.src_uri in self._generated
        if self._kind(page) is not None:
            self._unindexed.add(page.file.dest_uri)
        if generated and self._renderer is not None:
            self._sanitizing[page.file.src_uri] = self._renderer.sanitize(html)
            return self._pending
        if generated:
            html = sanitize_html(html)
        return self._mark(page, html)

    def _mark(self, page: Page, html: str) -> str:
        """``html`` in the element Pagefind indexes (data-pagefind-body) when search reads the page, else as it is;
        listings, tags, profiles, merged and superseded pages stay out, so a page that lists a solution never
        outranks it."""
        kind = self._kind(page)
        if kind is None:
            return html
        marked = f'<div data-pagefind-body data-pagefind-meta="kind:{kind}">\n{html}\n</div>'
        self._marked[page.file.dest_uri] = marked
        return marked

    def _kind(self, page: Page) -> str | None:
        """What search results call the page, or None when search leaves it out."""
        if page.file.src_uri in self._generated:
            return self._searchable.get(page.file.src_uri)
        return None if page.meta.get("redirect") else self._tr("Guide")

    def _sanitized(self, sanitizing: Future[Any]) -> str:
        assert self._renderer is not None
        with mkdocs_errors():
            return self._renderer.sanitized(sanitizing)

    def _fill(self, html: str) -> str:
        if self._renderer is None:
            return html
        with mkdocs_errors():
            return self._renderer.fill(html)

    def _close_renderer(self) -> None:
        if self._renderer is not None:
            self._renderer.close()
            self._renderer = None

    def _close_search(self) -> None:
        if self._search is not None:
            self._search.close()
            self._search = None

    def _stop_helpers(self) -> None:
        self._close_renderer()
        self._close_search()

    def on_build_error(self, error: Exception) -> None:
        self._stop_helpers()

    def on_shutdown(self) -> None:
        self._stop_helpers()

    def on_post_build(self, config: Any) -> None:
        """The site's search index (site/pagefind/), split so a query downloads only the chunks its words need.
        Pagefind was given each page marked for it (on_page_content) as MkDocs finished it (on_post_page), and
        began writing after the last of them, while MkDocs built the pages search leaves out (MkDocs reads every
        page's content before it builds the first; people/, solutions/ and tags/ come after kb/ and ideas/)."""
        self._close_renderer()  # every page is built: its workers are done
        search, self._search = self._search, None
        if search is not None:
            try:
                with mkdocs_errors(f"could not index {config.site_dir} for search"):
                    search.start_writing(self._search_output(config)).result()
            finally:
                search.close()
        self._drop_redirects_from_sitemap(config)

    def _drop_redirects_from_sitemap(self, config: Any) -> None:
        """A merged solution's page only redirects (and says noindex): search engines should not list it."""
        sitemap = Path(config.site_dir) / "sitemap.xml"
        base = str(config.site_url or "")
        if not sitemap.is_file() or not self._redirects or not base:
            return
        urls = [base.rstrip("/") + "/" + path.removesuffix(".md") + "/" for path in self._redirects]
        text = without_pages(sitemap.read_text("utf-8"), urls)
        sitemap.write_text(text, "utf-8")
        (sitemap.parent / "sitemap.xml.gz").write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))

    def on_serve(self, server: Any, config: Any, builder: Any) -> Any:
        root = self._root(config)
        for name in (KB_DIR, IDEAS_DIR, "crowdcare.yml"):
            if (root / name).exists():
                server.watch(str(root / name))
        return server
