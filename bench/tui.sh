#!/usr/bin/env bash
# bench/tui.sh [FILE] -- the terminal UI's load against --report on the same
# file, in one run: nbtsniff -r FILE --report under GNU time, then the real
# UI (nbtsniff -r FILE) in a tmux pane of 160x48, polled with
# tmux capture-pane every 20 ms: the time from the UI's start (its
# command in the pane: tmux's own start is not counted) to the first
# screen (the tab bar drawn), to fully loaded (the status bar says
# "loaded"), the UI's max
# RSS and CPU time (GNU time around it, until q quits it once loaded: the
# idle UI adds little), and the ratio of its load
# time to --report's. RUNS=N (default 3) interleaved rounds, the fastest
# run of each kept, the medians printed too.
#
# Without FILE, builds the realistic mix of issue 15 (OTHER=1400000 other
# frames, then FRAMES=30000 NBT frames; about 690 MB) in the temp dir.
# NBTSNIFF=path measures that binary (e.g. the previous release) instead of
# building this tree. Needs tmux and GNU time.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v tmux >/dev/null || { echo "bench: tmux is not installed" >&2; exit 1; }
# shellcheck source=bench/lib.sh
. bench/lib.sh
[ -z "${NBTSNIFF:-}" ] || bin=$NBTSNIFF
runs=${RUNS:-3}

file=${1:-}
if [ -z "$file" ]; then
	file=$tmp/mix.pcap
	OTHER=${OTHER:-1400000} mkcap "${FRAMES:-30000}" "$file"
fi
cat "$file" >/dev/null # into the page cache
size=$(stat -c %s "$file")
echo "file: $file ($(awk -v b="$size" 'BEGIN{printf "%.0f MB", b/1e6}'))  binary: $bin"

sess=nbtbench-$$
cleanup_tmux() { tmux kill-session -t "$sess" 2>/dev/null || true; }
trap 'cleanup_tmux; [ "${KEEP:-0}" = 1 ] || rm -rf "$tmp"' EXIT

now() { date +%s.%N; }

# tui: one run of the UI; appends "load first rss frames cpu tmux" to
# runs.tui. The times count from the start of the UI's command in its pane
# (the shell there writes the time, then execs GNU time and nbtsniff, as
# --report's round does): not the start of tmux's own server and pane
# before it (tmux, in the last column: some 0.05-0.1 s here).
tui() {
	local t0 first="" loaded="" pane
	rm -f "$tmp/tui.time" "$tmp/tui.start"
	t0=$(now)
	tmux new-session -d -s "$sess" -x 160 -y 48 \
		"date +%s.%N >'$tmp/tui.start'; NO_COLOR=1 exec /usr/bin/time -f '%e %U %S %M' -o '$tmp/tui.time' '$bin' -r '$file'"
	for _ in $(seq 30000); do # 10 minutes at most
		# One process a poll (the tmux client): the patterns are bash's, not
		# grep's, so that the polling takes less of the 2 cores from the UI.
		pane=$(tmux capture-pane -p -t "$sess" 2>/dev/null || true)
		if [ -z "$first" ] && [[ $pane == *"1 Overview"* ]]; then
			first=$(now)
		fi
		if [[ $pane == *"frames · loaded"* ]]; then
			loaded=$(now)
			frames=$(grep -o '[0-9,]* frames · loaded' <<<"$pane" | head -1 | tr -d ', ' | sed 's/frames.*//')
			break
		fi
		sleep 0.02
	done
	[ -n "$loaded" ] || { echo "bench: the UI did not finish loading:" >&2; echo "$pane" >&2; exit 1; }
	tmux send-keys -t "$sess" q
	for _ in $(seq 500); do [ -s "$tmp/tui.time" ] && break; sleep 0.02; done
	cleanup_tmux
	local el u s rss start
	read -r el u s rss <"$tmp/tui.time"
	read -r start <"$tmp/tui.start"
	awk -v s="$start" -v t0="$t0" -v l="$loaded" -v f="${first:-$loaded}" -v rss="$rss" -v n="$frames" -v u="$u" -v sy="$s" \
		'BEGIN{printf "%.3f %.3f %s %s %.2f %.3f\n", l-s, f-s, rss, n, u+sy, s-t0}' >>"$tmp/runs.tui"
}

for _ in $(seq "$runs"); do
	round report "$tmp/report.out" "$bin" -r "$file" --report
	tui
done

pick report
rel=$el rcpu=$cpu rrss=$rss rmed=$med
read -r tload tfirst trss frames tcpu ttmux < <(sort -n "$tmp/runs.tui" | head -1)
n=$(wc -l <"$tmp/runs.tui")
tmed=$(sort -n "$tmp/runs.tui" | awk -v m=$(((n + 1) / 2)) 'NR==m{print $1}')
fmed=$(sort -k2 -n "$tmp/runs.tui" | awk -v m=$(((n + 1) / 2)) 'NR==m{print $2}')
awk -v f="$frames" -v rel="$rel" -v rcpu="$rcpu" -v rrss="$rrss" -v rmed="$rmed" \
	-v tl="$tload" -v tf="$tfirst" -v trss="$trss" -v tcpu="$tcpu" -v ttmux="$ttmux" -v tmed="$tmed" -v fmed="$fmed" -v runs="$runs" 'BEGIN{
	printf "frames: %d   (fastest of %d runs; median in brackets)\n", f, runs
	printf "--report        %7.2f s wall [%.2f]  %6.2f s cpu  %9.0f frames/s  max RSS %6.1f MB\n", rel, rmed, rcpu, f/rel, rrss/1024
	printf "TUI loaded      %7.2f s wall [%.2f]  %6.2f s cpu  %9.0f frames/s  max RSS %6.1f MB  (%.0f bytes/frame)\n", tl, tmed, tcpu, f/tl, trss/1024, trss*1024/f
	printf "TUI first screen %6.3f s      [%.3f]  (times from the UI command'"'"'s start in its pane; tmux'"'"'s start before it: %.3f s)\n", tf, fmed, ttmux
	printf "ratio TUI load / --report: %.2f (fastest), %.2f (medians); target <= 1.5\n", tl/rel, tmed/rmed
}'
