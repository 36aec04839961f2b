#!/bin/sh
# Run crowdcare's whole pipeline offline on the sample community and build its site, without touching the
# repository: everything happens in a copy under DIR (default build/demo). Used by `make demo` and the tests.
#
#   samples/build-demo.sh [DIR]      (run from the repository root; crowdcare and mkdocs on PATH or in .venv)
#
# SAMPLE names the folder holding the community's crowdcare.yml, kb/ and ideas/ (default: this repository's, the
# Tallybook sample) and SNAPSHOT its threads (default samples/snapshot); the tests point them at tests/community.
set -eu
DIR=${1:-build/demo}
SAMPLE=${SAMPLE:-.}
SNAPSHOT=${SNAPSHOT:-samples/snapshot}
BIN=${BIN:-.venv/bin}
# The sample community's clock: the snapshot's threads are dated up to this moment.
export CROWDCARE_NOW=${CROWDCARE_NOW:-2026-11-22T12:00:00Z}
export NO_MKDOCS_2_WARNING=1
# The demo's own git history is dated by the same clock, so two runs make the same commits.
export GIT_AUTHOR_DATE="$CROWDCARE_NOW" GIT_COMMITTER_DATE="$CROWDCARE_NOW"

# A maintainer reviews and merges every pull request (a branch under refs/heads/$1); $2 starts each line printed.
merge_reviewed() {
  for branch in $(git -C "$DIR" for-each-ref --format='%(refname:short)' "refs/heads/$1"); do
    git -C "$DIR" -c user.name=maintainer -c user.email=maintainer@example.invalid \
      merge -q --no-ff -m "Merge $branch (reviewed)" "$branch"
    echo "$2$branch"
  done
}

rm -rf "$DIR"
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)  # absolute: mkdocs reads a relative -d from the config file's folder (the German site)
cp -r mkdocs.yml docs overrides "$DIR"/
cp -r "$SAMPLE"/crowdcare.yml "$SAMPLE"/kb "$SAMPLE"/ideas "$DIR"/
cp -r "$SNAPSHOT" "$DIR"/snapshot

echo "  1. intake: answer each new question and idea at once (solutions and earlier open questions it may duplicate)"
"$BIN"/crowdcare --root "$DIR" intake --snapshot "$DIR"/snapshot --all 2>"$DIR"/intake.log
grep "^open questions\|taken in" "$DIR"/intake.log | sed "s/^/     /"
echo "     crowdcare similar --title \"My bank feed stopped importing after the bank changed its app\":"
"$BIN"/crowdcare --root "$DIR" similar --title "My bank feed stopped importing after the bank changed its app" \
  --limit 3 | sed 's/^/       /'
echo "  2. respond: acknowledge, hand to staff, escalate, remind, close kindly, reopen (clock: $CROWDCARE_NOW)"
"$BIN"/crowdcare --root "$DIR" respond --snapshot "$DIR"/snapshot 2>"$DIR"/respond.log
grep -v ": accepted$\|: answered$\|: closed$" "$DIR"/respond.log | sed 's/^/     /'
# Promotion proposes pull requests; offline they are branches and commits in a git repository, so the copy
# becomes one (its own, with a fixed identity: nothing reaches the repository crowdcare is developed in).
git -C "$DIR" init -q -b main
printf 'snapshot/\n*.log\n.cache/\nsite/\n' >"$DIR"/.gitignore  # GitHub's side, logs and build output
git -C "$DIR" add -A
git -C "$DIR" -c user.name=demo -c user.email=demo@example.invalid commit -q -m "The sample community"
# A community helper improves a solution through a pull request of her own (a commit made on github.com carries
# her no-reply address, which is how crowdcare credits git history to a GitHub account: recognition points).
printf '\n> Tip from the community: banks that changed their app often need consent given again; reconnecting once\n> is enough, and nothing imported before is lost.\n' \
  >>"$DIR"/kb/bank-feeds/bank-feed-stopped-updating.md
git -C "$DIR" -c user.name=ruth-ellison -c user.email=38845120+ruth-ellison@users.noreply.github.com \
  commit -q -a -m "bank-feed-stopped-updating: a tip on reconnecting after a bank changes its app"
echo "  3. promote: accepted answers, /promote, /merge and the promote label become pull requests (branches here)"
"$BIN"/crowdcare --root "$DIR" promote --snapshot "$DIR"/snapshot 2>"$DIR"/promote.log
sed 's/^/     /' "$DIR"/promote.log
echo "     a maintainer reviews and merges each pull request:"
merge_reviewed crowdcare/ "       merged "
"$BIN"/crowdcare --root "$DIR" promote --snapshot "$DIR"/snapshot 2>"$DIR"/published.log
echo "     and the bot links each thread to its published page: $(grep -c ': published' "$DIR"/published.log) thread(s)"
echo "  4. merge: a maintainer notices a promoted solution duplicates an older one and folds it in"
"$BIN"/crowdcare --root "$DIR" merge billing/how-do-i-move-from-the-monthly-to-the-yearly-plan \
  billing/switch-to-annual-billing --finder maya-okafor:58102231 2>&1 | sed 's/^/     /'
git -C "$DIR" -c user.name=maintainer -c user.email=maintainer@example.invalid \
  commit -q -a -m "Merge the yearly-plan question into billing/switch-to-annual-billing"
echo "  5. fold: questions whose askers agreed (or did not object) that they duplicate a solution join its bucket"
"$BIN"/crowdcare --root "$DIR" fold --snapshot "$DIR"/snapshot 2>"$DIR"/fold.log
grep -v "^crowdcare fold" "$DIR"/fold.log | sed 's/^/     /'
merge_reviewed crowdcare/fold/ "     a maintainer merged "
echo "  6. tally: votes on ideas, statuses decided in the open, new ideas proposed (hourly on GitHub)"
echo "     replaying the last six weekly tallies first, so the history has trends to show"
for day in 2026-10-11 2026-10-18 2026-10-25 2026-11-01 2026-11-08 2026-11-15; do
  CROWDCARE_NOW="${day}T12:00:00Z" "$BIN"/crowdcare --root "$DIR" tally --snapshot "$DIR"/snapshot 2>>"$DIR"/tally-replay.log
done
"$BIN"/crowdcare --root "$DIR" tally --snapshot "$DIR"/snapshot 2>"$DIR"/tally.log
grep -v ": counted " "$DIR"/tally.log | sed 's/^/     /'
git -C "$DIR" -c user.name=crowdcare -c user.email=crowdcare@example.invalid \
  commit -q -a -m "Tally of $CROWDCARE_NOW" || true
git -C "$DIR" add metrics && git -C "$DIR" -c user.name=crowdcare -c user.email=crowdcare@example.invalid \
  commit -q -m "Vote history" || true
merge_reviewed crowdcare/idea/ "     a maintainer merged "
echo "     fold again: a new idea whose author found it on the board (/duplicate-of) is merged into that idea"
"$BIN"/crowdcare --root "$DIR" fold --snapshot "$DIR"/snapshot 2>"$DIR"/fold-ideas.log
grep -v "^crowdcare fold\|: done:\|: answered:\|: objected:" "$DIR"/fold-ideas.log | sed 's/^/     /'
merge_reviewed "crowdcare/fold/idea-*" "     a maintainer merged "
"$BIN"/crowdcare --root "$DIR" tally --snapshot "$DIR"/snapshot 2>"$DIR"/tally-after-merge.log
grep "dark-mode" "$DIR"/tally-after-merge.log | sed 's/^/     /'
git -C "$DIR" -c user.name=crowdcare -c user.email=crowdcare@example.invalid \
  commit -q -a -m "Tally after the idea merge" || true
echo "  7. erasure: a customer asks to be forgotten; a maintainer reviews the change and merges it"
"$BIN"/crowdcare --root "$DIR" forget fatima-zahra --as former-member-5e1f0c2a >/dev/null 2>"$DIR"/forget.log
sed 's/^/     /' "$DIR"/forget.log
git -C "$DIR" -c user.name=maintainer -c user.email=maintainer@example.invalid \
  commit -q -a -m "Forget a customer who asked (reviewed)" || true
echo "  8. metrics: the last 90 days, counting everyone still waiting (crowdcare metrics; --json for the figures)"
"$BIN"/crowdcare --root "$DIR" metrics | sed 's/^/     /'
echo "  9. build the site (validate, strict MkDocs build)"
"$BIN"/crowdcare --root "$DIR" validate
"$BIN"/mkdocs build --strict --quiet -f "$DIR"/mkdocs.yml
echo " 10. languages: the same community with \`language: de\` in crowdcare.yml, its bot and its site in German"
rm -rf "$DIR"/de && mkdir -p "$DIR"/de
cp -r "$DIR"/mkdocs.yml "$DIR"/docs "$DIR"/overrides "$DIR"/kb "$DIR"/ideas "$DIR"/metrics "$DIR"/de/
# The sample names its language (language: en): the German copy replaces that line (a second key is refused).
if grep -q '^language:' "$DIR"/crowdcare.yml; then
  sed 's/^language:.*/language: de/' "$DIR"/crowdcare.yml >"$DIR"/de/crowdcare.yml
else
  { echo "language: de"; cat "$DIR"/crowdcare.yml; } >"$DIR"/de/crowdcare.yml
fi
cp -r "$SNAPSHOT" "$DIR"/de/snapshot
"$BIN"/crowdcare --root "$DIR"/de respond --snapshot "$DIR"/de/snapshot >/dev/null 2>&1
"$BIN"/python - "$DIR"/de/snapshot/outbox.jsonl <<'PY' | sed 's/^/     /'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    body = json.loads(line).get("body") or ""
    if "crowdcare:respond:acknowledge" in body:
        print("the bot: " + body.splitlines()[0][:150] + "…")
        break
PY
"$BIN"/mkdocs build --strict --quiet -f "$DIR"/de/mkdocs.yml -d "$DIR"/site/de
echo "     the German site: site/de/ (Material's own words in German too)"
echo "  What the bot posted, labelled, assigned, closed and reopened: $DIR/snapshot/outbox.jsonl"
