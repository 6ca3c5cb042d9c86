//go:build !windows && !plan9

package alert

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"
)

// Alerts reach a syslog daemon's socket: here a unixgram socket the test
// listens on, as /dev/log is. Priority daemon.warning for an anomaly,
// daemon.notice for a diagnosis; the wire's bytes escaped.
func TestSyslog(t *testing.T) {
	path := filepath.Join(t.TempDir(), "log")
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: path, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	s, err := DialSyslog("unixgram", path, "nbtsniff")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var oc outcomes
	d := NewDispatcher(s, Options{OnOutcome: oc.on})
	a := storm(0, "EVIL\x1b[2J")
	a.Kind, a.Detail = "split_brain", "DELTA and \"FOXTROT\"\nboth master \xff"
	d.Submit(a)
	diag := storm(0, "")
	diag.Class, diag.Kind, diag.Workgroup = ClassDiagnosis, "nbns_spoofing", "MY GROUP"
	d.Submit(diag)
	d.Close()

	pid := os.Getpid()
	want := []string{
		fmt.Sprintf(`<28>%s nbtsniff[%d]: anomaly split_brain segment=lab/198.18.1.255 workgroup=LABWG host="EVIL\x1b[2J" time=2026-11-22T00:58:11.613Z: DELTA and "FOXTROT"\nboth master \xff`+"\n", `\w{3} [ \d]\d \d\d:\d\d:\d\d`, pid),
		fmt.Sprintf(`<29>%s nbtsniff[%d]: diagnosis nbns_spoofing segment=lab/198.18.1.255 workgroup="MY GROUP" time=2026-11-22T00:58:11.613Z`+"\n", `\w{3} [ \d]\d \d\d:\d\d:\d\d`, pid),
	}
	buf := make([]byte, 4096)
	for i, w := range want {
		conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		n, err := conn.Read(buf)
		if err != nil {
			t.Fatalf("datagram %d: %v (outcomes %q)", i, err, oc.got)
		}
		re := regexp.MustCompile("^" + regexpQuoteExcept(w) + "$")
		if !re.Match(buf[:n]) {
			t.Errorf("datagram %d:\n%q\nwant\n%q", i, buf[:n], w)
		}
		for _, c := range buf[:n-1] {
			if c < 0x20 || c == 0x7f {
				t.Errorf("datagram %d holds control byte %#x: %q", i, c, buf[:n])
			}
		}
	}
}

// regexpQuoteExcept quotes w for a regexp, except the timestamp pattern
// the test put in it.
func regexpQuoteExcept(w string) string {
	const ts = `\w{3} [ \d]\d \d\d:\d\d:\d\d`
	i := regexp.MustCompile(regexp.QuoteMeta(ts)).FindStringIndex(w)
	return regexp.QuoteMeta(w[:i[0]]) + ts + regexp.QuoteMeta(w[i[1]:])
}
