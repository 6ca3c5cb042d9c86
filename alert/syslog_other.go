//go:build windows || plan9

package alert

import (
	"context"
	"errors"
)

// Syslog is not available on this system (log/syslog is Unix only).
type Syslog struct{}

// DialSyslog fails: there is no syslog here.
func DialSyslog(network, raddr, tag string) (*Syslog, error) {
	return nil, errors.New("syslog is not available on this system")
}

// Send fails.
func (s *Syslog) Send(context.Context, *Alert) error {
	return errors.New("syslog is not available on this system")
}

// Close does nothing.
func (s *Syslog) Close() error { return nil }
