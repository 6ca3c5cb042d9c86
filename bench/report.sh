#!/usr/bin/env bash
# bench/report.sh [SECTION...] -- issue 15's targets against the bare read
# loop, and memory over capture length. Sections (default: all four):
#
#   mix     the realistic mix (bench/mkcap -other MIX_OTHER -frames MIX_NBT
#           -seed SEED: 98% TCP 443/80 and UDP 53): `--report` and `-T fields
#           -e frame.number -e nbns.name -e browser.command` against
#           bench/readloop (a bare pcapgo loop, 1 MiB buffer, zero copy);
#           target: each at least 0.5 of the loop's speed
#   dense   the NBT-dense mix (bench/mkcap -frames DENSE_FRAMES): `--report`
#           frames/s, target 2M, and its speed against the loop, target 0.2
#   hosts   the many-hosts captures (bench/manyhosts -hosts N -groups
#           HOST_GROUPS, for each N of HOSTS): `--report` frames/s, target 500k
#   memory  --report, -T fields (the three fields), -T events, -V and -T
#           json over the dense mix of MEMFRAMES, 4x, 16x and 64x as many
#           frames: max RSS, the live heap after the last collection and
#           the number of collections (GODEBUG=gctrace=1); a mode is flat
#           when its max RSS at 64x is at most 1.2 times that at 16x. The
#           16x/4x ratio is printed beside it but does not decide: the
#           bounded tables (TCP conversations, the timeline's history) fill
#           over the first few million frames of this mix (-T json's live
#           heap levels off at about 2.5M frames, --report's past 1M), and
#           a run that never collected (--report at 4x) holds all it
#           allocated. The 64x run reads 12.8M frames (1.9 GB; -V takes
#           about 3 minutes of it)
#
# Each timed section runs RUNS interleaved rounds (every command once per
# round, so a slow moment of the shared machine falls on all of them) and
# prints, for each command, its fastest and median wall time, its least
# and median CPU time, frames/s and max RSS; then each ratio, from the
# fastest runs (whose value decides "met": noise only ever adds time), the
# medians and the CPU times. The bare loop runs three times a round.
# The previous release (BASE, see lib.sh) runs in the same rounds: the
# ratio this/base above 1 is faster, and its output is compared with this
# build's. Nothing is asserted.
#
# Environment: RUNS (default 3); MIX_OTHER (1000000), MIX_NBT (23000),
# SEED (1), DENSE_FRAMES (464280), HOSTS ("10000 100000 1000000"), HOST_GROUPS
# (1), MEMFRAMES (200000); MIX, DENSE (a ready capture instead of making
# one); CAPS (keep the captures and the base binary in this directory);
# BASE (default 144b975; BASE= for none); NBTSNIFF_ARGS (extra nbtsniff
# flags, for both builds); INPUTS (the dense mix's inputs, as for mkcap);
# TMPDIR; KEEP=1.
#
#	bench/report.sh                                   # everything, ~5 min
#	CAPS=/var/tmp/nbt bench/report.sh mix dense       # captures kept for the next run
#	RUNS=1 MIX_OTHER=50000 MIX_NBT=1150 DENSE_FRAMES=50000 HOSTS=10000 MEMFRAMES=5000 bench/report.sh   # a quick look
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
MIX_OTHER=${MIX_OTHER:-1000000}
MIX_NBT=${MIX_NBT:-23000}
SEED=${SEED:-1}
DENSE_FRAMES=${DENSE_FRAMES:-464280}
HOSTS=${HOSTS:-10000 100000 1000000}
HOST_GROUPS=${HOST_GROUPS:-1}
MEMFRAMES=${MEMFRAMES:-200000}
sections=("$@")
[ $# -gt 0 ] || sections=(mix dense hosts memory)
for s in "${sections[@]}"; do
	case $s in mix | dense | hosts | memory) ;; *)
		echo "bench/report.sh: no section $s (mix, dense, hosts, memory)" >&2
		exit 2
		;;
	esac
done
# shellcheck source=bench/lib.sh
. bench/lib.sh
base_build
fields3=(-T fields -e frame.number -e nbns.name -e browser.command)

# header LABEL CAPTURE: the section's first line; sets frames and size.
header() {
	frames=$(frames_of "$2")
	size=$(stat -c %s "$2")
	echo "== $1: $2: $frames frames, $((size / 1000000)) MB; $RUNS interleaved rounds"
}

mix() {
	local cap=${MIX:-}
	[ -n "$cap" ] || cap=$(cap_mix "$MIX_OTHER" "$MIX_NBT" "$SEED")
	header "realistic mix (mkcap -other $MIX_OTHER -frames $MIX_NBT -seed $SEED)" "$cap"
	for _ in $(seq "$RUNS"); do
		loops mix.loop "$cap"
		round mix.report "$tmp/mix.report" "$bin" -r "$cap" "${nargs[@]}" --report
		round mix.fields "$tmp/mix.fields" "$bin" -r "$cap" "${nargs[@]}" "${fields3[@]}"
		if [ -n "$base" ]; then
			round mix.breport "$tmp/mix.breport" "$base" -r "$cap" "${nargs[@]}" --report
			round mix.bfields "$tmp/mix.bfields" "$base" -r "$cap" "${nargs[@]}" "${fields3[@]}"
		fi
	done
	show "bare loop" mix.loop "$frames"
	show "--report" mix.report "$frames"
	show "-T fields (3 fields)" mix.fields "$frames"
	if [ -n "$base" ]; then
		show "base --report" mix.breport "$frames"
		show "base -T fields" mix.bfields "$frames"
	fi
	ratio "--report / bare loop" mix.report mix.loop 0.5
	ratio "-T fields / bare loop" mix.fields mix.loop 0.5
	if [ -n "$base" ]; then
		ratio "--report this / base" mix.report mix.breport
		ratio "-T fields this / base" mix.fields mix.bfields
		same "--report vs base" "$tmp/mix.breport" "$tmp/mix.report"
		same "-T fields vs base" "$tmp/mix.bfields" "$tmp/mix.fields"
	fi
}

dense() {
	local cap=${DENSE:-}
	[ -n "$cap" ] || cap=$(cap_dense "$DENSE_FRAMES")
	header "NBT-dense mix (mkcap -frames $DENSE_FRAMES${INPUTS:+ $INPUTS})" "$cap"
	for _ in $(seq "$RUNS"); do
		loops dense.loop "$cap"
		round dense.report "$tmp/dense.report" "$bin" -r "$cap" "${nargs[@]}" --report
		[ -z "$base" ] || round dense.breport "$tmp/dense.breport" "$base" -r "$cap" "${nargs[@]}" --report
	done
	show "bare loop" dense.loop "$frames"
	show "--report" dense.report "$frames"
	[ -z "$base" ] || show "base --report" dense.breport "$frames"
	speed "--report frames/s" dense.report "$frames" 2000000
	ratio "--report / bare loop" dense.report dense.loop 0.2
	if [ -n "$base" ]; then
		ratio "--report this / base" dense.report dense.breport
		same "--report vs base" "$tmp/dense.breport" "$tmp/dense.report"
	fi
}

hosts() {
	local n cap
	for n in $HOSTS; do
		cap=$(cap_hosts "$n" "$HOST_GROUPS")
		header "many hosts (manyhosts -hosts $n -groups $HOST_GROUPS)" "$cap"
		for _ in $(seq "$RUNS"); do
			loops "hosts$n.loop" "$cap"
			round "hosts$n.report" "$tmp/hosts$n.report" "$bin" -r "$cap" "${nargs[@]}" --report
			[ -z "$base" ] || round "hosts$n.breport" "$tmp/hosts$n.breport" "$base" -r "$cap" "${nargs[@]}" --report
		done
		show "bare loop" "hosts$n.loop" "$frames"
		show "--report" "hosts$n.report" "$frames"
		[ -z "$base" ] || show "base --report" "hosts$n.breport" "$frames"
		speed "--report frames/s, $n hosts" "hosts$n.report" "$frames" 500000
		if [ -n "$base" ]; then
			ratio "--report this / base" "hosts$n.report" "hosts$n.breport"
			same "--report vs base" "$tmp/hosts$n.breport" "$tmp/hosts$n.report"
		fi
	done
}

memory() {
	local modes=(report fields events V json) mult mode cap live gcs
	echo "== memory: the dense mix of $MEMFRAMES, $((MEMFRAMES * 4)), $((MEMFRAMES * 16)) and $((MEMFRAMES * 64)) frames, each mode once; max RSS (live heap after the last GC, collections)"
	for mult in 1 4 16 64; do
		cap=$(cap_dense $((MEMFRAMES * mult)))
		for mode in "${modes[@]}"; do
			local args=()
			case $mode in
			report) args=(--report) ;;
			fields) args=("${fields3[@]}") ;;
			events) args=(-T events) ;;
			V) args=(-V) ;;
			json) args=(-T json) ;;
			esac
			GODEBUG=gctrace=1 timed /dev/null "$bin" -r "$cap" "${nargs[@]}" "${args[@]}"
			# gctrace: "gc N @t s p%: ... A->B->C MB, ..." -- C is the live heap.
			live=$(awk '/^gc [0-9]+ @/{for (i = 1; i <= NF; i++) if ($i ~ /->.*->/) h = $i} END{split(h, a, "->"); print a[3]}' "$tmp/stderr")
			gcs=$(grep -c '^gc [0-9]* @' "$tmp/stderr" || true)
			echo "$rss ${live:-0} $el ${gcs:-0}" >>"$tmp/mem.$mode"
		done
		[ -n "${CAPS:-}" ] || rm -f "$cap"
	done
	for mode in "${modes[@]}"; do
		awk -v m="$mode" '{r[NR] = $1/1024; h[NR] = $2; s[NR] = $3; g[NR] = $4}
		END{
			name = m == "report" ? "--report" : m == "fields" ? "-T fields (3 fields)" : m == "V" ? "-V" : "-T " m
			printf "%-22s", name
			for (i = 1; i <= 4; i++) printf "  %s: %6.1f MB (%3d MB, %d GC) %6.2f s", (i == 1 ? " 1x" : i == 2 ? " 4x" : i == 3 ? "16x" : "64x"), r[i], h[i], g[i], s[i]
			printf "   16x/4x RSS %.2f, 64x/16x RSS %.2f: %s\n", r[3]/r[2], r[4]/r[3], (r[4] <= 1.2*r[3]) ? "flat" : "GROWS"
		}' "$tmp/mem.$mode"
	done
}

for s in "${sections[@]}"; do
	"$s"
done
