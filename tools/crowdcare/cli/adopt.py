"""Adopting crowdcare: ``crowdcare init`` writes a new community repository, ``crowdcare doctor`` checks a live one
before its first run."""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path

import click

from crowdcare.cli.setup import Context, live_github


@click.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--name", required=True, help='The community\'s name, shown on the site (for example "Acme community").')
@click.option(
    "--repo", required=True, help="The GitHub repository it runs in, OWNER/NAME (for example acme/community)."
)
@click.option("--site-url", help="Where the site will be published. Default: https://OWNER.github.io/NAME/ (Pages).")
@click.option("--force", is_flag=True, help="Overwrite files that already exist (never done without it).")
def init(directory: Path, name: str, repo: str, site_url: str | None, force: bool) -> None:
    """Write a new community repository into DIRECTORY, ready for its first run.

    It holds crowdcare.yml (commented, no sample people), mkdocs.yml, the workflows (intake, respond, promote,
    tally, publish, ci), issue and discussion forms, CONTRIBUTING.md, an about page, requirements.txt and empty
    kb/ and ideas/. `crowdcare validate` and `mkdocs build --strict` pass in it as written. Nothing is written
    when a file exists already, unless --force. Then: add your staff and topics to crowdcare.yml, push it to
    GitHub, and run `crowdcare doctor` (README: "Adopt it").

    Example: crowdcare init acme-community --name "Acme community" --repo acme/community
    """
    from crowdcare.adopt.scaffold import community_files, is_executable
    from crowdcare.content.documents import write_atomically

    files = community_files(name, repo, site_url)
    target = directory.absolute()
    existing = [path for path in files if (target / path).exists()]
    if existing and not force:
        for path in existing:
            click.echo(f"crowdcare init: {target / path} exists", err=True)
        click.echo(
            f"crowdcare init: {len(existing)} file(s) exist; nothing written (--force overwrites them)", err=True
        )
        sys.exit(2)
    for path, text in files.items():
        if (target / path).is_symlink():
            click.echo(f"crowdcare init: {target / path} is a symbolic link; nothing more written", err=True)
            sys.exit(2)
        write_atomically(target / path, text)
        if is_executable(path):
            mode = (target / path).stat().st_mode
            (target / path).chmod(mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    click.echo(f"crowdcare init: {len(files)} files written to {target}", err=True)
    click.echo(
        "Next: add your staff (with their numeric GitHub ids) and topics to crowdcare.yml, then\n"
        f"  cd {directory} && git init -b main && git add -A && git commit -m 'crowdcare community'\n"
        f"  push it to github.com/{repo}, and check it before the first run:\n"
        f"  GITHUB_TOKEN=... crowdcare doctor --fix",
        err=True,
    )


@click.command()
@click.option("--fix", is_flag=True, help="Create the labels crowdcare.yml uses that the repository lacks.")
@click.option("--json", "as_json", is_flag=True, help="Print every check as a JSON line on stdout.")
@click.pass_obj
def doctor(obj: Context, fix: bool, as_json: bool) -> None:
    """Check a live repository before crowdcare's first run, and say how to fix each finding.

    It reads GitHub with GITHUB_TOKEN (and GITHUB_REPOSITORY, else community.repo): who the token writes as
    against intake.bot_login, whether it can see and write the repository, Issues and Discussions turned on, the
    labels crowdcare.yml uses (--fix creates the missing ones), the discussion categories it names (Q&A must
    take answers), each staff member's numeric id against their login, and GitHub Pages publishing from
    Actions. Exits 0 when all is well, 1 on findings, 2 on bad input (no token, a broken crowdcare.yml).

    Example: crowdcare doctor --fix    (with GITHUB_TOKEN set, for example from `gh auth token`)
    """
    from crowdcare.adapters.setup import LiveSetup
    from crowdcare.adopt.doctor import examine
    from crowdcare.content.store import load_config_or_fail

    config = load_config_or_fail(obj.root)
    repository = os.environ.get("GITHUB_REPOSITORY") or config.repo
    github = live_github(repository, "doctor reads live GitHub: set GITHUB_TOKEN (and GITHUB_REPOSITORY)")
    checks = examine(config, LiveSetup(github), fix=fix)
    for check in checks:
        if as_json:
            click.echo(json.dumps({"check": check.name, "ok": check.ok, "message": check.message, "fix": check.fix}))
        else:
            mark = "ok  " if check.ok else "FIX "
            click.echo(f"{mark}{check.name}: {check.message}" + (f"\n      -> {check.fix}" if check.fix else ""))
    problems = [c for c in checks if not c.ok]
    summary = f"{len(problems)} finding(s)" if problems else "ready for the first run"
    click.echo(f"crowdcare doctor: {repository}: {summary}", err=True)
    sys.exit(1 if problems else 0)


COMMANDS = (
    init,
    doctor,
)
