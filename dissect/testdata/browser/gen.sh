#!/bin/sh
# Records the golden TSVs of the mailslot/browser tests from tshark 4.0.17
# (run from this directory; it needs the shared corpus next to the repo and
# the lab captures in testdata/pcaps). One TSV per capture: frame.number,
# then every mailslot.* and browser.* field of ../../wireshark-fields.tsv in
# that file's order, every occurrence, joined with ','.
# Regenerate only when tshark's output is what you want to compare against:
# these files are tshark's answers, not ours.
set -e
fields="-e frame.number"
for f in $(grep -E '^(mailslot|browser)\.' ../../wireshark-fields.tsv | cut -f1 | sort -s -t. -k1,1r); do
	fields="$fields -e $f"
done
for cap in "$@"; do
	out=$(basename "$cap" | sed -E 's/\.(pcapng|pcap)$//').tsv
	tshark -r "$cap" -Y mailslot -T fields -E header=y -E separator=/t \
		-E occurrence=a -E aggregator=, $fields > "$out"
	echo "$out: $(($(wc -l < "$out") - 1)) frames"
done
