// Command nbtsniff is a passive analyzer for NetBIOS over TCP/IP and the
// Windows Browse Service: it reads pcap/pcapng files or captures live on UDP
// 137/138 and TCP 139/445, decodes every NBT, SMB, mailslot, browser and
// RAP layer, and prints frames the way tshark does, or a timeline of
// elections, browser roles and browse lists.
//
// This package only parses flags and wires sources to sinks.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is main without the process: it returns the exit status.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	opts, err := parseFlags(args, stderr)
	if err != nil {
		if err == errHelp {
			return 0
		}
		fmt.Fprintf(stderr, "nbtsniff: %v\n", err)
		return 2
	}
	if opts.version {
		fmt.Fprintln(stdout, "nbtsniff", version)
		return 0
	}
	if opts.listIfaces {
		return listInterfaces(stdout, stderr)
	}
	if opts.listFields {
		return listFields(stdout)
	}
	if err := opts.check(); err != nil {
		fmt.Fprintf(stderr, "nbtsniff: %v\n", err)
		return 2
	}
	if wantsTUI(opts, stdout) {
		return runTUI(ctx, opts, stdin, stdout, stderr)
	}
	return process(ctx, opts, stdin, stdout, stderr)
}

const version = "0.1.0"
