package view

import (
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/nbtsniff/nbtsniff/output"
)

// esc makes a string from the wire safe for the terminal: control
// characters, C1 controls, bidi overrides and invalid UTF-8 become \xNN
// (output.AppendEscaped, the one escaping rule of every output mode).
func esc(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	return string(output.AppendEscapedString(nil, s))
}

// escBytes is esc for bytes.
func escBytes(b []byte) string { return string(output.AppendEscaped(nil, b)) }

// width is the number of terminal cells s takes (styles ignored).
func width(s string) int { return ansi.StringWidth(s) }

// fit truncates s to w cells (with "…") and pads it with spaces to
// exactly w cells. s may carry styles.
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	n := width(s)
	if n > w {
		s = ansi.Truncate(s, w, "…")
		n = width(s)
	}
	if n < w {
		s += strings.Repeat(" ", w-n)
	}
	return s
}

// fitRight is fit with the text aligned right.
func fitRight(s string, w int) string {
	if w <= 0 {
		return ""
	}
	n := width(s)
	if n > w {
		return ansi.Truncate(s, w, "…")
	}
	return strings.Repeat(" ", w-n) + s
}

// trunc cuts s to at most w cells, without padding.
func trunc(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if width(s) <= w {
		return s
	}
	return ansi.Truncate(s, w, "…")
}

// ago is a short duration for "time since": "4s", "2m13s", "1h02m", "3d".
func ago(d time.Duration) string {
	if d < 0 {
		return "-" + ago(-d)
	}
	switch {
	case d < time.Second:
		return strconv.Itoa(int(d/time.Millisecond)) + "ms"
	case d < time.Minute:
		return strconv.Itoa(int(d/time.Second)) + "s"
	case d < time.Hour:
		m, s := int(d/time.Minute), int(d%time.Minute/time.Second)
		return strconv.Itoa(m) + "m" + pad2(s) + "s"
	case d < 48*time.Hour:
		h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
		return strconv.Itoa(h) + "h" + pad2(m) + "m"
	}
	return strconv.Itoa(int(d/(24*time.Hour))) + "d"
}

func pad2(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// since is ago(now - t), "-" for a zero t.
func since(now, t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return ago(now.Sub(t))
}

// until is the time left until t: "in 2m10s", or "expired".
func until(now, t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	if !t.After(now) {
		return "expired"
	}
	return ago(t.Sub(now))
}

// orDash joins escaped wire strings with ", ", or "-" when there are none.
func orDash(v []string) string {
	if len(v) == 0 {
		return "-"
	}
	out := make([]string, len(v))
	for i, s := range v {
		out[i] = esc(s)
	}
	return strings.Join(out, ", ")
}

// segmentNamer shortens the segment names of the timeline for display.
// The timeline names a segment "LABEL/BROADCAST" where LABEL is the input
// (a file path, or an interface); with a single input the label says
// nothing and is dropped, with several the path is cut to its base name.
type segmentNamer struct {
	labels []string
}

func (sn segmentNamer) name(seg string) string {
	for _, l := range sn.labels {
		if l == "" || !strings.HasPrefix(seg, l) {
			continue
		}
		rest := seg[len(l):]
		if rest != "" && rest[0] != '/' {
			continue
		}
		if len(sn.labels) == 1 {
			if rest == "" {
				return esc(filepath.Base(l))
			}
			return esc(rest[1:])
		}
		return esc(filepath.Base(l) + rest)
	}
	return esc(seg)
}

// text escapes a sentence of the timeline and shortens the segment names
// in it as name does.
func (sn segmentNamer) text(s string) string {
	for _, l := range sn.labels {
		if l == "" || !strings.Contains(s, l+"/") {
			continue
		}
		short := ""
		if len(sn.labels) > 1 {
			short = filepath.Base(l) + "/"
		}
		s = strings.ReplaceAll(s, l+"/", short)
	}
	return esc(s)
}

// itoa is strconv.Itoa.
func itoa(n int) string { return strconv.Itoa(n) }

// plural is "1 frame" / "2 frames".
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// humanCount is 950, 12.3k, 4.1M.
func humanCount(f float64) string {
	switch {
	case f < 1000:
		return strconv.FormatFloat(f, 'f', 0, 64)
	case f < 1e6:
		return strconv.FormatFloat(f/1e3, 'f', 1, 64) + "k"
	}
	return strconv.FormatFloat(f/1e6, 'f', 1, 64) + "M"
}

func formatFloat(f float64, prec int) string { return strconv.FormatFloat(f, 'f', prec, 64) }
