#!/usr/bin/env bash
# bench/nats.sh [FRAMES] -- the sensors-and-analyzer path through NATS
# JetStream against -r, on the same frames.
#
# A FRAMES-frame capture (default 300000, made by bench/mkcap) is read with
# `nbtsniff -r bench/a=FILE --report` (the reference), published by a
# sensor (`nbtsniff -r FILE -q --publish URL --segment bench/a`, at full
# speed) into a local nats-server (JetStream, file storage, in TMPDIR), and
# read back by the central analyzer (`nbtsniff --subscribe URL --report`,
# which replays the stream and ends). It prints each one's wall and CPU
# time, frames/s and max RSS, the ratios, and whether the analyzer's
# report is the file's, byte for byte. Then natsfeed's Go benchmark
# (BenchmarkPublishSubscribe: two sensors and the merging subscriber,
# without decoding, against merging the two files) for the transport
# alone. Nothing is asserted.
#
# Needs nats-server (Debian: apt-get install nats-server). Environment:
# INPUTS (captures to repeat, as for bench/report.sh), RUNS (runs of -r and
# --subscribe, the fastest is kept; default 3), TMPDIR, KEEP=1, GOBENCH=0
# (skip the Go benchmark).
set -euo pipefail
cd "$(dirname "$0")/.."

FRAMES=${1:-300000}
RUNS=${RUNS:-3}
command -v nats-server >/dev/null || { echo "bench/nats.sh: nats-server is missing (apt-get install -y nats-server)" >&2; exit 1; }
. bench/lib.sh

cap=$tmp/cap.pcap
mkcap "$FRAMES" "$cap"
size=$(stat -c %s "$cap")

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url=nats://127.0.0.1:$port
nats-server -a 127.0.0.1 -p "$port" -js -sd "$tmp/js" >"$tmp/nats.log" 2>&1 &
nats=$!
trap 'kill "$nats" 2>/dev/null; wait "$nats" 2>/dev/null; [ "${KEEP:-0}" = 1 ] || rm -rf "$tmp"' EXIT
for _ in $(seq 100); do
	(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
	sleep 0.1
done

echo "== $FRAMES frames, $size bytes; nats-server $(nats-server --version | awk '{print $NF}') on $url"
best "$RUNS" "$tmp/file.out" "$bin" -r "bench/a=$cap" --report
line "-r --report" "$FRAMES" "$size"
fel=$el fcpu=$cpu

timed "$tmp/publish.out" "$bin" -r "$cap" -q --publish "$url" --segment bench/a
line "--publish" "$FRAMES" "$size"
grep -h 'frames stored' "$tmp/stderr" | sed 's/^/                 /'
pel=$el
stored=$(du -sb "$tmp/js" | cut -f1)
echo "                 the stream takes $((stored / 1000000)) MB on disk ($((stored / FRAMES)) bytes a frame; the capture $((size / FRAMES)))"

best "$RUNS" "$tmp/sub.out" "$bin" --subscribe "$url" --report
line "--subscribe" "$FRAMES" "$size"
sel=$el scpu=$cpu

awk -v f="$fel" -v fc="$fcpu" -v p="$pel" -v s="$sel" -v sc="$scpu" 'BEGIN{
	printf "ratio            --subscribe --report runs at %.2f of -r --report'"'"'s speed (wall), %.2f (cpu)\n", f/s, fc/sc
	printf "                 publish then analyze: %.2f of -r (wall, end to end)\n", f/(p+s) }'
if cmp -s "$tmp/file.out" "$tmp/sub.out"; then
	echo "identical        the analyzer's report is the file's ($(wc -l <"$tmp/sub.out") lines)"
else
	echo "DIFFERENT        the analyzer's report differs from the file's:"
	diff "$tmp/file.out" "$tmp/sub.out" | head -10
fi

if [ "${GOBENCH:-1}" != 0 ]; then
	echo "== natsfeed: the transport alone (go test -bench PublishSubscribe ./natsfeed)"
	go test -run XXX -bench PublishSubscribe -benchtime 3x ./natsfeed/ 2>&1 | grep -E 'Benchmark|frames'
fi
