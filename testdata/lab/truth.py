#!/usr/bin/env python3
"""truth.py - nmbd's role changes of a lab capture, in capture time.

    truth.py CAPTURE.pcapng [--all]

Reads CAPTURE.logs/roles.tsv (written by lab.sh: every election and
master-browser line nmbd logged) and prints each line as
"t  HOST  event  subnet", t in seconds since the capture's first frame
(tshark's frame.time_relative; roles.tsv and the capture share the lab
machine's clock, UTC).  By default only the role changes and election
results are shown (is now / stopped being local master, is now domain
master, Won / Lost election); --all adds the Starting / Forcing election
lines.  EXPECTED.md's role tables were made with it.  Needs tshark.
"""

import os
import re
import subprocess
import sys
from datetime import datetime, timezone

EVENTS = [
    (r"is now a local master browser", "is now LMB", True),
    (r"has stopped being a local master browser", "stopped being LMB", True),
    (r"is now a domain master browser", "is now DMB", True),
    (r"Won election", "won election", True),
    (r"Lost election", "lost election", True),
    (r"is announcing itself as a local master browser", "heard another LMB announce (forcing election)", True),
    (r"Forcing election", "forcing election", False),
    (r"Starting election", "starting election", False),
]


def first_frame_epoch(capture):
    out = subprocess.run(
        ["tshark", "-r", capture, "-c", "1", "-T", "fields", "-e", "frame.time_epoch"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()
    return float(out)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    show_all = "--all" in sys.argv[1:]
    if len(args) != 1:
        sys.exit(__doc__)
    capture = args[0]
    roles = os.path.splitext(capture)[0] + ".logs/roles.tsv"
    t0 = first_frame_epoch(capture)
    with open(roles) as f:
        for line in f:
            ts, host, text = line.rstrip("\n").split("\t", 2)
            at = datetime.strptime(ts, "%Y/%m/%d %H:%M:%S.%f").replace(tzinfo=timezone.utc).timestamp()
            for pat, event, default in EVENTS:
                if re.search(pat, text):
                    break
            else:
                continue
            if not default and not show_all:
                continue
            m = re.search(r"on subnet (\S+)", text)
            sub = m.group(1) if m else ""
            print("%9.3f  %-8s %-22s %s" % (at - t0, host, event, sub))


if __name__ == "__main__":
    main()
