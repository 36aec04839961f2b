"""`crowdcare buckets`: conversation buckets by size, as a thin click command (registered by cli/main.py)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import click

from crowdcare.cli.setup import Context, github_for, snapshot_option


@click.command()
@snapshot_option("Read open questions from a snapshot folder (offline) instead of live GitHub.")
@click.option("--kb-only", is_flag=True, help="Only the knowledge base's buckets; read no threads.")
@click.option(
    "--limit", type=click.IntRange(min=0), default=20, show_default=True, help="How many buckets to print (0: all)."
)
@click.option("--json", "as_json", is_flag=True, help="Print the buckets as a JSON list on stdout.")
@click.pass_obj
def buckets(obj: Context, snapshot_dir: Path | None, kb_only: bool, limit: int, as_json: bool) -> None:
    """List conversation buckets, largest first: answer once, serve many.

    Every solution is a bucket: its source thread and the threads folded into it (`also_asked`). Open questions
    without an accepted answer cluster into pending buckets by similarity (`duplicates.bucket_threshold` in
    crowdcare.yml); the largest pending buckets are the answers worth writing next. Reads open questions from
    live GitHub (GITHUB_TOKEN) or a snapshot; --kb-only needs neither.

    Example: crowdcare buckets --snapshot samples/snapshot --limit 10
    """
    from crowdcare.content.store import load_config_or_fail, load_content
    from crowdcare.respond.facts import facts_of
    from crowdcare.respond.guarantee import is_question
    from crowdcare.similarity.buckets import all_buckets, bucketer_for
    from crowdcare.similarity.dedup import bucket_threshold

    config = load_config_or_fail(obj.root)
    content = load_content(obj.root)
    questions, others = [], []
    if not kb_only:
        github = github_for(snapshot_dir, config.intake.bot_login, config.repo)
        bot = config.intake.bot_login
        for thread in list(github.threads_updated_since(None)):
            if thread.state == "open" and is_question(thread, config) and facts_of(thread, config, bot).answer is None:
                questions.append(thread)
            else:
                others.append(thread)
    threshold = bucket_threshold(config)
    found = all_buckets(content, questions, threshold, others, bucketer_for(config))
    shown = found[:limit] if limit else found
    if as_json:
        click.echo(json.dumps([dataclasses.asdict(b) for b in shown], indent=1))
        return
    pending = sum(b.kind == "pending" for b in found)
    click.echo(f"{len(found)} bucket(s): {len(found) - pending} solution(s), {pending} pending (no accepted answer)")
    for bucket in shown:
        about = f"  (shared: {', '.join(bucket.shared)})" if bucket.shared else ""
        click.echo(
            f"  {bucket.size:>4}×  {bucket.kind:<8} {bucket.key:<45} {click.style(bucket.title, bold=True)}{about}"
        )


COMMANDS = (buckets,)
