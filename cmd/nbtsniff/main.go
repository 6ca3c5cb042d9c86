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
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signalContext()
	batchGC = true
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// signalContext is cancelled by the first SIGINT or SIGTERM, with the
// signal as its cause (signalCause). A second one is no longer caught:
// it ends the process the default way, should the first not be enough.
func signalContext() (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(context.Background())
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		select {
		case s := <-sigs:
			signal.Stop(sigs)
			cancel(signalCause{s})
		case <-ctx.Done():
		}
	}()
	return ctx, func() { signal.Stop(sigs); cancel(nil) }
}

// signalCause is the cause of a context cancelled by a signal.
type signalCause struct{ sig os.Signal }

func (c signalCause) Error() string { return "interrupted by " + c.sig.String() }

// interruptStatus is the exit status of a run interrupted by the cause
// of ctx: 128 + the signal's number, as a shell reports it (130 for
// SIGINT, also when no signal is named).
func interruptStatus(ctx context.Context) int {
	var sc signalCause
	if errors.As(context.Cause(ctx), &sc) {
		if n, ok := sc.sig.(syscall.Signal); ok {
			return 128 + int(n)
		}
	}
	return 128 + int(syscall.SIGINT)
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
	if opts.cpuProfile != "" {
		stop, err := startCPUProfile(opts.cpuProfile)
		if err != nil {
			fmt.Fprintf(stderr, "nbtsniff: %v\n", err)
			return 1
		}
		defer func() {
			if err := stop(); err != nil {
				fmt.Fprintf(stderr, "nbtsniff: %v\n", err)
			}
		}()
	}
	if wantsTUI(opts, stdout) {
		return runTUI(ctx, opts, stdin, stdout, stderr)
	}
	if batchGC && len(opts.ifaces) == 0 {
		holdGC()
	}
	return process(ctx, opts, stdin, stdout, stderr)
}

const version = "0.1.0"
