#!/usr/bin/env bash
# tui-screens.sh — print every screen of nbtsniff's terminal UI, as the real
# binary draws it in tmux (tmux capture-pane -p), at 80x24 and 220x50, on a
# two-segment merge and on an election storm (issue 16's checklist).
#
#   scripts/tui-screens.sh [SIZE ...]        sizes default to 80x24 220x50
#
# Captures (testdata/pcaps): the dmb lab's two subnets read as two inputs
# (-r A=dmb.subnetA.pcapng -r B=dmb.subnetB.pcapng: a DMB on A, a local
# master on B that syncs with it) and storm.pcapng (an election storm, a
# split brain). NBTSNIFF=/path/to/binary uses that binary instead of
# building one. Needs tmux. Exits non-zero if a screen never shows what it
# should.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(80x24 220x50)
command -v tmux >/dev/null || { echo "tui-screens: tmux is not installed" >&2; exit 2; }

tmp=$(mktemp -d)
cleanup() {
	for s in $(tmux list-sessions -F '#S' 2>/dev/null | grep "^nbtscr-$$-" || true); do
		tmux kill-session -t "$s" 2>/dev/null || true
	done
	rm -rf "$tmp"
}
trap cleanup EXIT

bin=${NBTSNIFF:-}
if [ -z "$bin" ]; then
	bin=$tmp/nbtsniff
	(cd "$repo" && go build -o "$bin" ./cmd/nbtsniff)
fi

sess=""
screen() { tmux capture-pane -p -t "$sess"; }
keys() { tmux send-keys -t "$sess" "$@"; }

# waitfor TEXT: until the screen shows TEXT (fixed string), at most 15 s.
waitfor() {
	local i
	for i in $(seq 150); do
		if screen | grep -qF -- "$1"; then return 0; fi
		sleep 0.1
	done
	echo "tui-screens: the screen never showed \"$1\"; it shows:" >&2
	screen >&2
	exit 1
}

# show TITLE: print the screen once it has settled (two captures alike:
# the UI redraws on a 150 ms tick).
show() {
	local a b i
	for i in $(seq 50); do
		a=$(screen)
		sleep 0.2
		b=$(screen)
		if [ "$a" = "$b" ] && [ -n "$(printf '%s' "$a" | tr -d '[:space:]')" ]; then break; fi
	done
	printf '\n===== %s %s — %s =====\n' "$name" "$size" "$1"
	printf '%s\n' "$b" | sed -e 's/[[:space:]]*$//'
}

# run NAME ARGS...: every screen of the UI over the inputs ARGS.
run() {
	name=$1
	shift
	local args="" a
	for a in "$@"; do args+=" '$a'"; done
	for size in "${sizes[@]}"; do
		local w=${size%x*} h=${size#*x}
		sess=nbtscr-$$-$name-$size
		tmux new-session -d -s "$sess" -x "$w" -y "$h" \
			"cd '$repo' && NO_COLOR=1 TERM=xterm-256color '$bin'$args --tui; echo; echo '[nbtsniff exited]'; sleep 30"
		waitfor " loaded"
		show "1 Overview (the end of the capture)"
		keys Enter
		waitfor "esc: back"
		show "1 Overview — Enter: the row's detail"
		keys Escape
		sleep 0.3 # an Escape followed at once by a key reads as Alt+key
		keys 2
		waitfor "cursor"
		show "2 Timeline"
		keys 3
		waitfor "Outcome"
		show "3 Elections"
		keys 4
		waitfor "Browse List of"
		show "4 Browse List"
		keys 5
		waitfor "Meaning"
		show "5 Names"
		keys 6
		waitfor "Destination"
		show "6 Frames"
		keys Enter
		waitfor "selected:"
		keys L
		waitfor "Layers (L"
		show "6 Frames — Enter, L: the frame's layers"
		keys Escape
		sleep 0.3
		keys t
		waitfor "-t ud"
		show "6 Frames — t: the clock in tshark's -t ud"
		keys t t
		waitfor "-t d"
		keys 7
		waitfor "Explanation"
		show "7 Anomalies (-t d: times relative to the first frame)"
		keys t t t t t
		keys '?'
		waitfor "any key closes this help"
		show "? help"
		keys q q
		waitfor "[nbtsniff exited]"
		tmux kill-session -t "$sess"
	done
}

run two-segments -r "A=testdata/pcaps/dmb.subnetA.pcapng" -r "B=testdata/pcaps/dmb.subnetB.pcapng"
run storm -r testdata/pcaps/storm.pcapng
