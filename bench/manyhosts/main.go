// Command manyhosts writes the many-hosts benchmark capture (issue 15, see
// package synth): one HostAnnouncement from each of -hosts distinct hosts,
// 10 ms apart, into one workgroup or -groups workgroups in turn; with
// -elections, one RequestElection from each instead (elections in
// -groups workgroups). The same flags always give the same file.
//
//	go run ./bench/manyhosts -hosts 100000 -o /tmp/hosts100k.pcap
//	go run ./bench/manyhosts -hosts 100000 -groups 100000 -elections -o /tmp/elections100k.pcap
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/nbtsniff/nbtsniff/bench/synth"
)

func main() {
	hosts := flag.Int("hosts", 10000, "distinct hosts (one announcement each)")
	groups := flag.Int("groups", 1, "workgroups the hosts announce into, in turn")
	out := flag.String("o", "", "output pcap file (required)")
	elections := flag.Bool("elections", false, "one RequestElection from each host instead of a HostAnnouncement (at most 1M hosts)")
	root := flag.String("root", ".", "repository root (the template is ROOT/testdata/pcaps/storm.pcapng)")
	flag.Parse()
	if *out == "" || *hosts <= 0 || *hosts > synth.MaxManyHosts || *groups <= 0 || (*elections && *hosts > synth.MaxManyElections) {
		fmt.Fprintln(os.Stderr, "usage: manyhosts -o OUT.pcap [-hosts N (at most 16M; 1M with -elections)] [-groups N] [-elections] [-root DIR]")
		os.Exit(2)
	}
	if err := run(*root, *out, *hosts, *groups, *elections); err != nil {
		fmt.Fprintln(os.Stderr, "manyhosts:", err)
		os.Exit(1)
	}
}

func run(root, out string, hosts, groups int, elections bool) error {
	template, write := synth.ManyHostsTemplate, synth.WriteManyHosts
	if elections {
		template, write = synth.ManyElectionsTemplate, synth.WriteManyElections
	}
	templ, err := template(root)
	if err != nil {
		return err
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	if err := write(f, templ, hosts, groups); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", out, err)
	}
	return f.Close()
}
