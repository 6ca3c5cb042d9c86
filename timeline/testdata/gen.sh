#!/bin/sh
# Regenerates the tshark-derived ground truth used by groundtruth_test.go:
# SCENARIO.goaway.tsv lists every "going away" LocalMasterAnnouncement
# (server type 0) in the lab capture: nmbd logs nothing when a master is
# stopped, so these frames are the only record of that moment
# (testdata/pcaps/README.md, "Anomalies and caveats").
# Columns: frame number, capture time (epoch seconds), announced server.
set -e
cd "$(dirname "$0")"
for sc in election two-workgroups dmb enum storm mask25 relay nofw138 multihomed twopreferred os255 deadwins typo spoof; do
	tshark -r ../../testdata/pcaps/$sc.pcapng \
		-Y 'browser.command == 0x0f && browser.server_type == 0' \
		-T fields -e frame.number -e frame.time_epoch -e browser.server > $sc.goaway.tsv
done
