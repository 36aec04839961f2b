"""The command reference (docs/commands.md), written from the commands' own ``--help``: ``make docs`` regenerates
it and tests/test_docs.py fails when it and the help disagree, so the reference never drifts from the code."""

from __future__ import annotations

import click

INTRO = """# Command reference

Every `crowdcare` command and its options, as `crowdcare COMMAND --help` prints them. Written by `make docs`
from the commands themselves (a test fails when this page and the help disagree); how the steps work is in
[how-it-works.md](how-it-works.md), the architecture in ARCHITECTURE.md at the repository's root.

Exit codes: 0 done, 1 a transient failure or findings (run again, or fix them), 2 bad input or usage.
"""


def _commands(group: click.Group, ctx: click.Context, prefix: str) -> list[tuple[str, click.Command, click.Context]]:
    found = []
    for name in sorted(group.list_commands(ctx)):
        command = group.get_command(ctx, name)
        if command is None or command.hidden:
            continue
        sub = click.Context(command, info_name=name, parent=ctx, max_content_width=100, terminal_width=100)
        found.append((f"{prefix} {name}", command, sub))
        if isinstance(command, click.Group):
            found += _commands(command, sub, f"{prefix} {name}")
    return found


def reference(cli: click.Group) -> str:
    """The Markdown of docs/commands.md, for the group ``cli`` (crowdcare's)."""
    root = click.Context(
        cli, info_name="crowdcare", max_content_width=100, terminal_width=100, help_option_names=["-h", "--help"]
    )
    parts = [INTRO, "## crowdcare\n", "```text\n" + cli.get_help(root) + "\n```\n"]
    for path, command, ctx in _commands(cli, root, "crowdcare"):
        parts += [f"## {path}\n", "```text\n" + command.get_help(ctx) + "\n```\n"]
    return "\n".join(parts)


@click.command(hidden=True)
def commands_reference() -> None:
    """Print the command reference (docs/commands.md) as Markdown.

    Example: crowdcare commands-reference > docs/commands.md
    """
    group = click.get_current_context().find_root().command
    assert isinstance(group, click.Group)
    click.echo(reference(group), nl=False)


COMMANDS = (commands_reference,)
