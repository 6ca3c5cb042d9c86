#!/usr/bin/env bash
# bench/pgo.sh -- makes cmd/nbtsniff/default.pgo, the CPU profile the go
# command builds nbtsniff with (profile-guided optimisation: `go build`
# and `go test` of cmd/nbtsniff use it by default, -pgo=off does not).
#
# nbtsniff built without a profile runs the workloads issue 15 measures,
# each with --cpuprofile, over the captures of bench/ (the generators are
# deterministic): --report and -T fields (every nbns/nbdgm/nbss field) on
# the NBT-dense mix, --report and -T fields (3 fields) on the realistic
# mix, --report on 10k, 100k and 1M hosts, -V and -T json on a cut of the
# dense mix, and the terminal UI loading the realistic mix in tmux (left
# out, and said so, without tmux). The profiles are merged with
# `go tool pprof -proto`, each weighing what its runs took in CPU time.
# Prints what it ran and the profile's size; commit the new default.pgo
# with the measurements it gave (bench/README.md).
#
# Environment: CAPS (keep the captures, see lib.sh), OUT (default
# cmd/nbtsniff/default.pgo).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
out=${OUT:-cmd/nbtsniff/default.pgo}
plain=$tmp/nbtsniff-nopgo
CGO_ENABLED=0 go build -pgo=off -o "$plain" ./cmd/nbtsniff
mkdir -p "$tmp/prof"
n=0

# prof TIMES ARGS...: TIMES runs of nbtsniff ARGS, each profiled.
prof() {
	local times=$1 i
	shift
	echo "== $times x nbtsniff $*" | cut -c1-160
	for i in $(seq "$times"); do
		n=$((n + 1))
		"$plain" --cpuprofile "$tmp/prof/$n.prof" "$@" >/dev/null
	done
}

dense=$(cap_dense 464280)
mix=$(cap_mix 1000000 23000 1)
cut=$(cap_dense 20000)
"$plain" -G | awk -F'\t' '$5=="nbns"||$5=="nbdgm"||$5=="nbss"{print $3}' | sort -u >"$tmp/fields"
fields=()
while read -r f; do fields+=(-e "$f"); done <"$tmp/fields"

prof 10 -r "$dense" --report
prof 10 -r "$dense" -T fields "${fields[@]}"
prof 5 -r "$mix" --report
prof 5 -r "$mix" -T fields -e frame.number -e nbns.name -e browser.command
prof 10 -r "$(cap_hosts 10000 1)" --report
prof 5 -r "$(cap_hosts 100000 1)" --report
prof 1 -r "$(cap_hosts 1000000 1)" --report
prof 1 -r "$cut" -V
prof 1 -r "$cut" -T json

# The UI, loading the realistic mix in a 160x48 tmux pane until its
# status bar says "loaded", then q.
if command -v tmux >/dev/null; then
	echo "== 3 x nbtsniff -r $mix (the terminal UI, in tmux)"
	for _ in 1 2 3; do
		n=$((n + 1))
		sess=nbtpgo-$$-$n
		tmux new-session -d -s "$sess" -x 160 -y 48 "$plain --cpuprofile $tmp/prof/$n.prof -r $mix"
		for _ in $(seq 600); do
			tmux capture-pane -p -t "$sess" 2>/dev/null | grep -q loaded && break
			sleep 0.1
		done
		tmux send-keys -t "$sess" q
		# The session ends with nbtsniff, once its profile is written.
		for _ in $(seq 100); do
			tmux has-session -t "$sess" 2>/dev/null || break
			sleep 0.1
		done
		tmux kill-session -t "$sess" 2>/dev/null || true
	done
else
	echo "!! tmux is not installed: the terminal UI's load is not in the profile"
fi

go tool pprof -proto "$tmp"/prof/*.prof >"$tmp/default.pgo" 2>/dev/null
mv "$tmp/default.pgo" "$out"
echo "== $out: $(stat -c %s "$out") bytes from $n profiles, $(go tool pprof -top "$out" 2>/dev/null | sed -n "s/^Duration: .*Total samples = \([^ ]*\).*/\1/p") of samples"
