#!/usr/bin/env bash
# bench/speed.sh -- the table of README.md's speed section: this build
# against the bare read loop, the previous release and tshark, on the
# captures of issue 15, in Markdown.
#
# Rows: the realistic mix (bench/mkcap -other MIX_OTHER -frames MIX_NBT
# -seed SEED), the NBT-dense mix (bench/mkcap -frames DENSE_FRAMES), the
# many-hosts captures (bench/manyhosts -hosts N, each N of HOSTS).
# Columns: frames/s of the bare loop (bench/readloop), this build's
# `--report` and `-T fields -e frame.number -e nbns.name -e
# browser.command`, the same of the previous release (BASE, see lib.sh),
# tshark's `-T fields` with the same fields on one core (taskset -c 0),
# and the ratios: each of this build's commands against the loop, this
# build against the previous release, this build's `-T fields` against
# tshark (all cores, and both on one core). tshark runs on the whole
# dense mix but on a cut of the realistic mix (bench/mkcap -other
# TSHARK_OTHER -frames TSHARK_NBT: a tenth by default; tshark takes ~2 min
# and 2.5 GB on all of it), with this build's -T fields on the same cut for
# the ratio. The many-hosts rows have --report alone.
#
# Each row's commands run in RUNS interleaved rounds (the bare loop three
# times a round); a cell is the fastest run's frames/s, a ratio the ratio
# of the fastest runs (noise only ever adds time; the medians are printed
# above the table). Above the table, each
# command's fastest and median times (bench/lib.sh's show), and after it
# issue 15's targets with what this run measured. Nothing is asserted.
#
# Environment: RUNS (default 3); MIX_OTHER (1000000), MIX_NBT (23000),
# SEED (1), TSHARK_OTHER (100000), TSHARK_NBT (2300), DENSE_FRAMES
# (464280), HOSTS ("10000 100000 1000000"); MIX, DENSE (ready captures);
# CAPS; BASE (default 144b975; BASE= for none); NBTSNIFF_ARGS; INPUTS;
# TMPDIR; KEEP=1.
#
#	nice bench/speed.sh                 # ~6 min on 2 vCPUs
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
MIX_OTHER=${MIX_OTHER:-1000000}
MIX_NBT=${MIX_NBT:-23000}
SEED=${SEED:-1}
TSHARK_OTHER=${TSHARK_OTHER:-100000}
TSHARK_NBT=${TSHARK_NBT:-2300}
DENSE_FRAMES=${DENSE_FRAMES:-464280}
HOSTS=${HOSTS:-10000 100000 1000000}
command -v tshark >/dev/null || { echo "bench/speed.sh: tshark is not installed (apt-get install -y tshark)" >&2; exit 1; }
command -v taskset >/dev/null || { echo "bench/speed.sh: taskset is not installed (apt-get install -y util-linux)" >&2; exit 1; }
# shellcheck source=bench/lib.sh
. bench/lib.sh
base_build
echo "== $(tshark -v 2>/dev/null | head -1)"
one=(taskset -c 0)
fields3=(-T fields -e frame.number -e nbns.name -e browser.command)
targets=$tmp/targets
table=$tmp/table
: >"$targets"

# cell NAME FRAMES: the fastest run's frames/s; "" without runs.
cell() {
	[ -s "$tmp/runs.$1" ] || return 0
	rate "$(fps "$1" "$2")" 1
}

# x A B: the ratio of the fastest runs, A's speed over B's ("" without runs).
x() {
	[ -s "$tmp/runs.$1" ] && [ -s "$tmp/runs.$2" ] || return 0
	printf '%.2f' "$(ratioval "$1" "$2")"
}

# target TEXT A B GOAL: a line of the targets list (a ratio of the fastest runs).
target() {
	local v
	v=$(ratioval "$2" "$3")
	printf -- '- %s: %.3f (target %s: %s)\n' "$1" "$v" "$4" "$(verdict "$v" "$4")" >>"$targets"
}

# commas N: 1234567 as 1,234,567.
commas() {
	echo "$1" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta'
}

# label NAME: what the command NAME is, for show.
label() {
	case $1 in
	loop) echo "bare loop" ;;
	report) echo "--report" ;;
	fields) echo "-T fields (3 fields)" ;;
	breport) echo "previous --report" ;;
	bfields) echo "previous -T fields" ;;
	one) echo "-T fields, 1 core" ;;
	tshark) echo "tshark -T fields, 1 core" ;;
	esac
}

# measure LABEL CAPTURE NAME...: RUNS interleaved rounds of the commands
# NAME (loop, report, fields, breport, bfields, one, tshark) on CAPTURE,
# each NAME kept as P.NAME with P the first word of LABEL; sets frames.
measure() {
	local label=$1 cap=$2 p=${1%% *} i name
	shift 2
	frames=$(frames_of "$cap")
	echo "== $label: $cap: $frames frames, $(($(stat -c %s "$cap") / 1000000)) MB; $RUNS interleaved rounds"
	for i in $(seq "$RUNS"); do
		for name in "$@"; do
			case $name in
			loop) loops "$p.$name" "$cap" ;;
			report) round "$p.$name" "$tmp/$p.$name" "$bin" -r "$cap" "${nargs[@]}" --report ;;
			fields) round "$p.$name" "$tmp/$p.$name" "$bin" -r "$cap" "${nargs[@]}" "${fields3[@]}" ;;
			breport) [ -z "$base" ] || round "$p.$name" "$tmp/$p.$name" "$base" -r "$cap" "${nargs[@]}" --report ;;
			bfields) [ -z "$base" ] || round "$p.$name" "$tmp/$p.$name" "$base" -r "$cap" "${nargs[@]}" "${fields3[@]}" ;;
			one) round "$p.$name" "$tmp/$p.$name" "${one[@]}" "$bin" -r "$cap" "${nargs[@]}" "${fields3[@]}" ;;
			tshark) round "$p.$name" "$tmp/$p.$name" "${one[@]}" tshark -n -r "$cap" "${fields3[@]}" ;;
			esac
		done
		[ "$i" != 1 ] || echo "   (round 1 done at $(date -u +%H:%M:%S))"
	done
	for name in "$@"; do
		[ -s "$tmp/runs.$p.$name" ] || continue
		show "$(label "$name")" "$p.$name" "$frames"
	done
	if [ -n "$base" ]; then
		for name in report fields; do
			[ -s "$tmp/runs.$p.b$name" ] || continue
			cmp -s "$tmp/$p.$name" "$tmp/$p.b$name" || echo "!! $label: this build's $name output differs from the previous release's"
		done
	fi
}

# The realistic mix, and tshark on its cut.
mixcap=${MIX:-}
[ -n "$mixcap" ] || mixcap=$(cap_mix "$MIX_OTHER" "$MIX_NBT" "$SEED")
measure "mix (mkcap -other $MIX_OTHER -frames $MIX_NBT -seed $SEED)" "$mixcap" loop report fields breport bfields
mixframes=$frames
[ -n "${CAPS:-}" ] || [ -n "${MIX:-}" ] || rm -f "$mixcap"
measure "cut (mkcap -other $TSHARK_OTHER -frames $TSHARK_NBT -seed $SEED)" "$(cap_mix "$TSHARK_OTHER" "$TSHARK_NBT" "$SEED")" fields one tshark
cutframes=$frames
cmp -s "$tmp/cut.fields" "$tmp/cut.tshark" || echo "!! the cut of the mix: nbtsniff's -T fields differs from tshark's"
echo "| realistic mix: $(commas "$MIX_OTHER") frames of TCP 443/80 and UDP 53, then $(commas "$MIX_NBT") NBT | $(commas "$mixframes") |" \
	"$(cell mix.loop "$mixframes") | $(cell mix.report "$mixframes") | $(cell mix.fields "$mixframes") |" \
	"$(cell mix.breport "$mixframes") | $(cell mix.bfields "$mixframes") | $(cell cut.tshark "$cutframes") (on a cut of $(commas "$cutframes") frames) |" \
	"$(x mix.report mix.loop) | $(x mix.fields mix.loop) | $(x mix.report mix.breport) / $(x mix.fields mix.bfields) |" \
	"$(x cut.fields cut.tshark)x (1 core: $(x cut.one cut.tshark)x) |" >>"$table"
target "realistic mix, \`--report\` / bare loop" mix.report mix.loop 0.5
target "realistic mix, \`-T fields\` / bare loop" mix.fields mix.loop 0.5

# The NBT-dense mix.
densecap=${DENSE:-}
[ -n "$densecap" ] || densecap=$(cap_dense "$DENSE_FRAMES")
measure "dense (mkcap -frames $DENSE_FRAMES${INPUTS:+ $INPUTS})" "$densecap" loop report fields breport bfields one tshark
cmp -s "$tmp/dense.fields" "$tmp/dense.tshark" || echo "   (the dense mix: nbtsniff's -T fields differs from tshark's on $(diff "$tmp/dense.tshark" "$tmp/dense.fields" | grep -c '^>' || true) lines: the SMIA capture's holes, see bench/README.md)"
echo "| NBT-dense: the real captures' NBT frames repeated | $(commas "$frames") |" \
	"$(cell dense.loop "$frames") | $(cell dense.report "$frames") | $(cell dense.fields "$frames") |" \
	"$(cell dense.breport "$frames") | $(cell dense.bfields "$frames") | $(cell dense.tshark "$frames") |" \
	"$(x dense.report dense.loop) | $(x dense.fields dense.loop) | $(x dense.report dense.breport) / $(x dense.fields dense.bfields) |" \
	"$(x dense.fields dense.tshark)x (1 core: $(x dense.one dense.tshark)x) |" >>"$table"
v=$(fps dense.report "$frames")
# shellcheck disable=SC2016 # the backquotes are Markdown's
printf -- '- NBT-dense, `--report`: %s frames/s (target 2M: %s)\n' "$(rate "$v" 1)" "$(verdict "$v" 2000000)" >>"$targets"
target "NBT-dense, \`--report\` / bare loop" dense.report dense.loop 0.2
target "NBT-dense, \`-T fields\` / tshark, both on one core (3 fields; bench/fields.sh: 78)" dense.one dense.tshark 30

# Many hosts.
for n in $HOSTS; do
	cap=$(cap_hosts "$n" 1)
	measure "h$n (manyhosts -hosts $n)" "$cap" loop report breport
	echo "| many hosts: one HostAnnouncement from each of $(commas "$n") | $(commas "$frames") |" \
		"$(cell "h$n.loop" "$frames") | $(cell "h$n.report" "$frames") | | $(cell "h$n.breport" "$frames") | | |" \
		"$(x "h$n.report" "h$n.loop") | | $(x "h$n.report" "h$n.breport") | |" >>"$table"
	v=$(fps "h$n.report" "$frames")
	# shellcheck disable=SC2016 # the backquotes are Markdown's
	printf -- '- many hosts, %s: `--report` %s frames/s (target 500k: %s)\n' "$(commas "$n")" "$(rate "$v" 1)" "$(verdict "$v" 500000)" >>"$targets"
	[ -n "${CAPS:-}" ] || rm -f "$cap"
done

prev=previous
[ -z "$base" ] || prev="previous ($(git rev-parse --short "${BASE-144b975}"))"
echo
echo "| capture | frames | bare loop | \`--report\` | \`-T fields\` | $prev \`--report\` | $prev \`-T fields\` | tshark \`-T fields\` | \`--report\` / loop | \`-T fields\` / loop | this / previous (\`--report\` / \`-T fields\`) | \`-T fields\` / tshark |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
cat "$table"
echo
cat "$targets"
