"""The ``crowdcare`` command line: thin click commands over the library.

Exit codes: 0 done, 1 failure or findings, 2 bad input or usage. Machine output (``--json``) goes to stdout;
progress and errors go to stderr.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from crowdcare import __version__
from crowdcare.cli.setup import Context, find_root
from crowdcare.core.errors import CrowdcareError


class CrowdcareGroup(click.Group):
    """One place maps errors to exit codes: any crowdcare error a command lets through is one line on stderr and
    its exit code (1 run again, 2 bad input), never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CrowdcareError as exc:
            click.echo(f"crowdcare: error: {exc}", err=True)
            ctx.exit(exc.exit_code)


@click.group(cls=CrowdcareGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
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


def main() -> None:
    cli(prog_name="crowdcare")


def _register() -> None:
    """Every command, from the module of its capability (none of them imports this one: no import circle)."""
    from crowdcare.cli import adopt, bench, buckets, content, fold, intake, promote, reference, respond, search, tally

    for module in (content, intake, search, respond, buckets, fold, promote, tally, adopt, bench, reference):
        for command in module.COMMANDS:
            cli.add_command(command)


_register()
