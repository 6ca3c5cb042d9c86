#!/usr/bin/env bash
# bench/fields.sh [FRAMES] -- throughput of `nbtsniff -T fields` against
# `tshark -T fields`: same capture, same fields, runs interleaved.
#
# Builds nbtsniff, writes a FRAMES-frame pcap (default 1500000) with
# bench/mkcap (the real NBT frames of testdata/pcaps and ../shared/pcaps,
# repeated with shifted times) into a temporary directory, prints every
# nbns/nbdgm/nbss field both tools know with each tool, and reports wall
# and CPU time, frames/s, bytes/s, max RSS and the ratios (all cores, and
# one core with GOMAXPROCS=1: one engine), from the fastest of RUNS
# interleaved runs of each, and the ratio of the medians. It also says
# whether the two outputs are identical. Nothing is asserted.
#
# Environment: OTHER=M (the realistic mix, see lib.sh), NBTSNIFF_ARGS (extra nbtsniff flags, e.g. --tcp-give-up-holes),
# INPUTS (captures to repeat instead of the default set, e.g.
# INPUTS='testdata/pcaps/[est]*.pcapng testdata/pcaps/dmb.subnet*.pcapng'
# for the Samba lab only), TMPDIR (where the capture goes: ~250 MB for 1.5M frames),
# RUNS (rounds: each runs nbtsniff, nbtsniff on one core and tshark once,
# and each tool's fastest run is kept; default 3), KEEP=1 (keep the
# temporary directory).
set -euo pipefail
cd "$(dirname "$0")/.."

FRAMES=${1:-1500000}
RUNS=${RUNS:-3}
command -v tshark >/dev/null || { echo "fields.sh: tshark is not installed (apt-get install -y tshark)" >&2; exit 1; }
. bench/lib.sh
echo "== $(tshark -v 2>/dev/null | head -1)"

big=$tmp/big.pcap
mkcap "$FRAMES" "$big"
size=$(stat -c %s "$big")

# Every nbns/nbdgm/nbss field of nbtsniff that tshark also knows.
"$bin" -G | awk -F'\t' '$5=="nbns"||$5=="nbdgm"||$5=="nbss"{print $3}' | sort -u >"$tmp/ours"
tshark -G fields 2>/dev/null | awk -F'\t' '$1=="F"||$1=="P"{print $3}' | sort -u >"$tmp/theirs"
comm -12 "$tmp/ours" "$tmp/theirs" >"$tmp/fields"
only=$(comm -23 "$tmp/ours" "$tmp/theirs" | tr '\n' ' ')
args=()
while read -r f; do args+=(-e "$f"); done <"$tmp/fields"
echo "== capture: $FRAMES frames, $size bytes; -T fields with $(wc -l <"$tmp/fields") fields${only:+ (nbtsniff only, left out: $only)}"

# RUNS rounds, each running the three commands in turn: the machine's
# slow and fast moments fall on all of them.
for i in $(seq "$RUNS"); do
	round all "$tmp/nbtsniff.out" "$bin" -r "$big" ${NBTSNIFF_ARGS:-} -T fields "${args[@]}"
	# The same on one core (one engine): what each core does, next to tshark's one.
	GOMAXPROCS=1 round one "$tmp/nbtsniff1.out" "$bin" -r "$big" ${NBTSNIFF_ARGS:-} -T fields "${args[@]}"
	round tshark "$tmp/tshark.out" tshark -n -r "$big" -T fields "${args[@]}"
done
pick all
line "nbtsniff" "$FRAMES" "$size"
nel=$el ncpu=$cpu nmed=$med
pick one
line "nbtsniff 1 core" "$FRAMES" "$size"
oel=$el
pick tshark
line "tshark -n" "$FRAMES" "$size"
awk -v te="$el" -v ne="$nel" -v tc="$cpu" -v nc="$ncpu" -v oe="$oel" -v tm="$med" -v nm="$nmed" -v r="$RUNS" \
	'BEGIN{printf "ratio            nbtsniff = %.1fx tshark (wall), %.1fx (cpu), %.1fx on one core; target 30x\n", te/ne, tc/nc, te/oe
	printf "                 (fastest of %d interleaved runs each; medians: %.1fx)\n", r, tm/nm}'
cmp -s "$tmp/nbtsniff.out" "$tmp/nbtsniff1.out" || echo "one core and all cores print different output"
if cmp -s "$tmp/nbtsniff.out" "$tmp/tshark.out"; then
	echo "outputs          identical ($(wc -l <"$tmp/tshark.out") lines)"
else
	echo "outputs          differ on $(diff "$tmp/tshark.out" "$tmp/nbtsniff.out" | grep -c '^>' || true) of $(wc -l <"$tmp/tshark.out") lines"
fi
