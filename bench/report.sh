#!/usr/bin/env bash
# bench/report.sh [FRAMES] -- speed and memory of `nbtsniff --report`.
#
# Speed: `nbtsniff --report` over a FRAMES-frame capture (default 1500000,
# made by bench/mkcap) against bench/readloop, a bare pcapgo loop that only
# reads the same file's records (1 MiB buffer, zero copy); target: --report
# at least a quarter of the bare loop's speed. pcapgo's plain idiom
# (readloop -plain) is timed too, for reference. Memory: --report over
# captures of MEMFRAMES (default FRAMES/8), 4x and 16x that length (the
# last one ~500 MB on disk for the default), with the max RSS and the live
# heap after the last garbage collection (GODEBUG=gctrace=1), which should
# not grow with the length of the capture. Nothing is asserted.
#
# Environment: OTHER=M (the realistic mix: M frames of TCP 443/80 and UDP 53
# before the FRAMES NBT frames), NBTSNIFF_ARGS (extra nbtsniff flags, e.g. --tcp-give-up-holes),
# INPUTS (captures to repeat instead of the default set, e.g.
# INPUTS='testdata/pcaps/[est]*.pcapng testdata/pcaps/dmb.subnet*.pcapng'
# for the Samba lab only), TMPDIR, RUNS (runs per timing, the fastest is kept; default
# 3), KEEP=1.
set -euo pipefail
cd "$(dirname "$0")/.."

FRAMES=${1:-1500000}
RUNS=${RUNS:-3}
. bench/lib.sh
go build -o "$tmp/readloop" ./bench/readloop

big=$tmp/big.pcap
mkcap "$FRAMES" "$big"
size=$(stat -c %s "$big")
echo "== speed: $FRAMES frames, $size bytes"
best "$RUNS" "$tmp/readloop.out" "$tmp/readloop" "$big"
line "pcapgo loop" "$FRAMES" "$size"
rel=$el rcpu=$cpu
# For reference only: pcapgo's documented idiom (no buffer, a copy per record).
best "$RUNS" "$tmp/readloop.out" "$tmp/readloop" -plain "$big"
line "pcapgo plain" "$FRAMES" "$size"
pel=$el
best "$RUNS" "$tmp/report.out" "$bin" -r "$big" ${NBTSNIFF_ARGS:-} --report
line "nbtsniff --report" "$FRAMES" "$size"
awk -v re="$rel" -v ne="$el" -v rc="$rcpu" -v nc="$cpu" -v pe="$pel" 'BEGIN{
	if (ne < 0.01) ne = 0.01; if (nc < 0.01) nc = 0.01; if (re < 0.01) re = 0.01; if (pe < 0.01) pe = 0.01
	printf "ratio            --report runs at %.3f of the bare loop'"'"'s speed (wall), %.3f (cpu); target 0.5 on the realistic mix (OTHER=1000000 ... 23000), 0.2 dense\n", re/ne, rc/nc
	printf "                 (%.3f of the plain loop'"'"'s, for reference)\n", pe/ne }'

MEMFRAMES=${MEMFRAMES:-$((FRAMES / 8))}
echo "== memory: --report over 1x, 4x, 16x $MEMFRAMES frames"
rm -f "$big"
for mult in 1 4 16; do
	n=$((MEMFRAMES * mult))
	f=$tmp/len$mult.pcap
	mkcap "$n" "$f"
	GODEBUG=gctrace=1 timed "$tmp/report$mult.out" "$bin" -r "$f" ${NBTSNIFF_ARGS:-} --report
	# gctrace: "gc N @t s p%: ... A->B->C MB, ..." -- C is the live heap.
	live=$(awk '/^gc [0-9]+ @/{for (i = 1; i <= NF; i++) if ($i ~ /->.*->/) h = $i} END{split(h, a, "->"); print a[3]}' "$tmp/stderr")
	line "${mult}x --report" "$n" "$(stat -c %s "$f")" | sed "s/\$/  live heap ${live:-?} MB/"
	rm -f "$f"
done
echo "== report of the longest capture: $(wc -l <"$tmp/report16.out") lines; first lines:"
head -5 "$tmp/report16.out" | cut -c1-120
