package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// The sensor harness of TestLabMonitor. lab.sh runs each subnet's sniffer
// in that subnet's switch namespace, whose network holds only the bridge:
// a sensor there cannot reach the NATS server, nor Prometheus the sensor,
// both in the test's own namespace. So the sniffer is this test binary
// (TestMain runs labSensorHelper when NBTSNIFF_LAB_SENSOR is set), which
// forwards TCP ports between the two namespaces, sockets made in the other
// one with setns(2) on a locked thread, and runs nbtsniff as its plan says:
//
//	nbtsniff.test -test.run=^$ -- PLANFILE SUBNET
//
// The plan (JSON, one per subnet) lists the forwarders and the nbtsniff
// runs: each run but the last is stopped with SIGTERM after its Stop
// (a sensor restarted mid-run), the next started at once; SIGINT or SIGTERM
// from lab.sh goes to the run under way. What each run did is written to
// RC ("run 1: signals= exit=0", one line per run).

// sensorPlan is what the harness of one subnet does.
type sensorPlan struct {
	RootNetns string    // the test's network namespace (/proc/PID/ns/net)
	ToRoot    []forward // listen in the switch namespace, dial in the test's
	FromRoot  []forward // listen in the test's namespace, dial in the switch's
	Bin       string
	Runs      []sensorRun
	RC        string
}

type forward struct{ Listen, Dial string }

type sensorRun struct {
	Args   []string
	Stdout string
	Stderr string
	Stop   time.Duration // 0: run until lab.sh stops the sniffer
}

// writePlans writes the plan of each subnet to dir/plan.json.
func writePlans(dir string, plans map[string]*sensorPlan) (string, error) {
	b, err := json.MarshalIndent(plans, "", "  ")
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, "plan.json")
	return path, os.WriteFile(path, b, 0o644)
}

func labSensorHelper() int {
	args := flagArgs()
	if len(args) != 2 {
		fmt.Fprintln(os.Stderr, "lab sensor helper: usage: -- PLANFILE SUBNET")
		return 2
	}
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	b, err := os.ReadFile(args[0])
	if err != nil {
		fmt.Fprintln(os.Stderr, "lab sensor helper:", err)
		return 1
	}
	var plans map[string]*sensorPlan
	if err := json.Unmarshal(b, &plans); err != nil {
		fmt.Fprintln(os.Stderr, "lab sensor helper:", err)
		return 1
	}
	plan := plans[args[1]]
	if plan == nil { // a subnet with nothing to do: wait for the end
		<-sigs
		return 0
	}
	var rc []string
	done := func(code int) int {
		os.WriteFile(plan.RC, []byte(strings.Join(rc, "\n")+"\n"), 0o644)
		return code
	}
	for _, f := range plan.ToRoot {
		if err := forwardPort(f, "", plan.RootNetns); err != nil {
			rc = append(rc, "forward "+f.Listen+": "+err.Error())
			return done(1)
		}
	}
	for _, f := range plan.FromRoot {
		if err := forwardPort(f, plan.RootNetns, ""); err != nil {
			rc = append(rc, "forward "+f.Listen+": "+err.Error())
			return done(1)
		}
	}
	for i, r := range plan.Runs {
		status, interrupted := runSensor(plan.Bin, r, sigs)
		rc = append(rc, fmt.Sprintf("run %d: %s", i+1, status))
		if interrupted {
			break
		}
	}
	return done(0)
}

// runSensor runs one nbtsniff until its Stop (then SIGTERM) or until the
// harness is signalled (the signal is passed on); it says how it ended
// and whether the harness was signalled.
func runSensor(bin string, r sensorRun, sigs chan os.Signal) (status string, interrupted bool) {
	stdout, err := os.Create(r.Stdout)
	if err != nil {
		return "error=" + err.Error(), true
	}
	defer stdout.Close()
	stderr, err := os.Create(r.Stderr)
	if err != nil {
		return "error=" + err.Error(), true
	}
	defer stderr.Close()
	cmd := exec.Command(bin, r.Args...)
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Start(); err != nil {
		return "start: " + err.Error(), true
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	var stop <-chan time.Time
	if r.Stop > 0 {
		stop = time.After(r.Stop)
	}
	var got []string
	for {
		select {
		case s := <-sigs:
			got = append(got, s.String())
			cmd.Process.Signal(s)
			interrupted = true
		case <-stop:
			got = append(got, "terminated (restart)")
			cmd.Process.Signal(syscall.SIGTERM)
		case <-exited:
			status = "error"
			if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok {
				switch {
				case ws.Signaled():
					status = "signal=" + ws.Signal().String()
				case ws.Exited():
					status = "exit=" + strconv.Itoa(ws.ExitStatus())
				}
			}
			return "signals=" + strings.Join(got, ",") + " " + status, interrupted
		}
	}
}

// forwardPort listens on f.Listen in the network namespace listenNS and
// forwards each connection to f.Dial in dialNS ("": this process's own).
func forwardPort(f forward, listenNS, dialNS string) error {
	var ln net.Listener
	err := inNetns(listenNS, func() error {
		var err error
		ln, err = net.Listen("tcp", f.Listen)
		return err
	})
	if err != nil {
		return err
	}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				var d net.Conn
				if err := inNetns(dialNS, func() error {
					var err error
					d, err = net.DialTimeout("tcp", f.Dial, 5*time.Second)
					return err
				}); err != nil {
					return
				}
				defer d.Close()
				var wg sync.WaitGroup
				wg.Go(func() { io.Copy(d, c); d.(*net.TCPConn).CloseWrite() })
				io.Copy(c, d)
				c.(*net.TCPConn).CloseWrite()
				wg.Wait()
			}()
		}
	}()
	return nil
}

// inNetns runs fn on an OS thread that is in the network namespace at
// path ("" runs it as is): a socket fn makes belongs to that namespace for
// its life. The thread goes back to its own namespace after, or, if it
// cannot, ends with its goroutine (Go then never reuses it).
func inNetns(path string, fn func() error) error {
	if path == "" {
		return fn()
	}
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		own, err := os.Open("/proc/thread-self/ns/net")
		if err != nil {
			errc <- err
			return
		}
		defer own.Close()
		ns, err := os.Open(path)
		if err != nil {
			errc <- err
			return
		}
		defer ns.Close()
		if err := unix.Setns(int(ns.Fd()), unix.CLONE_NEWNET); err != nil {
			runtime.UnlockOSThread()
			errc <- fmt.Errorf("setns %s: %w", path, err)
			return
		}
		err = fn()
		if unix.Setns(int(own.Fd()), unix.CLONE_NEWNET) == nil {
			runtime.UnlockOSThread()
		}
		errc <- err
	}()
	return <-errc
}
