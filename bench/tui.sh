#!/usr/bin/env bash
# bench/tui.sh [FILE] -- the terminal UI's load against --report on the same
# file, in one run: nbtsniff -r FILE --report under GNU time, then the real
# UI (nbtsniff -r FILE) in a tmux pane of 160x48, polled with
# tmux capture-pane every 20 ms: the time to the first screen (the tab
# bar drawn), to fully loaded (the status bar says "loaded"), the UI's max
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

# tui: one run of the UI; appends "load first rss frames" to runs.tui.
tui() {
	local t0 first="" loaded="" pane
	rm -f "$tmp/tui.time"
	t0=$(now)
	tmux new-session -d -s "$sess" -x 160 -y 48 \
		"NO_COLOR=1 /usr/bin/time -f '%e %U %S %M' -o '$tmp/tui.time' '$bin' -r '$file'"
	for _ in $(seq 30000); do # 10 minutes at most
		# One process a poll (the tmux client): the patterns are bash's, not
		# grep's, so that the polling takes less of the 2 cores from the UI.
		pane=$(tmux capture-pane -p -t "$sess" 2>/dev/null || true)
		if [ -z "$first" ] && [[ $pane == *"1 Overview"* ]]; then
			first=$(awk -v a="$t0" -v b="$(now)" 'BEGIN{printf "%.3f", b-a}')
		fi
		if [[ $pane == *"frames · loaded"* ]]; then
			loaded=$(awk -v a="$t0" -v b="$(now)" 'BEGIN{printf "%.3f", b-a}')
			frames=$(grep -o '[0-9,]* frames · loaded' <<<"$pane" | head -1 | tr -d ', ' | sed 's/frames.*//')
			break
		fi
		sleep 0.02
	done
	[ -n "$loaded" ] || { echo "bench: the UI did not finish loading:" >&2; echo "$pane" >&2; exit 1; }
	tmux send-keys -t "$sess" q
	for _ in $(seq 500); do [ -s "$tmp/tui.time" ] && break; sleep 0.02; done
	cleanup_tmux
	local el u s rss
	read -r el u s rss <"$tmp/tui.time"
	echo "$loaded ${first:-$loaded} $rss $frames $(awk -v u="$u" -v s="$s" 'BEGIN{printf "%.2f", u+s}')" >>"$tmp/runs.tui"
}

for _ in $(seq "$runs"); do
	round report "$tmp/report.out" "$bin" -r "$file" --report
	tui
done

pick report
rel=$el rcpu=$cpu rrss=$rss rmed=$med
read -r tload tfirst trss frames tcpu < <(sort -n "$tmp/runs.tui" | head -1)
n=$(wc -l <"$tmp/runs.tui")
tmed=$(sort -n "$tmp/runs.tui" | awk -v m=$(((n + 1) / 2)) 'NR==m{print $1}')
fmed=$(sort -k2 -n "$tmp/runs.tui" | awk -v m=$(((n + 1) / 2)) 'NR==m{print $2}')
awk -v f="$frames" -v rel="$rel" -v rcpu="$rcpu" -v rrss="$rrss" -v rmed="$rmed" \
	-v tl="$tload" -v tf="$tfirst" -v trss="$trss" -v tcpu="$tcpu" -v tmed="$tmed" -v fmed="$fmed" -v runs="$runs" 'BEGIN{
	printf "frames: %d   (fastest of %d runs; median in brackets)\n", f, runs
	printf "--report        %7.2f s wall [%.2f]  %6.2f s cpu  %9.0f frames/s  max RSS %6.1f MB\n", rel, rmed, rcpu, f/rel, rrss/1024
	printf "TUI loaded      %7.2f s wall [%.2f]  %6.2f s cpu  %9.0f frames/s  max RSS %6.1f MB  (%.0f bytes/frame)\n", tl, tmed, tcpu, f/tl, trss/1024, trss*1024/f
	printf "TUI first screen %6.3f s      [%.3f]\n", tf, fmed
	printf "ratio TUI load / --report: %.2f (fastest), %.2f (medians); target <= 1.5\n", tl/rel, tmed/rmed
}'
