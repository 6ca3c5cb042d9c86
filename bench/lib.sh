# shellcheck shell=bash
# bench/lib.sh -- shared by the scripts of bench/ (sourced from the
# repository root, after set -euo pipefail).
# Needs: go and git. Sets $tmp (removed on exit
# unless KEEP=1), $bin (nbtsniff built from this tree, pure Go), $readloop
# (bench/readloop), $timeit (bench/timeit, which times every run) and $caps (where captures are made: CAPS, or $tmp).
#
# Environment read here: KEEP=1, TMPDIR, CAPS (a directory that keeps the
# generated captures between runs: the generators are deterministic, so a
# capture is named by its arguments and a digest of the generators'
# sources and inputs, and made again only when one of them changes),
# BASE (the previous release, see base_build), NBTSNIFF_ARGS, INPUTS.

tmp=$(mktemp -d "${TMPDIR:-/tmp}/nbtsniff-bench.XXXXXX")
if [ "${KEEP:-0}" != 1 ]; then trap 'rm -rf "$tmp"' EXIT; else echo "keeping $tmp"; fi

echo "== $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPU ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')), $(go version | cut -d' ' -f3), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== this build: $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)')"
bin=$tmp/nbtsniff
CGO_ENABLED=0 go build -o "$bin" ./cmd/nbtsniff
readloop=$tmp/readloop
go build -o "$readloop" ./bench/readloop
timeit=$tmp/timeit
go build -o "$timeit" ./bench/timeit
caps=${CAPS:-$tmp}
mkdir -p "$caps"
# The extra nbtsniff flags, for this build and the base alike.
# shellcheck disable=SC2034 # used by the scripts that source this file
read -r -a nargs <<<"${NBTSNIFF_ARGS:-}"

# mkcap FRAMES OUT: the benchmark capture (see bench/mkcap): with OTHER=N,
# the realistic mix (N frames of TCP 443/80 and UDP 53, then FRAMES NBT
# frames; mkcap -other); INPUTS (space-separated paths or globs) replaces
# the default inputs.
mkcap() {
	# shellcheck disable=SC2086 # INPUTS is a list of globs
	go run ./bench/mkcap -q -other "${OTHER:-0}" -frames "$1" -o "$2" ${INPUTS:-} 2>/dev/null
	cat "$2" >/dev/null # into the page cache
}

# capkey: a digest of what a generated capture depends on besides its
# arguments: the generators' sources, INPUTS and the default inputs.
capkey() {
	{
		cat bench/synth/*.go bench/mkcap/*.go bench/manyhosts/*.go
		echo "${INPUTS:-}"
		ls -l testdata/pcaps ../shared/pcaps 2>/dev/null || true
	} | sha256sum | cut -c1-8
}

# gencap NAME CMD...: the capture $caps/NAME-KEY.pcap, made by CMD (which
# is given -o FILE) unless it is there; prints its path.
gencap() {
	local name=$1 path
	shift
	path=$caps/$name-$(capkey).pcap
	if [ ! -s "$path" ]; then
		echo "bench: making $path: $*" >&2
		"$@" -o "$path.part.$$" >&2 || { echo "bench: $* failed" >&2; exit 1; }
		mv "$path.part.$$" "$path"
	fi
	echo "$path"
}

# cap_dense FRAMES, cap_mix OTHER NBT SEED, cap_hosts HOSTS GROUPS: the
# captures of issue 15 (bench/mkcap, bench/mkcap -other, bench/manyhosts).
cap_dense() {
	# shellcheck disable=SC2086 # INPUTS is a list of globs
	gencap "dense-$1" go run ./bench/mkcap -q -frames "$1" ${INPUTS:-}
}
cap_mix() {
	# shellcheck disable=SC2086 # INPUTS is a list of globs
	gencap "mix-$1-$2-s$3" go run ./bench/mkcap -q -other "$1" -frames "$2" -seed "$3" ${INPUTS:-}
}
cap_hosts() {
	gencap "hosts-$1-g$2" go run ./bench/manyhosts -hosts "$1" -groups "$2"
}

# frames_of FILE: its number of frames (the bare loop reads it, which also
# puts it into the page cache).
frames_of() {
	"$readloop" "$1" | sed -n 's/^frames=\([0-9]*\) .*/\1/p'
}

# loud LINE: LINE on the output, and on the terminal too when the output
# goes to a file.
loud() {
	echo "$1"
	[ -t 1 ] || echo "$1" >&2
}

# base_build: builds the previous release, BASE (a git revision; default
# 144b975, main at the start of session 7; BASE= for none), from `git
# archive` into $tmp (or takes it from $caps, where it is kept under its
# commit), and sets $base to the binary, or to "" when there is none.
base=
base_build() {
	local rev=${BASE-144b975} sha
	if [ -z "$rev" ]; then
		echo "== no previous release (BASE is empty)"
		return
	fi
	if ! sha=$(git rev-parse --verify -q "$rev^{commit}"); then
		loud "!! BASE=$rev is not a commit of this clone: NO COMPARISON WITH THE PREVIOUS RELEASE (git fetch it, or set BASE)"
		return
	fi
	base=$caps/nbtsniff-${sha:0:12}
	if [ ! -x "$base" ]; then
		mkdir -p "$tmp/base-src"
		git archive "$sha" | tar -x -C "$tmp/base-src"
		(cd "$tmp/base-src" && CGO_ENABLED=0 go build -o "$base.part.$$" ./cmd/nbtsniff) || {
			loud "!! BASE=$rev ($sha) does not build: NO COMPARISON WITH THE PREVIOUS RELEASE"
			base=
			return
		}
		mv "$base.part.$$" "$base"
		rm -rf "$tmp/base-src"
	fi
	echo "== previous release: BASE=$rev ($(git log -1 --format='%h %cs' "$sha"))"
}

# timed OUT CMD...: runs CMD >OUT under bench/timeit (GNU time's figures to
# the microsecond: its two decimals were a quarter of the bare loop's 0.02 s
# on the dense mix); sets el (wall seconds), cpu (user+sys seconds) and rss
# (max RSS, KiB).
timed() {
	local out=$1
	shift
	"$timeit" -o "$tmp/time" "$@" >"$out" 2>"$tmp/stderr" || {
		echo "bench: $* failed:" >&2
		cat "$tmp/stderr" >&2
		exit 1
	}
	local u s
	read -r el u s rss _ <"$tmp/time"
	cpu=$(awk -v u="$u" -v s="$s" 'BEGIN{printf "%.4f", u+s}')
}

# best RUNS OUT CMD...: timed, RUNS times; keeps the fastest (wall) run.
best() {
	local runs=$1 bel bcpu brss
	shift
	for _ in $(seq "$runs"); do
		timed "$@"
		if [ -z "${bel:-}" ] || awk -v a="$el" -v b="$bel" 'BEGIN{exit !(a<b)}'; then bel=$el bcpu=$cpu brss=$rss; fi
	done
	el=$bel cpu=$bcpu rss=$brss
}

# line NAME FRAMES BYTES: one result line from el, cpu, rss.
line() {
	awk -v n="$1" -v f="$2" -v b="$3" -v s="$el" -v c="$cpu" -v r="$rss" 'BEGIN{
		if (s < 0.0001) s = 0.0001; if (c < 0.0001) c = 0.0001
		printf "%-16s %7.3f s wall %7.3f s cpu %11.0f frames/s %7.1f MB/s  max RSS %6.1f MB\n", n, s, c, f/s, b/s/1e6, r/1024 }'
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
	# shellcheck disable=SC2034 # read by the caller
	med=$(sort -n "$tmp/runs.$1" | awk -v m=$(((n + 1) / 2)) 'NR==m{print $1}')
}

# loops NAME CAPTURE: the bare loop on CAPTURE, three rounds of NAME at
# once (it takes a tenth of a second, where a moment of noise weighs most).
loops() {
	round "$1" /dev/null "$readloop" "$2"
	round "$1" /dev/null "$readloop" "$2"
	round "$1" /dev/null "$readloop" "$2"
}

# stats NAME: "fastest median least-cpu median-cpu max-rss(KiB) runs" of
# the rounds of NAME (times at least 0.1 ms).
stats() {
	awk '{if (NR == 1) r = 0; w[NR] = $1 < 0.0001 ? 0.0001 : $1; c[NR] = $2 < 0.0001 ? 0.0001 : $2; if ($3 > r) r = $3}
	function med(a, n,   i, j, t) {
		for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] > a[j]; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
		return n % 2 ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2
	}
	END{n = NR; m = med(w, n); printf "%s %s ", w[1], m; mc = med(c, n); printf "%s %s %d %d\n", c[1], mc, r, n}' "$tmp/runs.$1"
}

# rate FRAMES SECONDS: frames/s, short (1.23M, 456k).
rate() {
	awk -v f="$1" -v s="$2" 'BEGIN{r = f/s; if (r >= 1e6) printf "%.2fM", r/1e6; else if (r >= 1e3) printf "%.0fk", r/1e3; else printf "%.0f", r}'
}

# show LABEL NAME FRAMES: one result line of NAME's rounds.
show() {
	local f m c mc r n
	read -r f m c mc r n < <(stats "$2")
	printf '%-30s %7.3f s wall (median %7.3f)  %7.3f s cpu (median %7.3f)  %7s frames/s (median %7s)  max RSS %6.1f MB\n' \
		"$1" "$f" "$m" "$c" "$mc" "$(rate "$3" "$f")" "$(rate "$3" "$m")" "$(awk -v r="$r" 'BEGIN{print r/1024}')"
}

# verdict VALUE TARGET: "met" or "NOT met" (VALUE >= TARGET).
verdict() {
	awk -v v="$1" -v t="$2" 'BEGIN{print (v >= t) ? "met" : "NOT met"}'
}

# ratio LABEL A B [TARGET]: the speed of A relative to B (B's time over
# A's: above 1, A is faster), from the fastest runs (the verdict's: noise
# only ever adds time), the medians and the least CPU times; with TARGET,
# whether the fastest runs meet it.
ratio() {
	local v out
	v=$(ratioval "$2" "$3")
	out=$(awk -v a="$(stats "$2")" -v b="$(stats "$3")" 'BEGIN{split(a, x, " "); split(b, y, " ")
		printf "%.3f fastest, %.3f medians, %.3f cpu", y[1]/x[1], y[2]/x[2], y[3]/x[3]}')
	if [ -n "${4:-}" ]; then
		printf '%-30s %s; target >= %s: %s\n' "$1" "$out" "$4" "$(verdict "$v" "$4")"
	else
		printf '%-30s %s\n' "$1" "$out"
	fi
}

# ratioval A B: the ratio of the fastest runs alone (B's time over A's).
ratioval() {
	awk -v a="$(stats "$1")" -v b="$(stats "$2")" 'BEGIN{split(a, x, " "); split(b, y, " "); printf "%.3f", y[1]/x[1]}'
}

# fps NAME FRAMES: NAME's frames/s in its fastest run.
fps() {
	awk -v f="$2" -v s="$(stats "$1" | cut -d' ' -f1)" 'BEGIN{print f/s}'
}

# speed LABEL NAME FRAMES TARGET: NAME's frames/s against TARGET frames/s
# (the fastest run's verdict).
speed() {
	local f m c mc r n
	read -r f m c mc r n < <(stats "$2")
	printf '%-30s %s frames/s fastest, %s medians, %s cpu; target >= %s: %s\n' "$1" \
		"$(rate "$3" "$f")" "$(rate "$3" "$m")" "$(rate "$3" "$c")" "$(rate "$4" 1)" \
		"$(verdict "$(fps "$2" "$3")" "$4")"
}

# same LABEL A B: whether the outputs A and B are identical.
same() {
	if cmp -s "$2" "$3"; then
		printf '%-30s identical (%d lines)\n' "$1" "$(wc -l <"$2")"
	else
		printf '%-30s DIFFER on %d of %d lines\n' "$1" "$(diff "$2" "$3" | grep -c '^>' || true)" "$(wc -l <"$2")"
	fi
}
