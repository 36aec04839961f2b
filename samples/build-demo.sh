#!/bin/sh
# Run crowdcare's whole pipeline offline on the sample community and build its site, without touching the
# repository: everything happens in a copy under DIR (default build/demo). Used by `make demo` and the tests.
#
#   samples/build-demo.sh [DIR]      (run from the repository root; crowdcare and mkdocs on PATH or in .venv)
set -eu
DIR=${1:-build/demo}
BIN=${BIN:-.venv/bin}
# The sample community's clock: the snapshot's threads are dated up to this moment.
export CROWDCARE_NOW=${CROWDCARE_NOW:-2026-11-22T12:00:00Z}
export NO_MKDOCS_2_WARNING=1

rm -rf "$DIR"
mkdir -p "$DIR"
cp -r mkdocs.yml crowdcare.yml kb ideas docs overrides "$DIR"/
cp -r samples/snapshot "$DIR"/snapshot

echo "  1. intake: answer each new question and idea at once (suggestions from the knowledge base)"
"$BIN"/crowdcare --root "$DIR" intake --snapshot "$DIR"/snapshot --all 2>"$DIR"/intake.log
tail -n 1 "$DIR"/intake.log
echo "  2. respond: acknowledge, hand to staff, escalate, remind, close kindly, reopen (clock: $CROWDCARE_NOW)"
"$BIN"/crowdcare --root "$DIR" respond --snapshot "$DIR"/snapshot 2>"$DIR"/respond.log
grep -v ": accepted$\|: answered$\|: closed$" "$DIR"/respond.log | sed 's/^/     /'
echo "  3. build the site (validate, strict MkDocs build)"
"$BIN"/crowdcare --root "$DIR" validate
"$BIN"/mkdocs build --strict --quiet -f "$DIR"/mkdocs.yml
echo "  What the bot posted, labelled, assigned, closed and reopened: $DIR/snapshot/outbox.jsonl"
