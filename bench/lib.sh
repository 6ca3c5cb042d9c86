# bench/lib.sh -- shared by bench/fields.sh and bench/report.sh (sourced).
# Needs: go, /usr/bin/time (GNU time). Sets $tmp (removed on exit unless
# KEEP=1) and $bin (nbtsniff built from this tree, pure Go).

[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is missing (apt-get install -y time)" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nbtsniff-bench.XXXXXX")
if [ "${KEEP:-0}" != 1 ]; then trap 'rm -rf "$tmp"' EXIT; else echo "keeping $tmp"; fi

echo "== $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPU ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')), $(go version | cut -d' ' -f3), load average $(cut -d' ' -f1-3 /proc/loadavg)"
bin=$tmp/nbtsniff
CGO_ENABLED=0 go build -o "$bin" ./cmd/nbtsniff

# mkcap FRAMES OUT: the benchmark capture (see bench/mkcap): with OTHER=N,
# the realistic mix (N frames of TCP 443/80 and UDP 53, then FRAMES NBT
# frames; mkcap -other); INPUTS (space-
# separated paths or globs) replaces the default inputs.
mkcap() {
	# shellcheck disable=SC2086 # INPUTS is a list of globs
	go run ./bench/mkcap -q -other "${OTHER:-0}" -frames "$1" -o "$2" ${INPUTS:-} 2>/dev/null
	cat "$2" >/dev/null # into the page cache
}

# timed OUT CMD...: runs CMD >OUT under GNU time; sets el (wall seconds),
# cpu (user+sys seconds) and rss (max RSS, KiB).
timed() {
	local out=$1
	shift
	/usr/bin/time -f '%e %U %S %M' -o "$tmp/time" "$@" >"$out" 2>"$tmp/stderr" || {
		echo "bench: $* failed:" >&2
		cat "$tmp/stderr" >&2
		exit 1
	}
	local u s
	read -r el u s rss <"$tmp/time"
	cpu=$(awk -v u="$u" -v s="$s" 'BEGIN{printf "%.2f", u+s}')
}

# best RUNS OUT CMD...: timed, RUNS times; keeps the fastest (wall) run.
best() {
	local runs=$1 i bel bcpu brss
	shift
	for i in $(seq "$runs"); do
		timed "$@"
		if [ -z "${bel:-}" ] || awk -v a="$el" -v b="$bel" 'BEGIN{exit !(a<b)}'; then bel=$el bcpu=$cpu brss=$rss; fi
	done
	el=$bel cpu=$bcpu rss=$brss
}

# line NAME FRAMES BYTES: one result line from el, cpu, rss.
line() {
	awk -v n="$1" -v f="$2" -v b="$3" -v s="$el" -v c="$cpu" -v r="$rss" 'BEGIN{
		if (s < 0.01) s = 0.01; if (c < 0.01) c = 0.01
		printf "%-16s %7.2f s wall %7.2f s cpu %11.0f frames/s %7.1f MB/s  max RSS %6.1f MB\n", n, s, c, f/s, b/s/1e6, r/1024 }'
}

# round NAME OUT CMD...: one timed run of CMD, kept under NAME; several
# rounds of several commands, interleaved, expose every tool to the same
# moments of a noisy machine. pick NAME sets el, cpu and rss from the
# fastest (wall) run of NAME, and med (the median wall time).
round() {
	local name=$1
	shift
	timed "$@"
	echo "$el $cpu $rss" >>"$tmp/runs.$name"
}
pick() {
	local n
	n=$(wc -l <"$tmp/runs.$1")
	read -r el cpu rss < <(sort -n "$tmp/runs.$1" | head -1)
	med=$(sort -n "$tmp/runs.$1" | awk -v m=$(((n + 1) / 2)) 'NR==m{print $1}')
}
