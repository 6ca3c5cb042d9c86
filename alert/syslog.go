//go:build !windows && !plan9

package alert

import (
	"context"
	"log/syslog"
)

// Syslog sends alerts to a syslog daemon (--syslog) with log/syslog:
// facility daemon, severity warning for an anomaly and notice for a
// diagnosis, the message Alert.String (escaped, bounded).
type Syslog struct {
	w *syslog.Writer
}

// DialSyslog connects to a syslog daemon: network and raddr "" for the
// local one (/dev/log), or "unixgram" and a socket path, "udp" and
// host:port. tag names the program in each line ("nbtsniff").
func DialSyslog(network, raddr, tag string) (*Syslog, error) {
	w, err := syslog.Dial(network, raddr, syslog.LOG_DAEMON|syslog.LOG_WARNING, tag)
	if err != nil {
		return nil, err
	}
	return &Syslog{w: w}, nil
}

// Send writes one line for a. log/syslog cannot be interrupted: a daemon
// that does not read holds the dispatcher's worker, whose queue then
// fills and drops alerts (QueueFull); the capture is never held.
func (s *Syslog) Send(_ context.Context, a *Alert) error {
	if a.Class == ClassDiagnosis {
		return s.w.Notice(a.String())
	}
	return s.w.Warning(a.String())
}

// Close closes the connection to the daemon.
func (s *Syslog) Close() error { return s.w.Close() }
