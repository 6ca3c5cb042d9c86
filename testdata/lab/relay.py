#!/usr/bin/env python3
"""relay.py - forward UDP 138 broadcasts from one subnet onto another.

This is what a router does with "ip helper-address" or directed-broadcast
forwarding turned on for the NetBIOS datagram port: broadcasts of one subnet
reach the other one, still carrying their sender's address.  The `relay`
scenario of scenarios.sh runs it in the router namespace.

It reads every frame arriving on --in (an AF_PACKET socket), keeps the IPv4
UDP datagrams to port 138 whose destination is --from (that leg's subnet
broadcast address) and that arrived as link-layer broadcasts, and sends each
one again with a raw socket (IP_HDRINCL) to --to (the other subnet's
broadcast address).  Nothing but the destination address changes: source
address and port, IP id, TTL, flags and payload are kept; the IP and UDP
checksums are recomputed because the destination is part of both.  The
kernel routes the packet out of the leg that owns --to as a link-layer
broadcast from the router's MAC address.

One direction per process.  Only the Python standard library is used.  Stop
it with SIGTERM or SIGINT; every forwarded datagram is logged on stdout.
"""

import argparse
import signal
import socket
import struct
import sys
import time

ETH_P_IP = 0x0800
PACKET_BROADCAST = 1
DGRAM_PORT = 138

BROWSER_OPS = {
    0x01: "HostAnnouncement",
    0x02: "AnnouncementRequest",
    0x08: "RequestElection",
    0x09: "GetBackupListRequest",
    0x0A: "GetBackupListResponse",
    0x0B: "BecomeBackup",
    0x0C: "DomainAnnouncement",
    0x0D: "MasterAnnouncement",
    0x0E: "ResetBrowserState",
    0x0F: "LocalMasterAnnouncement",
}


def checksum(data):
    """RFC 1071 Internet checksum."""
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def rewrite(ip, new_dst):
    """Return the IPv4 packet ip with destination new_dst and fixed checksums."""
    ihl = (ip[0] & 0x0F) * 4
    total = struct.unpack("!H", ip[2:4])[0]
    pkt = bytearray(ip[:total])
    pkt[16:20] = new_dst
    pkt[10:12] = b"\0\0"
    pkt[10:12] = struct.pack("!H", checksum(bytes(pkt[:ihl])))
    udp = pkt[ihl:]
    if udp[6:8] != b"\0\0":  # a zero UDP checksum means "none": keep it so
        pseudo = bytes(pkt[12:20]) + struct.pack("!BBH", 0, socket.IPPROTO_UDP, len(udp))
        udp[6:8] = b"\0\0"
        c = checksum(pseudo + bytes(udp)) or 0xFFFF
        udp[6:8] = struct.pack("!H", c)
        pkt[ihl:] = udp
    return bytes(pkt)


def describe(udp_payload):
    """'HostAnnouncement from ALPHA' for a browser datagram, '' otherwise."""
    try:
        if udp_payload[0] not in (0x10, 0x11, 0x12):
            return ""
        # NBDGM header (14 bytes), then source and destination names (34 each)
        src = decode_name(udp_payload[14:48])
        smb = udp_payload[82:]
        if smb[:4] != b"\xffSMB":
            return "from %s" % src
        data_off = struct.unpack("<H", smb[32 + 1 + 24 : 32 + 1 + 26])[0]
        op = smb[data_off] if data_off < len(smb) else None
        return "%s from %s" % (BROWSER_OPS.get(op, "opcode %r" % op), src)
    except (IndexError, struct.error):
        return ""


def decode_name(enc):
    """First-level decoded NetBIOS name 'NAME<xx>' from its 34-byte encoding."""
    raw = bytes(((enc[1 + 2 * i] - 0x41) << 4) | (enc[2 + 2 * i] - 0x41) for i in range(16))
    return "%s<%02x>" % (raw[:15].decode("ascii", "replace").rstrip(), raw[15])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--in", dest="iface", required=True, help="interface to read broadcasts on (ethA)")
    ap.add_argument("--from", dest="src_bcast", required=True, help="broadcast address of that subnet")
    ap.add_argument("--to", dest="dst_bcast", required=True, help="broadcast address to forward to")
    args = ap.parse_args()

    from_addr = socket.inet_aton(args.src_bcast)
    to_addr = socket.inet_aton(args.dst_bcast)

    rx = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_IP))
    rx.bind((args.iface, ETH_P_IP))
    tx = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    tx.setsockopt(socket.IPPROTO_IP, socket.IP_HDRINCL, 1)
    tx.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)

    def stop(signum, _frame):
        print("%s relay: signal %d, %d datagrams forwarded" % (stamp(), signum, count[0]), flush=True)
        sys.exit(0)

    count = [0]
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print("%s relay: %s UDP %d to %s -> %s" % (stamp(), args.iface, DGRAM_PORT, args.src_bcast, args.dst_bcast),
          flush=True)
    while True:
        frame, addr = rx.recvfrom(65535)
        if addr[2] != PACKET_BROADCAST:
            continue
        ip = frame  # SOCK_RAW on AF_PACKET with ETH_P_IP: the Ethernet header is included
        if len(ip) < 14 + 28 or ip[12:14] != b"\x08\x00":
            continue
        ip = ip[14:]
        ihl = (ip[0] & 0x0F) * 4
        if ip[0] >> 4 != 4 or ip[9] != socket.IPPROTO_UDP or ip[16:20] != from_addr or len(ip) < ihl + 8:
            continue
        if struct.unpack("!H", ip[6:8])[0] & 0x3FFF:  # fragments are left alone
            continue
        sport, dport = struct.unpack("!HH", ip[ihl : ihl + 4])
        if dport != DGRAM_PORT:
            continue
        out = rewrite(ip, to_addr)
        tx.sendto(out, (args.dst_bcast, 0))
        count[0] += 1
        print("%s forward %s:%d %s -> %s %d bytes %s" % (
            stamp(), socket.inet_ntoa(ip[12:16]), sport, args.src_bcast, args.dst_bcast, len(out),
            describe(ip[ihl + 8 :])), flush=True)


def stamp():
    t = time.time()
    return time.strftime("%Y/%m/%d %H:%M:%S", time.gmtime(t)) + ".%06d" % int((t % 1) * 1e6)


if __name__ == "__main__":
    main()
