#!/usr/bin/env bash
# same-outputs.sh — check that a change left every output byte-identical.
#
#   scripts/same-outputs.sh [BASE_REV] [CAPTURE ...]
#
# Builds nbtsniff at BASE_REV (default: origin/main, else HEAD~1) in a
# temporary worktree and from the working tree, runs both on every capture
# (default: testdata/pcaps, ../shared/pcaps and ../shared/pcaps/synthetic) in
# each mode below, and diffs the outputs. Exits 1 and prints the first lines
# of each difference when any output differs.
#
# Modes: -V -x, -T fields with every field of -G (in chunks of 60 fields),
# -T json, -T events, --report, --report=json.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"
base=${1:-}
if [ -z "$base" ]; then
  base=$(git rev-parse -q --verify origin/main || git rev-parse HEAD~1)
fi
shift || true
caps=("$@")
if [ ${#caps[@]} -eq 0 ]; then
  shopt -s nullglob
  caps=(testdata/pcaps/*.pcap* ../shared/pcaps/*.pcap* ../shared/pcaps/synthetic/*.pcap*)
fi

work=$(mktemp -d)
trap 'git worktree remove --force "$work/base" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git worktree add -q --detach "$work/base" "$base"
(cd "$work/base" && go build -o "$work/nbt-base" ./cmd/nbtsniff)
go build -o "$work/nbt-head" ./cmd/nbtsniff

# Every field both binaries know, in chunks: one -T fields run per chunk.
comm -12 <("$work/nbt-base" -G | cut -f3 | sort -u) <("$work/nbt-head" -G | cut -f3 | sort -u) >"$work/fields"
split -l 60 "$work/fields" "$work/chunk."

run() { # run BIN CAPTURE OUTFILE ARGS...
  local bin=$1 cap=$2 out=$3
  shift 3
  "$bin" --no-tui -r "$cap" "$@" >"$out" 2>&1 || echo "exit $?" >>"$out"
}

fail=0 n=0
for cap in "${caps[@]}"; do
  modes=("-V -x" "-T json" "-T events" "--report" "--report=json")
  for chunk in "$work"/chunk.*; do
    modes+=("-T fields -E header=y $(sed 's/^/-e /' "$chunk" | tr '\n' ' ')")
  done
  for m in "${modes[@]}"; do
    # shellcheck disable=SC2086
    run "$work/nbt-base" "$cap" "$work/a" $m
    # shellcheck disable=SC2086
    run "$work/nbt-head" "$cap" "$work/b" $m
    n=$((n + 1))
    if ! cmp -s "$work/a" "$work/b"; then
      fail=1
      echo "DIFFERS: $cap ${m:0:40}"
      diff "$work/a" "$work/b" | head -8 || true
    fi
  done
done
echo "same-outputs: $n runs on ${#caps[@]} captures against $(git rev-parse --short "$base"): $([ $fail = 0 ] && echo identical || echo DIFFERENT)"
exit $fail
