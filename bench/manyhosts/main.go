// Command manyhosts writes the many-hosts benchmark capture (issue 15, see
// package synth): one HostAnnouncement from each of -hosts distinct hosts,
// 10 ms apart, into one workgroup or -groups workgroups in turn. The same
// flags always give the same file.
//
//	go run ./bench/manyhosts -hosts 100000 -o /tmp/hosts100k.pcap
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
	root := flag.String("root", ".", "repository root (the template is ROOT/testdata/pcaps/storm.pcapng)")
	flag.Parse()
	if *out == "" || *hosts <= 0 || *hosts > synth.MaxManyHosts || *groups <= 0 {
		fmt.Fprintln(os.Stderr, "usage: manyhosts -o OUT.pcap [-hosts N (at most 16M)] [-groups N] [-root DIR]")
		os.Exit(2)
	}
	if err := run(*root, *out, *hosts, *groups); err != nil {
		fmt.Fprintln(os.Stderr, "manyhosts:", err)
		os.Exit(1)
	}
}

func run(root, out string, hosts, groups int) error {
	templ, err := synth.ManyHostsTemplate(root)
	if err != nil {
		return err
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	if err := synth.WriteManyHosts(f, templ, hosts, groups); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", out, err)
	}
	return f.Close()
}
