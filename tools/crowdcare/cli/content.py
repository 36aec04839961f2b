"""`crowdcare validate` and `crowdcare pages`: the content checked as the site's build checks it, and the generated
pages written as plain Markdown for any generator."""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

import click

from crowdcare.cli.setup import Context
from crowdcare.content.store import load_content
from crowdcare.content.validate import validate_repository
from crowdcare.core.errors import BadInputError

PAGES_MARKER = ".crowdcare-pages"


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print findings as a JSON list on stdout.")
@click.pass_obj
def validate(obj: Context, paths: tuple[Path, ...], as_json: bool) -> None:
    """Check solutions, ideas and crowdcare.yml against every rule.

    With PATHS, report only findings in those files or folders (rules across files still see everything).
    Each finding reads `path:line: CODE message (how to fix)`; the codes are listed in CONTRIBUTING.md.
    Warnings (CC208: an answer verified with a release far behind product.current_version) are printed but do not
    fail. Exits 0 when clean or warnings only, 1 on findings, 2 on usage errors. Files are never rewritten.

    Example: crowdcare validate kb/sync/ --json
    """
    findings = validate_repository(obj.root, paths)
    if as_json:
        click.echo(json.dumps([f.__dict__ for f in findings], indent=2))
    else:
        for f in findings:
            click.echo(str(f))
        errors = sum(f.severity != "warning" for f in findings)
        warnings = len(findings) - errors
        summary = f"{errors} finding(s)" if errors else "no findings"
        summary += f" and {warnings} warning(s)" if warnings else ""
        click.echo(f"crowdcare validate: {summary} in {obj.root}", err=True)
    sys.exit(1 if any(f.severity != "warning" for f in findings) else 0)


@click.command()
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(path_type=Path),
    help="Folder to write the pages into; replaced whole, and only if crowdcare wrote it before.",
)
@click.option("--dry-run", is_flag=True, help="List the pages that would be written; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the written paths as a JSON list on stdout.")
@click.pass_obj
def pages(obj: Context, out: Path, dry_run: bool, as_json: bool) -> None:
    """Write the generated site pages as plain Markdown files.

    The same pages the MkDocs plugin adds (solutions, idea board, roadmap, contributors, tags), for any
    static site generator. The folder is written in full beside OUT and swapped in, so a failure leaves the
    previous pages intact.

    Example: crowdcare pages --out build/pages
    """
    from crowdcare.adapters.githistory import edits
    from crowdcare.core import clock
    from crowdcare.site.pages import render_pages

    rendered = render_pages(load_content(obj.root), edits(obj.root), clock.now().date())
    if not dry_run:
        _write_pages(out, rendered)
    if as_json:
        click.echo(json.dumps(sorted(rendered), indent=2))
    else:
        for path in rendered:
            click.echo(path)
    verb = "would write" if dry_run else "wrote"
    click.echo(f"crowdcare pages: {verb} {len(rendered)} pages to {out}", err=True)


def _write_pages(out: Path, rendered: dict[str, str]) -> None:
    out = out.absolute()
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / PAGES_MARKER).exists())):
        raise BadInputError(f"{out}: exists and was not written by `crowdcare pages`; choose an empty or new folder")
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        for rel, markdown in rendered.items():
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(markdown, encoding="utf-8")
        (staging / PAGES_MARKER).write_text("written by crowdcare pages; replaced whole on each run\n", "utf-8")
        if out.exists():
            old = out.with_name(f".{out.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            out.rename(old)
            staging.rename(out)
            shutil.rmtree(old)
        else:
            staging.rename(out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


COMMANDS = (
    validate,
    pages,
)
