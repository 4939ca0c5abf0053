#!/usr/bin/env bash
# Makes sure bin/temporal is the pinned Temporal CLI, whose `server start-dev`
# is yizhi's dev and test Temporal server, and prints its path on stdout
# (progress goes to stderr, so `temporal=$(scripts/temporal-cli.sh)` works).
#
# The CLI is built from source with `go install`, never downloaded as a
# binary. A build takes two to three minutes; later calls reuse it.
set -euo pipefail

version=v1.5.1
module=github.com/temporalio/cli
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin=$root/bin/temporal

# built_version prints the CLI module version recorded in the binary.
built_version() {
  go version -m "$bin" 2>/dev/null | awk -v m="$module" '$1 == "mod" && $2 == m { print $3 }'
}

mkdir -p "$root/bin"
# One build at a time, should `make run` and `make test` start together.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$root/bin/.temporal-cli.lock"
  flock 9
fi

if [[ -x $bin && $(built_version) == "$version" ]]; then
  echo "temporal-cli: reusing $bin ($version)" >&2
else
  if [[ -e $bin ]]; then
    found=$(built_version || true)
    echo "temporal-cli: $bin is ${found:-of unknown version}, not $version; rebuilding" >&2
  fi
  echo "temporal-cli: building $module/cmd/temporal@$version into $root/bin (takes 2-3 minutes)..." >&2
  started=$SECONDS
  GOBIN=$root/bin go install "$module/cmd/temporal@$version" >&2
  echo "temporal-cli: built $bin in $((SECONDS - started)) s" >&2
fi
echo "$bin"
