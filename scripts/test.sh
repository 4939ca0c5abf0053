#!/usr/bin/env bash
# `make test`: every package's tests under the race detector. The verbose log
# is kept in test-output/test.log, and the last line is a summary:
#   N passed, N failed, N skipped
# Packages may be given to test fewer: scripts/test.sh ./cmd/...
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

# End-to-end tests start their own Temporal dev server from this binary.
YIZHI_TEMPORAL_BIN=$(scripts/temporal-cli.sh)
export YIZHI_TEMPORAL_BIN

mkdir -p test-output
log=test-output/test.log

packages=(./...)
if (($# > 0)); then
  packages=("$@")
fi

status=0
go test -race -count=1 -p 2 -timeout 20m -v "${packages[@]}" 2>&1 | tee "$log" || status=$?

# The counts come from go test -v's result lines, so top-level tests and
# subtests count alike: a test with three subtests that all pass counts as 4.
count() { grep -cE "^[[:space:]]*--- $1: " "$log" || true; }
passed=$(count PASS)
failed=$(count FAIL)
skipped=$(count SKIP)

if ((status != 0)); then
  echo
  echo "Failures (full log in $log):"
  grep -E '^[[:space:]]*--- FAIL: |^FAIL|^panic: |\[build failed\]|\[setup failed\]' "$log" || echo "  (none reported by a test; see the log)"
fi
echo
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
