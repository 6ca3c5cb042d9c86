#!/bin/sh
# Prints the table of agreement with tshark, per protocol, in nbtsniff's
# default mode, over ../shared/pcaps, testdata and the external captures
# (scripts/fetch-external.sh; their directory is the first argument,
# /work/extpcaps by default, skipped if absent). Needs tshark.
# The table is TestAgreement's -v output (cmd/nbtsniff/agreement_test.go).
set -eu
cd "$(dirname "$0")/.."
ext=${1:-/work/extpcaps}
if [ -d "$ext" ]; then
	NBTSNIFF_EXTRA_PCAPS=$(cd "$ext" && pwd)
	export NBTSNIFF_EXTRA_PCAPS
fi
NBTSNIFF_AGREEMENT=1 go test ./cmd/nbtsniff -run '^TestAgreement$' -count=1 -v -timeout 60m |
	sed -n 's/^ *agreement_test.go:[0-9]*: //p'
