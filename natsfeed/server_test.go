package natsfeed

import (
	"bytes"
	"context"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
)

// natsServer is a nats-server process with JetStream, on loopback, with
// its store in a test directory, so a restart finds the stream again.
type natsServer struct {
	t    testing.TB
	bin  string
	dir  string
	port int
	cmd  *exec.Cmd
	log  bytes.Buffer
}

// startServer starts nats-server on a free loopback port. Without the
// binary the test is skipped, unless NBTSNIFF_NATS_REQUIRED=1 (as in CI),
// which makes it fail.
func startServer(t testing.TB) *natsServer {
	t.Helper()
	bin, err := exec.LookPath("nats-server")
	if err != nil {
		if os.Getenv("NBTSNIFF_NATS_REQUIRED") == "1" {
			t.Fatalf("nats-server not found and NBTSNIFF_NATS_REQUIRED=1: %v", err)
		}
		t.Skip("nats-server not installed (Debian package nats-server); set NBTSNIFF_NATS_REQUIRED=1 to fail instead")
	}
	s := &natsServer{t: t, bin: bin, dir: t.TempDir(), port: freePort(t)}
	s.start()
	t.Cleanup(s.stop)
	return s
}

func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func (s *natsServer) URL() string { return "nats://127.0.0.1:" + strconv.Itoa(s.port) }

func (s *natsServer) start() {
	s.t.Helper()
	s.log.Reset()
	s.cmd = exec.Command(s.bin, "-a", "127.0.0.1", "-p", strconv.Itoa(s.port), "-js", "-sd", s.dir)
	s.cmd.Stdout = &s.log
	s.cmd.Stderr = &s.log
	if err := s.cmd.Start(); err != nil {
		s.t.Fatalf("nats-server: %v", err)
	}
	// Ready when a client gets an answer from the JetStream API.
	deadline := time.Now().Add(10 * time.Second)
	for {
		nc, err := nats.Connect(s.URL(), nats.Timeout(time.Second))
		if err == nil {
			_, err = nc.Request("$JS.API.INFO", nil, time.Second)
			nc.Close()
			if err == nil {
				return
			}
		}
		if time.Now().After(deadline) {
			s.stop()
			s.t.Fatalf("nats-server on %s not ready: %v\n%s", s.URL(), err, s.log.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// kill ends the server at once (SIGKILL), as a crash would.
func (s *natsServer) kill() {
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Kill()
	_ = s.cmd.Wait()
	s.cmd = nil
}

func (s *natsServer) stop() { s.kill() }

func testCtx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// A client started before its server listens (refused) waits for it,
// within its Timeout; with nothing listening it gives up once Timeout has
// passed, saying so.
func TestDialWaitsForServer(t *testing.T) {
	srv := startServer(t)
	srv.stop()
	done := make(chan error, 1)
	go func() {
		nc, err := dial(srv.URL(), ConnOptions{Timeout: 20 * time.Second, ReconnectWait: 50 * time.Millisecond})
		if nc != nil {
			nc.Close()
		}
		done <- err
	}()
	time.Sleep(300 * time.Millisecond)
	select {
	case err := <-done:
		t.Fatalf("dial ended before the server was up: %v", err)
	default:
	}
	srv.start()
	if err := <-done; err != nil {
		t.Fatalf("dial after the server came up: %v", err)
	}

	srv.stop()
	start := time.Now()
	_, err := dial(srv.URL(), ConnOptions{Timeout: 600 * time.Millisecond, ReconnectWait: 50 * time.Millisecond})
	took := time.Since(start)
	if err == nil || !strings.Contains(err.Error(), "no servers available") || !strings.Contains(err.Error(), srv.URL()) {
		t.Errorf("dial with no server: %v; want the URL and nats' no servers available", err)
	}
	if took < 500*time.Millisecond || took > 10*time.Second {
		t.Errorf("dial with no server gave up after %v; want about its 600 ms timeout", took)
	}
}
