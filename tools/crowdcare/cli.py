"""The ``crowdcare`` command line: thin click commands over the library.

Exit codes: 0 done, 1 failure or findings, 2 bad input or usage. Machine output (``--json``) goes to stdout;
progress and errors go to stderr.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import click

from crowdcare import __version__
from crowdcare.errors import BadInputError, CrowdcareError
from crowdcare.store import load_content
from crowdcare.validate import validate_repository

PAGES_MARKER = ".crowdcare-pages"


def find_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` holding crowdcare.yml; ``start`` itself if none does."""
    for folder in (start, *start.parents):
        if (folder / "crowdcare.yml").is_file():
            return folder
    return start


class Context:
    def __init__(self, root: Path) -> None:
        self.root = root


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="crowdcare")
@click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    help="Repository holding crowdcare.yml, kb/ and ideas/. Default: the nearest folder upwards with crowdcare.yml.",
)
@click.pass_context
def cli(ctx: click.Context, root: Path | None) -> None:
    """crowdcare: social customer care run from a Git repository.

    Solutions live in kb/<topic>/<slug>.md, ideas in ideas/<slug>.md, governance in crowdcare.yml.

    Example: crowdcare validate
    """
    resolved = (root or find_root(Path.cwd())).resolve()
    if root is not None and not resolved.is_dir():
        raise click.BadParameter(f"{root}: no such folder", param_hint="--root")
    ctx.obj = Context(resolved)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print findings as a JSON list on stdout.")
@click.pass_obj
def validate(obj: Context, paths: tuple[Path, ...], as_json: bool) -> None:
    """Check solutions, ideas and crowdcare.yml against every rule.

    With PATHS, report only findings in those files or folders (rules across files still see everything).
    Each finding reads `path:line: CODE message (how to fix)`; the codes are listed in CONTRIBUTING.md.
    Exits 0 when clean, 1 on findings, 2 on usage errors. Files are never rewritten.

    Example: crowdcare validate kb/sync/ --json
    """
    findings = _run(lambda: validate_repository(obj.root, paths))
    if as_json:
        click.echo(json.dumps([f.__dict__ for f in findings], indent=2))
    else:
        for f in findings:
            click.echo(str(f))
        summary = f"{len(findings)} finding(s)" if findings else "no findings"
        click.echo(f"crowdcare validate: {summary} in {obj.root}", err=True)
    sys.exit(1 if findings else 0)


@cli.command()
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
    from crowdcare.site.pages import render_pages

    rendered = _run(lambda: render_pages(load_content(obj.root)))
    if not dry_run:
        _run(lambda: _write_pages(out, rendered))
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


def _run(action: Any) -> Any:
    """Run ``action``, turning crowdcare errors into a message on stderr and the error's exit code."""
    try:
        return action()
    except CrowdcareError as exc:
        click.echo(f"crowdcare: error: {exc}", err=True)
        sys.exit(exc.exit_code)


def main() -> None:
    cli(prog_name="crowdcare")
