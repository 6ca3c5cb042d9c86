#!/usr/bin/env bash
# bench/tui.sh [FILE] -- the terminal UI's load against --report on the same
# file, in one run: nbtsniff -r FILE --report under bench/timeit, then the real
# UI (nbtsniff -r FILE) in a tmux pane of 160x48: the time from the UI's
# start (its command in the pane: tmux's own start is not counted) to the
# first screen (the tab bar drawn), to fully loaded (the status bar says
# "loaded"), the UI's max RSS, CPU time and minor page faults (bench/timeit
# around it, until q quits it once loaded: the idle UI adds little), and
# the ratio of its load time to --report's. RUNS=N (default 3) interleaved rounds, the
# fastest run of each kept, the medians printed too.
#
# The UI's screens are seen in what it writes to its terminal (tmux
# pipe-pane into a perl watcher that notes the time of each string as it
# comes), not by polling the pane: tmux capture-pane every 20 ms (a tmux
# client started each time, the server answering) took CPU from the UI on
# the 2 cores (bench/README.md, session 10). POLL=1 polls as before.
#
# Without FILE, builds the realistic mix of issue 15 (OTHER=1400000 other
# frames, then FRAMES=30000 NBT frames; about 690 MB) in the temp dir.
# NBTSNIFF=path measures that binary (e.g. the previous release) instead of
# building this tree. Needs tmux and perl.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v tmux >/dev/null || { echo "bench: tmux is not installed" >&2; exit 1; }
command -v perl >/dev/null || { echo "bench: perl is not installed" >&2; exit 1; }
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

# $tmp/watch.pl FILE CHANNEL: reads what the UI writes to its terminal
# (pipe-pane) and appends to FILE "first T" when the tab bar is first
# drawn, "loaded T N" when the status bar says N frames loaded (T: Unix
# time), then wakes tmux wait-for CHANNEL and drains the rest. Bytes, not
# characters: the patterns are UTF-8 as written.
cat >"$tmp/watch.pl" <<'EOF'
use Time::HiRes qw(time);
open(my $o, ">>", $ARGV[0]) or die "watch.pl: $ARGV[0]: $!";
select((select($o), $| = 1)[0]);
my ($buf, $first, $done) = ("", 0, 0);
while (sysread(STDIN, my $chunk, 65536)) {
	next if $done;
	$buf .= $chunk;
	if (!$first && index($buf, "1 Overview") >= 0) { printf $o "first %.6f\n", time; $first = 1 }
	if ($buf =~ /([0-9,]+) frames \xc2\xb7 loaded/) {
		(my $n = $1) =~ tr/,//d;
		printf $o "loaded %.6f %s\n", time, $n;
		$done = 1;
		system("tmux", "wait-for", "-S", $ARGV[1]);
	}
	$buf = substr($buf, -512) if length($buf) > 8192;
}
EOF

# poll: tmux capture-pane every 20 ms until the UI is loaded (POLL=1; sets
# first, loaded and frames of tui). One process a poll (the tmux client):
# the patterns are bash's, not grep's.
poll() {
	local pane
	for _ in $(seq 30000); do # 10 minutes at most
		pane=$(tmux capture-pane -p -t "$sess" 2>/dev/null || true)
		if [ -z "$first" ] && [[ $pane == *"1 Overview"* ]]; then
			first=$(now)
		fi
		if [[ $pane == *"frames · loaded"* ]]; then
			loaded=$(now)
			frames=$(grep -o '[0-9,]* frames · loaded' <<<"$pane" | head -1 | tr -d ', ' | sed 's/frames.*//')
			return
		fi
		sleep 0.02
	done
}

# tui: one run of the UI; appends "load first rss frames cpu tmux faults" to
# runs.tui. The times count from the start of the UI's command in its pane
# (the shell there writes the time, then execs GNU time and nbtsniff, as
# --report's round does): not the start of tmux's own server and pane
# before it (tmux, in the last column: some 0.05-0.1 s here). The pane's
# command waits (tmux wait-for) until the watcher is piped in, so that it
# sees the first screen.
tui() {
	local t0 first="" loaded="" frames
	rm -f "$tmp/tui.time" "$tmp/tui.start" "$tmp/tui.seen"
	t0=$(now)
	tmux new-session -d -s "$sess" -x 160 -y 48 \
		"tmux wait-for '$sess-go'; date +%s.%N >'$tmp/tui.start'; NO_COLOR=1 exec '$timeit' -o '$tmp/tui.time' '$bin' -r '$file'"
	if [ "${POLL:-0}" != 1 ]; then
		tmux pipe-pane -O -t "$sess" "exec perl '$tmp/watch.pl' '$tmp/tui.seen' '$sess-loaded'"
	fi
	tmux wait-for -S "$sess-go"
	if [ "${POLL:-0}" != 1 ]; then
		# No polling: the watcher says when the UI is loaded.
		if timeout 600 tmux wait-for "$sess-loaded"; then
			first=$(awk '$1=="first"{print $2}' "$tmp/tui.seen")
			read -r _ loaded frames < <(grep '^loaded' "$tmp/tui.seen")
		fi
	else
		poll
	fi
	[ -n "$loaded" ] || { echo "bench: the UI did not finish loading:" >&2; tmux capture-pane -p -t "$sess" >&2 || true; exit 1; }
	tmux send-keys -t "$sess" q
	for _ in $(seq 500); do [ -s "$tmp/tui.time" ] && break; sleep 0.02; done
	cleanup_tmux
	local el u s rss faults start
	read -r el u s rss faults <"$tmp/tui.time"
	read -r start <"$tmp/tui.start"
	awk -v s="$start" -v t0="$t0" -v l="$loaded" -v f="${first:-$loaded}" -v rss="$rss" -v n="$frames" -v u="$u" -v sy="$s" -v pf="$faults" \
		'BEGIN{printf "%.3f %.3f %s %s %.2f %.3f %s\n", l-s, f-s, rss, n, u+sy, s-t0, pf}' >>"$tmp/runs.tui"
}

for _ in $(seq "$runs"); do
	round report "$tmp/report.out" "$bin" -r "$file" --report
	tui
done

pick report
rel=$el rcpu=$cpu rrss=$rss rmed=$med
read -r tload tfirst trss frames tcpu ttmux tfaults < <(sort -n "$tmp/runs.tui" | head -1)
n=$(wc -l <"$tmp/runs.tui")
tmed=$(sort -n "$tmp/runs.tui" | awk -v m=$(((n + 1) / 2)) 'NR==m{print $1}')
fmed=$(sort -k2 -n "$tmp/runs.tui" | awk -v m=$(((n + 1) / 2)) 'NR==m{print $2}')
awk -v f="$frames" -v rel="$rel" -v rcpu="$rcpu" -v rrss="$rrss" -v rmed="$rmed" \
	-v tl="$tload" -v tf="$tfirst" -v trss="$trss" -v tcpu="$tcpu" -v ttmux="$ttmux" -v tpf="$tfaults" -v tmed="$tmed" -v fmed="$fmed" -v runs="$runs" 'BEGIN{
	printf "frames: %d   (fastest of %d runs; median in brackets)\n", f, runs
	printf "--report        %7.3f s wall [%.3f]  %6.3f s cpu  %9.0f frames/s  max RSS %6.1f MB\n", rel, rmed, rcpu, f/rel, rrss/1024
	printf "TUI loaded      %7.3f s wall [%.3f]  %6.2f s cpu  %9.0f frames/s  max RSS %6.1f MB  (%.0f bytes/frame)  %d page faults\n", tl, tmed, tcpu, f/tl, trss/1024, trss*1024/f, tpf
	printf "TUI first screen %6.3f s      [%.3f]  (times from the UI command'"'"'s start in its pane; tmux'"'"'s start before it: %.3f s)\n", tf, fmed, ttmux
	printf "ratio TUI load / --report: %.2f (fastest), %.2f (medians); target <= 1.5\n", tl/rel, tmed/rmed
}'
