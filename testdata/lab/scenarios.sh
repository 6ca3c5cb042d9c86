#!/usr/bin/env bash
# scenarios.sh -- the ground-truth scenarios of issue 13 ("Diagnose"), one per
# cause that real Samba can show, on top of the shared lab's machinery.
#
#   scenarios.sh capture SCENARIO OUT.pcapng   build, capture, run timeline, tear down
#   scenarios.sh capture-all [DIR]             every scenario of this file -> DIR/<scenario>.pcapng
#                                              (default DIR: testdata/pcaps of this repository)
#   scenarios.sh run|up|down|exec|list ...     as lab.sh (see its README)
#
# Scenarios: mask25 relay nofw138 multihomed twopreferred os255 deadwins typo spoof
# (EXPECTED.md beside this file says what each one's cause, hosts and fix are).
#
# lab.sh is ../shared/lab/lab.sh relative to the repository root, or
# $NBLAB_DIR/lab.sh.  It is sourced without its last line (`main "$@"; exit`),
# so every function and setting of it is available here (add_switch,
# add_host, add_router, mkconf, roles, start_d, stop_d, at, wait_log, smbctl,
# client, nbtool, ...); this file adds its scenarios to SCENARIOS and defines
# topo_NAME/timeline_NAME for each, plus a few helpers: start_helper and
# stop_helper (a python3 helper such as relay.py or spoof.py in a namespace,
# stopped by PID), set_prefix (another netmask), add_addr (a second address).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
LAB="${NBLAB_DIR:-$ROOT/../shared/lab}"
if [[ ! -f $LAB/lab.sh ]]; then
	echo "scenarios.sh: no lab.sh in $LAB (set NBLAB_DIR to the shared lab's directory)" >&2
	exit 1
fi
LAB="$(cd "$LAB" && pwd)"
if [[ $(tail -n 1 "$LAB/lab.sh") != 'main "$@"; exit' ]]; then
	echo "scenarios.sh: $LAB/lab.sh does not end with 'main \"\$@\"; exit' any more: cannot source it" >&2
	exit 1
fi
# shellcheck source=/dev/null
source <(sed '$d' "$LAB/lab.sh")
# BASH_SOURCE gave lab.sh /dev/fd/N: point it at the real lab again
LAB_DIR=$LAB
NBTOOL="$LAB_DIR/nbtool.py"
ISSUE13_SCENARIOS="mask25 relay nofw138 multihomed twopreferred os255 deadwins typo spoof"
SCENARIOS="$SCENARIOS $ISSUE13_SCENARIOS"

# ---------------------------------------------------------------- helpers

# start_helper NS LABEL CMD... : run CMD in namespace $P-NS (a host, or rtr),
# in its own session, output to $RUN/helpers/NS.LABEL.log; stopped by
# stop_helper, or by PID from $RUN/pids like every daemon of the lab.
start_helper() {
	local ns=$1 label=$2 pid
	shift 2
	mkdir -p "$RUN/helpers"
	ip netns exec "$P-$ns" setsid "$@" </dev/null >>"$RUN/helpers/$ns.$label.log" 2>&1 &
	pid=$!
	echo "$pid" >"$RUN/helpers/$ns.$label.pid"
	echo "$pid $ns $label" >>"$RUN/pids"
	say "start $label in $P-$ns pid $pid: ${*//$HERE\//}"
}

stop_helper() { # NS LABEL
	local f="$RUN/helpers/$1.$2.pid" pid
	[[ -f $f ]] || return 0
	pid=$(<"$f")
	rm -f "$f"
	stop_pid "$pid"
	say "stop $2 in $P-$1 (pid $pid)"
}

# set_prefix NAME LEN : give host NAME's eth0 address prefix length LEN
# (and that subnet's broadcast address) instead of add_host's /24
set_prefix() {
	local name=$1 len=$2 ip bcast
	ip=$(host_ip "$name")
	bcast=$(python3 -c 'import ipaddress,sys; print(ipaddress.ip_interface(sys.argv[1]).network.broadcast_address)' "$ip/$len")
	ip -n "$P-$name" addr flush dev eth0
	ip -n "$P-$name" addr add "$ip/$len" brd "$bcast" dev eth0
	say "$name: eth0 $ip/$len brd $bcast"
}

# add_addr NAME IP : a second address on host NAME's eth0 (same /24); listed
# in $RUN/hosts after NAME's first line, so call it after mkconf NAME
add_addr() {
	local name=$1 ip=$2 sub
	sub=$(awk -v h="$name" '$1==h{print $2; exit}' "$RUN/hosts")
	ip -n "$P-$name" addr add "$ip/24" brd "${ip%.*}.255" dev eth0
	echo "$name $sub $ip" >>"$RUN/hosts"
	say "$name: second address $ip/24 on eth0"
}

# note FILE TEXT... : keep a piece of evidence with the logs ($RUN/extra/FILE)
note() {
	local f=$1
	shift
	mkdir -p "$RUN/extra"
	"$@" >>"$RUN/extra/$f" 2>&1 || true
}

# host_ip of a host with two addresses (add_addr) must stay its first one
host_ip() { awk -v h="$1" '$1==h{print $3; exit}' "$RUN/hosts"; }

# client as lab.sh's, also hiding this directory's path in the logs
client() {
	local name=$1 rc=0
	shift
	local shown="${*//$LAB_DIR\//}"
	shown="${shown//$HERE\//}"
	say "[$name] \$ $shown"
	{
		echo "=== $(date +%T) t=$(t_rel) [$name] \$ $shown"
		ip netns exec "$P-$name" timeout 60 "$@" 2>&1 || rc=$?
		echo "=== exit $rc"
	} >>"$RUN/clients.log"
	((rc == 0)) || say "  (exit $rc)"
	return 0
}

nmblookup_c() { # NAME ARGS... : nmblookup with NAME's own smb.conf
	local name=$1
	shift
	client "$name" nmblookup -s "$(host_conf "$name")" "$@"
}

# helpers are stopped with the daemons (before the sniffers stop)
eval "lab_$(declare -f stop_all_daemons)"
stop_all_daemons() {
	local f n
	for f in "$RUN"/helpers/*.pid; do
		[[ -f $f ]] || continue
		n=$(basename "$f" .pid)
		stop_helper "${n%%.*}" "${n#*.}"
	done
	lab_stop_all_daemons
}

# helper logs and extra evidence go with the logs
eval "lab_$(declare -f collect_logs)"
collect_logs() {
	lab_collect_logs "$@"
	cp "$RUN"/helpers/*.log "$RUN"/extra/* "$1/" 2>/dev/null || true
}

# lab.sh merges the subnets' captures with mergecap's default IDB mode, which
# folds the two Ethernet interfaces into one (testdata/pcaps/README.md,
# "Anomalies"): keep one interface per subnet (-I none)
write_pcaps() {
	local subs sw stem ext
	subs=$(ls "$CAPDIR"/subnet*.pcap 2>/dev/null | wc -l)
	stem=${OUT_PCAP%.*}
	ext=${OUT_PCAP##*.}
	[[ $ext == "$OUT_PCAP" ]] && ext=pcapng
	conv() { if [[ $ext == pcapng ]]; then editcap -F pcapng "$1" "$2"; else cp "$1" "$2"; fi; }
	if ((subs == 1)); then
		conv "$CAPDIR"/subnet*.pcap "$OUT_PCAP"
		echo "wrote $OUT_PCAP" >&2
	else
		for sw in $(cat "$RUN/switches"); do
			conv "$CAPDIR/subnet$sw.pcap" "$stem.subnet$sw.$ext"
			echo "wrote $stem.subnet$sw.$ext" >&2
		done
		mergecap -I none -F pcapng -w "$OUT_PCAP" "$CAPDIR"/subnet*.pcap
		echo "wrote $OUT_PCAP (merged; interface 0 = subnet A, 1 = subnet B)" >&2
	fi
}

usage() {
	awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$HERE/scenarios.sh"
	exit 2
}

# ---------------------------------------------------------------- scenarios
#
# Subnet A is 198.18.1.0/24, B 198.18.2.0/24; .99 is a client host that runs
# no daemon.  Workgroup LABWG unless said otherwise.  EXPECTED.md holds each
# scenario's truth (cause, hosts, fix, roles as nmbd logged them).

# 1. mask25: PC7 has a /25 on the /24 segment ----------------------------------
topo_mask25() {
	add_switch A
	add_host ALPHA A 11
	add_host BRAVO A 12
	add_host PC7 A 17
	add_host CLIENT A 99
	set_prefix PC7 25
	mkconf ALPHA "$WG" "os level = 32"
	mkconf BRAVO "$WG" "os level = 20"
	mkconf PC7 "$WG" "os level = 33" "interfaces = $(host_ip PC7)/25"
	mkconf CLIENT "$WG"
	roles ALPHA nmbd
	roles BRAVO nmbd
	roles PC7 nmbd
}

timeline_mask25() {
	at 1
	start_d ALPHA nmbd
	start_d BRAVO nmbd
	at 3
	# PC7 broadcasts to 198.18.1.127, which nobody else accepts, and accepts
	# none of the others' 198.18.1.255: it elects itself
	start_d PC7 nmbd
	wait_log ALPHA 'is now a local master browser' 60 || true
	wait_log PC7 'is now a local master browser' 60 || true
	at 60
	# an election on the /24 side: ALPHA wins it and stays master; PC7 (a
	# better ballot, os level 33) hears none of it
	smbctl BRAVO force-election
	wait_log ALPHA 'Won election' 40 || true
	at 100
	# who is master? from the /24 side ALPHA answers, from PC7 only PC7
	nmblookup_c CLIENT -M "$WG"
	nmblookup_c PC7 -M "$WG"
	nbtool CLIENT getbackup --count 4
	# both masters announce again some 130 s after becoming master (t≈152, t≈155)
	at 175
}

# 2. relay: the router forwards UDP 138 broadcasts from subnet A to B ----------
topo_relay() {
	add_switch A
	add_switch B
	add_router
	add_host AMASTER A 11
	add_host AHOST A 12
	add_host BMASTER B 11
	add_host BHOST B 12
	mkconf AMASTER "$WG" "os level = 32"
	mkconf AHOST "$WG" "os level = 16"
	mkconf BMASTER "$WG" "os level = 64"
	mkconf BHOST "$WG" "os level = 16"
	local h
	for h in AMASTER AHOST BMASTER BHOST; do roles $h nmbd; done
}

timeline_relay() {
	# the router's standing configuration: A's datagram broadcasts go to B
	start_helper rtr relay python3 -u "$HERE/relay.py" --in ethA --from 198.18.1.255 --to 198.18.2.255
	at 1
	start_d BMASTER nmbd
	start_d BHOST nmbd
	wait_log BMASTER 'is now a local master browser' 60 || true
	at 30
	start_d AMASTER nmbd
	start_d AHOST nmbd
	wait_log AMASTER 'is now a local master browser' 60 || true
	# AMASTER's LocalMasterAnnouncements (at once, then 2 min later) reach
	# B: BMASTER resets AMASTER (which ignores it) and forces an election
	at 215
}

# 3. nofw138: FWHOST's host firewall drops inbound UDP 138 ---------------------
topo_nofw138() {
	add_switch A
	add_host ALPHA A 11
	add_host BRAVO A 12
	add_host FWHOST A 13
	add_host CLIENT A 99
	mkconf ALPHA "$WG" "os level = 65"
	mkconf BRAVO "$WG" "os level = 32"
	mkconf FWHOST "$WG" "os level = 20" "preferred master = yes"
	mkconf CLIENT "$WG"
	local h
	for h in ALPHA BRAVO FWHOST; do roles $h nmbd; done
	command -v iptables >/dev/null || die "nofw138 needs iptables (apt-get install -y iptables)"
	ip netns exec "$P-FWHOST" iptables -A INPUT -p udp --dport 138 -j DROP
	say "FWHOST: iptables -A INPUT -p udp --dport 138 -j DROP"
}

timeline_nofw138() {
	at 1
	start_d ALPHA nmbd
	start_d BRAVO nmbd
	wait_log ALPHA 'is now a local master browser' 60 || true
	at 30
	# a preferred master: it forces an election at start-up, cannot hear
	# ALPHA's better ballots and keeps voting
	start_d FWHOST nmbd
	at 85
	# every host answers an AnnouncementRequest but FWHOST, which cannot hear it
	nbtool CLIENT announce-request
	at 100
	smbctl FWHOST force-election
	at 150
	smbctl FWHOST force-election
	at 185
	note FWHOST.iptables.txt ip netns exec "$P-FWHOST" iptables -L INPUT -v -n -x
}

# 4. multihomed: MULTI has two addresses on one segment ------------------------
topo_multihomed() {
	add_switch A
	add_host ALPHA A 11
	add_host BRAVO A 12
	add_host MULTI A 21
	add_host CLIENT A 99
	mkconf ALPHA "$WG" "os level = 32"
	mkconf BRAVO "$WG" "os level = 20"
	mkconf MULTI "$WG" "os level = 33" "interfaces = 198.18.1.21/24 198.18.1.22/24"
	mkconf CLIENT "$WG"
	add_addr MULTI 198.18.1.22
	local h
	for h in ALPHA BRAVO MULTI; do roles $h nmbd; done
}

timeline_multihomed() {
	at 1
	start_d ALPHA nmbd
	start_d BRAVO nmbd
	wait_log ALPHA 'is now a local master browser' 60 || true
	at 30
	start_d MULTI nmbd
	at 60
	smbctl BRAVO force-election
	wait_log MULTI 'is now a local master browser' 60 || true
	at 110
	nmblookup_c CLIENT MULTI
	nmblookup_c CLIENT -M "$WG"
	nbtool CLIENT getbackup --count 4
	at 125
}

# 5. twopreferred: ALPHA and BRAVO are both preferred masters, os level 65 -----
topo_twopreferred() {
	add_switch A
	add_host ALPHA A 11
	add_host BRAVO A 12
	add_host CHARLIE A 13
	add_host CLIENT A 99
	mkconf ALPHA "$WG" "os level = 65" "preferred master = yes"
	mkconf BRAVO "$WG" "os level = 65" "preferred master = yes"
	mkconf CHARLIE "$WG" "os level = 32"
	mkconf CLIENT "$WG"
	local h
	for h in ALPHA BRAVO CHARLIE; do roles $h nmbd; done
}

timeline_twopreferred() {
	at 1
	start_d ALPHA nmbd
	start_d CHARLIE nmbd
	wait_log ALPHA 'is now a local master browser' 60 || true
	at 35
	# the second preferred master forces an election at start-up; ALPHA,
	# up longer, wins the tie on os level and preferred master
	start_d BRAVO nmbd
	at 75
	# ALPHA reboots: now BRAVO is up longer and wins ALPHA's start-up election
	stop_d ALPHA nmbd
	sleep 2
	start_d ALPHA nmbd
	wait_log BRAVO 'is now a local master browser' 60 || true
	at 130
	# BRAVO reboots: ALPHA takes the role back
	stop_d BRAVO nmbd
	sleep 2
	start_d BRAVO nmbd
	wait_log ALPHA 'is now a local master browser' 60 || true
	at 180
}

# 6. os255: an os level 255 host takes the LMB role from the DMB ---------------
topo_os255() {
	add_switch A
	add_host DMB A 11
	add_host WS1 A 12
	add_host BIGOS A 20
	add_host CLIENT A 99
	mkconf DMB "$WG" "domain master = yes" "preferred master = yes" "os level = 65"
	add_share DMB public "Public files on DMB"
	mkconf WS1 "$WG" "os level = 20"
	mkconf BIGOS "$WG" "os level = 255"
	mkconf CLIENT "$WG"
	roles DMB nmbd smbd
	roles WS1 nmbd
	roles BIGOS nmbd
}

timeline_os255() {
	at 1
	start_d DMB smbd
	start_d DMB nmbd
	at 3
	start_d WS1 nmbd
	wait_log DMB 'is now a local master browser' 60 || true
	at 40
	start_d BIGOS nmbd
	at 60
	# any election now is won by os level 255
	smbctl BIGOS force-election
	wait_log BIGOS 'is now a local master browser' 60 || true
	at 120
	nmblookup_c CLIENT -M "$WG"
	nmblookup_c CLIENT "$WG#1b"
	nbtool CLIENT getbackup --count 4
	at 150
}

# 7. deadwins: every host uses a WINS server nobody runs -----------------------
topo_deadwins() {
	add_switch A
	add_host ALPHA A 11
	add_host BRAVO A 12
	add_host CHARLIE A 13
	add_host CLIENT A 99
	# 198.18.1.250 is a host that is up, but runs no WINS (nothing on UDP 137)
	add_host OLDWINS A 250
	local wins="wins server = 198.18.1.250" nro="name resolve order = wins bcast"
	mkconf ALPHA "$WG" "$wins" "$nro" "os level = 32"
	add_share ALPHA public "Public files on ALPHA"
	mkconf BRAVO "$WG" "$wins" "$nro" "os level = 20"
	mkconf CHARLIE "$WG" "$wins" "$nro" "os level = 16"
	mkconf CLIENT "$WG" "$wins" "$nro"
	roles ALPHA nmbd smbd
	roles BRAVO nmbd
	roles CHARLIE nmbd
}

timeline_deadwins() {
	at 1
	start_d ALPHA smbd
	start_d ALPHA nmbd
	start_d BRAVO nmbd
	start_d CHARLIE nmbd
	wait_log ALPHA 'is now a local master browser' 60 || true
	at 60
	# a WINS query that gets no answer; then smbclient resolves ALPHA with
	# "name resolve order = wins bcast": WINS first (no answer), then broadcast
	nmblookup_c CLIENT -U 198.18.1.250 --recursion ALPHA
	smbclient_c CLIENT -L ALPHA -N --option='client min protocol=NT1' --option='client max protocol=NT1'
	at 120
}

# 8. typo: two hosts have workgroup WROKGROUP instead of WORKGROUP -------------
topo_typo() {
	WG=WORKGROUP
	add_switch A
	add_host ALPHA A 11
	add_host BRAVO A 12
	add_host CHARLIE A 13
	add_host ACCT7 A 27
	add_host ACCT8 A 28
	add_host CLIENT A 99
	mkconf ALPHA "$WG" "os level = 32"
	add_share ALPHA public "Public files on ALPHA"
	mkconf BRAVO "$WG" "os level = 20"
	mkconf CHARLIE "$WG" "os level = 16"
	mkconf ACCT7 WROKGROUP "os level = 20"
	mkconf ACCT8 WROKGROUP "os level = 16"
	mkconf CLIENT "$WG"
	roles ALPHA nmbd smbd
	local h
	for h in BRAVO CHARLIE ACCT7 ACCT8; do roles $h nmbd; done
}

timeline_typo() {
	WG=WORKGROUP
	at 1
	start_d ALPHA smbd
	start_d ALPHA nmbd
	start_d BRAVO nmbd
	start_d CHARLIE nmbd
	at 5
	start_d ACCT7 nmbd
	start_d ACCT8 nmbd
	wait_log ALPHA 'is now a local master browser' 60 || true
	wait_log ACCT7 'is now a local master browser' 60 || true
	at 60
	# the workgroup list has a second workgroup; ACCT7/ACCT8 are not in WORKGROUP's list
	smbclient_c CLIENT -L ALPHA -N --option='client min protocol=NT1' --option='client max protocol=NT1'
	nbtool CLIENT rap --ip "$(host_ip ALPHA)" --server ALPHA servers domains
	nmblookup_c CLIENT -M -- -
	at 90
}

# 9. spoof: a Responder-style poisoner answers every broadcast name query ------
topo_spoof() {
	add_switch A
	add_host ALPHA A 11
	add_host BRAVO A 12
	add_host CHARLIE A 13
	add_host DELTA A 14
	add_host SPOOF A 66
	add_host CLIENT A 99
	mkconf ALPHA "$WG" "os level = 32"
	add_share ALPHA public "Public files on ALPHA"
	mkconf BRAVO "$WG" "os level = 20"
	mkconf CHARLIE "$WG" "os level = 16"
	mkconf DELTA "$WG" "os level = 8"
	mkconf CLIENT "$WG"
	roles ALPHA nmbd smbd
	local h
	for h in BRAVO CHARLIE DELTA; do roles $h nmbd; done
}

timeline_spoof() {
	at 1
	start_d ALPHA smbd
	start_d ALPHA nmbd
	start_d BRAVO nmbd
	start_d CHARLIE nmbd
	wait_log ALPHA 'is now a local master browser' 60 || true
	at 35
	start_helper SPOOF spoof python3 -u "$HERE/spoof.py" --ip "$(host_ip SPOOF)"
	at 40
	# names that exist (two answers each), a mistyped one and names nobody has
	# (only the spoofer answers)
	nmblookup_c CLIENT ALPHA
	nmblookup_c CLIENT BRAVO
	nmblookup_c CLIENT ALHPA
	nmblookup_c CLIENT FILESERVER
	nmblookup_c CLIENT WPAD
	nmblookup_c CLIENT -M "$WG"
	nmblookup_c CLIENT "$WG#1b"
	at 60
	# a host joining now: its nmbd's own query for LABWG<1d> is answered by
	# the master and by the spoofer
	start_d DELTA nmbd
	at 80
	nmblookup_c CLIENT ALPHA
	nmblookup_c CLIENT PRINTSRV
	at 100
}

# ---------------------------------------------------------------- commands

case ${1:-} in
capture-all)
	dir=${2:-$ROOT/testdata/pcaps}
	rc=0
	for sc in $ISSUE13_SCENARIOS; do
		"$HERE/scenarios.sh" capture "$sc" "$dir/$sc.pcapng" || { rc=$?; echo "scenarios.sh: $sc failed (rc=$rc)" >&2; }
	done
	exit "$rc"
	;;
*) main "$@" ;;
esac
exit
