#!/bin/sh
# Push the commit a workflow made to the branch it runs on. respond.yml and tally.yml both push to main from
# different concurrency groups, so one of them can find main moved ("not a fast-forward"): it then takes the
# other's commits (they touch other files: metrics/responses.json vs ideas/ and metrics/votes.jsonl) and tries
# again, up to five times. The token is handed to git for these calls only (checkout keeps no credentials) and
# masked in the log.
#
#   GITHUB_TOKEN=... GITHUB_REF_NAME=main sh .github/scripts/push-to-main.sh
set -eu
branch=${GITHUB_REF_NAME:?GITHUB_REF_NAME is not set}
delay=${PUSH_RETRY_DELAY:-5}
# A rebase rewrites the commit: it needs a committer (the commit step named one only for itself).
export GIT_COMMITTER_NAME="${GIT_COMMITTER_NAME:-crowdcare}"
export GIT_COMMITTER_EMAIL="${GIT_COMMITTER_EMAIL:-crowdcare@users.noreply.github.com}"
auth="$(printf 'x-access-token:%s' "${GITHUB_TOKEN:?GITHUB_TOKEN is not set}" | base64 -w0)"
if [ "${GITHUB_ACTIONS:-}" = "true" ]; then
  echo "::add-mask::$auth"
fi
attempt=1
while :; do
  if git -c http.extraheader="AUTHORIZATION: basic $auth" push --quiet origin "HEAD:$branch"; then
    exit 0
  fi
  if [ "$attempt" -ge 5 ]; then
    echo "push-to-main: $branch moved under every one of $attempt pushes; the next run commits again" >&2
    exit 1
  fi
  echo "push-to-main: $branch moved (another workflow pushed first); rebasing on it and pushing again" >&2
  git -c http.extraheader="AUTHORIZATION: basic $auth" pull --quiet --rebase origin "$branch"
  sleep $((delay * attempt))
  attempt=$((attempt + 1))
done
