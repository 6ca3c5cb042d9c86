#!/bin/sh
# Downloads the external captures listed in testdata/external-pcaps.tsv
# into DIR (default /work/extpcaps; keep it outside the project: the
# captures are not committed), checking each sha256. Needs network access
# to GitHub (curl), unzip and tar; CI does not run it. Then:
#   NBTSNIFF_EXTRA_PCAPS=DIR go test ./cmd/nbtsniff -run TestTsharkFieldsDiff
#   scripts/agreement.sh DIR
set -eu
list="$(dirname "$0")/../testdata/external-pcaps.tsv"
dir=${1:-/work/extpcaps}
mkdir -p "$dir"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
urlpath() { printf '%s' "$1" | sed 's/ /%20/g; s/(/%28/g; s/)/%29/g'; }
grep -v '^#' "$list" | tail -n +2 | while IFS="$(printf '\t')" read -r file repo path member commit sha contents; do
	out="$dir/$file"
	if [ -f "$out" ] && [ "$(sha256sum "$out" | cut -d' ' -f1)" = "$sha" ]; then
		continue
	fi
	url="https://raw.githubusercontent.com/$repo/$commit/$(urlpath "$path")"
	curl -fsSL -o "$tmp/blob" "$url"
	case "$member" in
	-) cp "$tmp/blob" "$out" ;;
	*)
		rm -rf "$tmp/x" && mkdir "$tmp/x"
		case "$path" in
		*.zip) unzip -q -o "$tmp/blob" "$member" -d "$tmp/x" ;;
		*) tar -xzf "$tmp/blob" -C "$tmp/x" "$member" ;;
		esac
		cp "$tmp/x/$member" "$out"
		;;
	esac
	got=$(sha256sum "$out" | cut -d' ' -f1)
	if [ "$got" != "$sha" ]; then
		echo "fetch-external: $file: sha256 $got, want $sha" >&2
		exit 1
	fi
	echo "$file"
done
