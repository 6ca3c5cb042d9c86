#!/usr/bin/env bash
# tui-demo.sh — drive nbtsniff's terminal UI in tmux over a lab capture and
# print every screen as a user sees it (tmux capture-pane -p).
#
#   scripts/tui-demo.sh [CAPTURE] [COLSxROWS ...]
#
# CAPTURE defaults to testdata/pcaps/storm.pcapng (an election storm, a
# split brain, ResetBrowserState); sizes default to 120x40 80x24 160x48.
# NBTSNIFF=/path/to/binary uses that binary instead of building one.
# Needs tmux. Exits non-zero if a screen never shows what it should.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cap=${1:-$repo/testdata/pcaps/storm.pcapng}
shift || true
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(120x40 80x24 160x48)

command -v tmux >/dev/null || { echo "tui-demo: tmux is not installed" >&2; exit 2; }
[ -f "$cap" ] || { echo "tui-demo: no capture $cap" >&2; exit 2; }

tmp=$(mktemp -d)
cleanup() {
	for s in $(tmux list-sessions -F '#S' 2>/dev/null | grep "^nbtdemo-$$-" || true); do
		tmux kill-session -t "$s" 2>/dev/null || true
	done
	rm -rf "$tmp"
	[ -n "${wiredir:-}" ] && rm -rf "$wiredir"
	return 0
}
trap cleanup EXIT

bin=${NBTSNIFF:-}
if [ -z "$bin" ]; then
	bin=$tmp/nbtsniff
	if grep -q 'runTUI(' $(ls "$repo"/cmd/nbtsniff/*.go | grep -v -e '/tui.go$' -e '_test.go$'); then
		(cd "$repo" && go build -o "$bin" ./cmd/nbtsniff)
	else
		# The command line does not call runTUI yet: build a copy of
		# cmd/nbtsniff with the one line that opens the UI (see
		# cmd/nbtsniff/tui.go) added after the flag checks.
		wiredir=$(mktemp -d "$repo/cmd/_tuidemo.XXXXXX")
		cp "$repo"/cmd/nbtsniff/*.go "$wiredir"/
		rm -f "$wiredir"/*_test.go
		perl -0pi -e 's/(\n\treturn process\(ctx, opts, stdin, stdout, stderr\))/\n\tif wantsTUI(opts, stdout) {\n\t\treturn runTUI(ctx, opts, stdin, stdout, stderr)\n\t}$1/' "$wiredir/main.go"
		grep -q 'runTUI(' "$wiredir/main.go" || { echo "tui-demo: could not wire runTUI into a copy of main.go" >&2; exit 2; }
		(cd "$repo" && go build -o "$bin" "./cmd/$(basename "$wiredir")")
		echo "(cmd/nbtsniff does not open the UI yet: built a copy with runTUI wired in)"
	fi
fi

sess=""
screen() { tmux capture-pane -p -t "$sess"; }

# waitfor TEXT: until the screen shows TEXT (fixed string), at most 15 s.
waitfor() {
	local i
	for i in $(seq 150); do
		if screen | grep -qF -- "$1"; then return 0; fi
		sleep 0.1
	done
	echo "tui-demo: the screen never showed \"$1\"; it shows:" >&2
	screen >&2
	exit 1
}

show() {
	local w=$1
	printf '\n===== %s — %s =====\n' "$size" "$2"
	screen | sed -e 's/[[:space:]]*$//'
	printf '%s\n' "$(printf '%*s' "$w" '' | tr ' ' '-')"
}

keys() { tmux send-keys -t "$sess" "$@"; }

for size in "${sizes[@]}"; do
	w=${size%x*}
	h=${size#*x}
	sess=nbtdemo-$$-$size
	tmux new-session -d -s "$sess" -x "$w" -y "$h" \
		"NO_COLOR=1 TERM=xterm-256color '$bin' -r '$cap' --tui; echo; echo '[nbtsniff exited]'; sleep 30"
	waitfor "frames · loaded"
	show "$w" "1 Overview (state at the end of the capture)"

	keys 2
	waitfor "follow (F)"
	show "$w" "2 Timeline"

	# Time cursor: back to the start, then from event to event of the lane.
	keys H H H H
	waitfor "pinned"
	for _ in 1 2 3 4 5 6; do keys ']'; done
	waitfor "pinned"
	sleep 0.3
	show "$w" "2 Timeline — cursor moved with ] (next event of the lane)"

	keys 1
	waitfor "Latest anomalies"
	show "$w" "1 Overview at the cursor"
	keys 4
	waitfor "Browse List of"
	show "$w" "4 Browse List at the cursor"
	keys F

	keys 3
	waitfor "Outcome"
	show "$w" "3 Elections"
	keys Down Enter
	waitfor "Candidates"
	show "$w" "3 Elections — election #2 opened"
	keys f
	waitfor "selected:"
	show "$w" "6 Frames — jumped to the round's frame (tree and hex)"
	keys Escape
	waitfor "Destination"
	keys Escape
	sleep 0.2

	keys /
	waitfor "filter>"
	keys -l 'browser.command =='
	waitfor "^"
	show "$w" "6 Frames — display filter being typed, error position shown"
	keys -l ' 0x08'
	keys Enter
	waitfor "filter: browser.command == 0x08"
	show "$w" "6 Frames — filtered"

	keys 5
	waitfor "Meaning"
	show "$w" "5 Names"
	keys 7
	waitfor "Explanation"
	show "$w" "7 Anomalies"
	keys '?'
	waitfor "any key closes this help"
	show "$w" "? help"
	keys q
	keys q
	waitfor "[nbtsniff exited]"
	tmux kill-session -t "$sess"
done
