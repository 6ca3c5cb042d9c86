#!/usr/bin/env bash
# bench/fields.sh [SECTION...] -- `nbtsniff -T fields` against `tshark -T
# fields`: same capture, same fields, runs interleaved. Sections (default:
# both):
#
#   dense  the NBT-dense mix (bench/mkcap -frames DENSE_FRAMES), with FIELDS
#          (default: every nbns/nbdgm/nbss field both tools know, 78 of
#          them): nbtsniff on all cores, nbtsniff and tshark each on one
#          core (taskset -c 0); target (issue 15): nbtsniff at least 30x
#          tshark on one core
#   mix    the realistic mix, cut to what tshark gets through in seconds
#          (bench/mkcap -other TSHARK_OTHER -frames TSHARK_NBT -seed SEED;
#          default 100000 and 2300, a tenth of the full mix: tshark takes
#          ~2 min and 2.5 GB on all of it), with `-e frame.number -e
#          nbns.name -e browser.command`: nbtsniff on all cores and on one,
#          tshark on one, and the bare loop (bench/readloop)
#
# Each section runs RUNS interleaved rounds (every command once per round),
# then prints each command's fastest and median wall time, least and
# median CPU time, frames/s and max RSS, and the ratios from the fastest
# runs (whose value decides "met"), the medians and CPU times; whether the
# outputs of nbtsniff and tshark are identical, and of one core and all.
# The previous release (BASE, see lib.sh; on one core) runs in the same
# rounds, its output compared with this build's. Nothing is asserted.
#
# Environment: RUNS (default 3); DENSE_FRAMES (464280); FIELDS ("nbt", or
# a space-separated list of field names); TSHARK_OTHER (100000),
# TSHARK_NBT (2300), SEED (1); DENSE, MIX (a ready capture instead of
# making one); CAPS (keep the captures and the base binary in this
# directory); BASE (default 144b975; BASE= for none); NBTSNIFF_ARGS (extra
# nbtsniff flags, e.g. --tcp-give-up-holes); INPUTS (the dense mix's
# inputs, e.g. INPUTS='testdata/pcaps/[est]*.pcapng
# testdata/pcaps/dmb.subnet*.pcapng' for the Samba lab only); TMPDIR;
# KEEP=1.
#
#	nice bench/fields.sh                              # both, ~3 min
#	TSHARK_OTHER=1000000 TSHARK_NBT=23000 RUNS=1 bench/fields.sh mix   # the whole mix: ~2 min and 2.5 GB for tshark
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
DENSE_FRAMES=${DENSE_FRAMES:-464280}
FIELDS=${FIELDS:-nbt}
TSHARK_OTHER=${TSHARK_OTHER:-100000}
TSHARK_NBT=${TSHARK_NBT:-2300}
SEED=${SEED:-1}
sections=("$@")
[ $# -gt 0 ] || sections=(dense mix)
for s in "${sections[@]}"; do
	case $s in dense | mix) ;; *)
		echo "bench/fields.sh: no section $s (dense, mix)" >&2
		exit 2
		;;
	esac
done
command -v tshark >/dev/null || { echo "bench/fields.sh: tshark is not installed (apt-get install -y tshark)" >&2; exit 1; }
command -v taskset >/dev/null || { echo "bench/fields.sh: taskset is not installed (apt-get install -y util-linux)" >&2; exit 1; }
# shellcheck source=bench/lib.sh
. bench/lib.sh
base_build
echo "== $(tshark -v 2>/dev/null | head -1)"
one=(taskset -c 0)

# header LABEL CAPTURE: the section's first line; sets frames and size.
header() {
	frames=$(frames_of "$2")
	size=$(stat -c %s "$2")
	echo "== $1: $2: $frames frames, $((size / 1000000)) MB; $RUNS interleaved rounds"
}

# fieldargs: -e FIELD... of FIELDS into the array args; "nbt" is every
# nbns/nbdgm/nbss field of nbtsniff that tshark also knows.
fieldargs() {
	args=()
	if [ "$FIELDS" = nbt ]; then
		"$bin" -G | awk -F'\t' '$5=="nbns"||$5=="nbdgm"||$5=="nbss"{print $3}' | sort -u >"$tmp/ours"
		tshark -G fields 2>/dev/null | awk -F'\t' '$1=="F"||$1=="P"{print $3}' | sort -u >"$tmp/theirs"
		comm -12 "$tmp/ours" "$tmp/theirs" >"$tmp/fields"
		local only
		only=$(comm -23 "$tmp/ours" "$tmp/theirs" | tr '\n' ' ')
		echo "== -T fields with $(wc -l <"$tmp/fields") nbns/nbdgm/nbss fields${only:+ (nbtsniff only, left out: $only)}"
	else
		tr ' ' '\n' <<<"$FIELDS" | grep . >"$tmp/fields"
		echo "== -T fields with $(wc -l <"$tmp/fields") fields: $FIELDS"
	fi
	while read -r f; do args+=(-e "$f"); done <"$tmp/fields"
}

dense() {
	local cap=${DENSE:-}
	[ -n "$cap" ] || cap=$(cap_dense "$DENSE_FRAMES")
	header "NBT-dense mix (mkcap -frames $DENSE_FRAMES${INPUTS:+ $INPUTS})" "$cap"
	fieldargs
	for _ in $(seq "$RUNS"); do
		round dense.all "$tmp/dense.all" "$bin" -r "$cap" "${nargs[@]}" -T fields "${args[@]}"
		round dense.one "$tmp/dense.one" "${one[@]}" "$bin" -r "$cap" "${nargs[@]}" -T fields "${args[@]}"
		round dense.tshark "$tmp/dense.tshark" "${one[@]}" tshark -n -r "$cap" -T fields "${args[@]}"
		[ -z "$base" ] || round dense.bone "$tmp/dense.bone" "${one[@]}" "$base" -r "$cap" "${nargs[@]}" -T fields "${args[@]}"
	done
	show "nbtsniff" dense.all "$frames"
	show "nbtsniff, 1 core" dense.one "$frames"
	show "tshark -n, 1 core" dense.tshark "$frames"
	[ -z "$base" ] || show "base, 1 core" dense.bone "$frames"
	ratio "1 core: nbtsniff / tshark" dense.one dense.tshark 30
	ratio "nbtsniff (all cores) / tshark" dense.all dense.tshark
	[ -z "$base" ] || ratio "1 core: this / base" dense.one dense.bone
	same "nbtsniff vs tshark" "$tmp/dense.tshark" "$tmp/dense.all"
	same "1 core vs all cores" "$tmp/dense.all" "$tmp/dense.one"
	[ -z "$base" ] || same "this vs base" "$tmp/dense.bone" "$tmp/dense.one"
}

mix() {
	local cap=${MIX:-}
	[ -n "$cap" ] || cap=$(cap_mix "$TSHARK_OTHER" "$TSHARK_NBT" "$SEED")
	header "realistic mix (mkcap -other $TSHARK_OTHER -frames $TSHARK_NBT -seed $SEED)" "$cap"
	args=(-e frame.number -e nbns.name -e browser.command)
	echo "== -T fields ${args[*]}"
	for _ in $(seq "$RUNS"); do
		loops mix.loop "$cap"
		round mix.all "$tmp/mix.all" "$bin" -r "$cap" "${nargs[@]}" -T fields "${args[@]}"
		round mix.one "$tmp/mix.one" "${one[@]}" "$bin" -r "$cap" "${nargs[@]}" -T fields "${args[@]}"
		round mix.tshark "$tmp/mix.tshark" "${one[@]}" tshark -n -r "$cap" -T fields "${args[@]}"
		[ -z "$base" ] || round mix.ball "$tmp/mix.ball" "$base" -r "$cap" "${nargs[@]}" -T fields "${args[@]}"
	done
	show "bare loop" mix.loop "$frames"
	show "nbtsniff" mix.all "$frames"
	show "nbtsniff, 1 core" mix.one "$frames"
	show "tshark -n, 1 core" mix.tshark "$frames"
	[ -z "$base" ] || show "base" mix.ball "$frames"
	ratio "nbtsniff / tshark" mix.all mix.tshark
	ratio "1 core: nbtsniff / tshark" mix.one mix.tshark
	ratio "nbtsniff / bare loop" mix.all mix.loop 0.5
	[ -z "$base" ] || ratio "this / base" mix.all mix.ball
	same "nbtsniff vs tshark" "$tmp/mix.tshark" "$tmp/mix.all"
	same "1 core vs all cores" "$tmp/mix.all" "$tmp/mix.one"
	[ -z "$base" ] || same "this vs base" "$tmp/mix.ball" "$tmp/mix.all"
}

for s in "${sections[@]}"; do
	"$s"
done
