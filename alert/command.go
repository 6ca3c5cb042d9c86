package alert

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"time"
)

// Command runs a shell command for each alert (--on-alert CMD): /bin/sh -c
// CMD, the alert's JSON (the -T events object and a newline) on its
// standard input, and in its environment, escaped by output's rule:
//
//	NBTSNIFF_ALERT_CLASS      anomaly or diagnosis
//	NBTSNIFF_ALERT_KIND       election_storm, ...
//	NBTSNIFF_ALERT_SEGMENT    lab/198.18.1.255
//	NBTSNIFF_ALERT_WORKGROUP  LABWG
//	NBTSNIFF_ALERT_HOST       DELTA
//	NBTSNIFF_ALERT_TIME       capture time, RFC 3339 UTC
//
// Its standard output and error are kept (the first 1 KiB) for the error
// of a command that fails. At the dispatcher's timeout the command and
// every process it started (its process group) are killed.
type Command struct {
	Line  string // the command, as given to --on-alert
	Shell string // "/bin/sh" unless set
}

// NewCommand is the sink of --on-alert line.
func NewCommand(line string) *Command { return &Command{Line: line, Shell: "/bin/sh"} }

// maxOutput is how much of a command's output an error quotes.
const maxOutput = 1024

// Send runs the command for a and waits for it.
func (c *Command) Send(ctx context.Context, a *Alert) error {
	cmd := exec.CommandContext(ctx, c.Shell, "-c", c.Line)
	cmd.Stdin = bytes.NewReader(append(a.JSON[:len(a.JSON):len(a.JSON)], '\n'))
	out := &capped{max: maxOutput}
	cmd.Stdout, cmd.Stderr = out, out
	env := func(k, v string) string { return k + "=" + string(appendBounded(nil, v, maxValue)) }
	cmd.Env = append(os.Environ(),
		env("NBTSNIFF_ALERT_CLASS", a.Class.String()),
		env("NBTSNIFF_ALERT_KIND", a.Kind),
		env("NBTSNIFF_ALERT_SEGMENT", a.Segment),
		env("NBTSNIFF_ALERT_WORKGROUP", a.Workgroup),
		env("NBTSNIFF_ALERT_HOST", a.Host),
		env("NBTSNIFF_ALERT_TIME", a.Time.UTC().Format(time.RFC3339Nano)),
	)
	killGroup(cmd)
	cmd.WaitDelay = time.Second
	err := cmd.Run()
	if err == nil {
		return nil
	}
	if out.Len() > 0 {
		return fmt.Errorf("%v: %s", err, appendBounded(nil, string(bytes.TrimSpace(out.Bytes())), maxOutput))
	}
	return err
}

// capped keeps the first max bytes written to it.
type capped struct {
	bytes.Buffer
	max int
}

func (c *capped) Write(p []byte) (int, error) {
	if room := c.max - c.Len(); room > 0 {
		c.Buffer.Write(p[:min(room, len(p))])
	}
	return len(p), nil
}
