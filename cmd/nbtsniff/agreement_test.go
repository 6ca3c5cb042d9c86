package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/nbtsniff/nbtsniff/dissect"
)

// The agreement table of the README: for every capture of the
// differential test (captureFiles: ../shared/pcaps, testdata and the
// directories of NBTSNIFF_EXTRA_PCAPS, such as the external captures of
// scripts/fetch-external.sh), the share of tshark's field values, per
// protocol, that nbtsniff prints too, in its default mode (no
// --tcp-give-up-holes). Values are compared by content: per field, the
// multiset of a capture's values, so a session packet nbtsniff shows a
// few frames later than tshark (it waited for a missing segment) still
// agrees. Agreement is the share of tshark's values (tshark -2: merged
// transactions) that nbtsniff prints too; the values nbtsniff prints more
// (a session packet tshark calls a spurious retransmission, or cannot
// frame after a hole) are counted in a column of their own. A field
// counts only on the frames its protocol is in (frame.protocols).
//
// It runs only with NBTSNIFF_AGREEMENT=1 (scripts/agreement.sh): it takes
// minutes. It fails when a protocol is below NBTSNIFF_AGREEMENT_MIN
// percent (99.9 unless set), over all captures, and lists with -v the
// captures that still differ, by protocol.
func TestAgreement(t *testing.T) {
	if os.Getenv("NBTSNIFF_AGREEMENT") != "1" {
		t.Skip("set NBTSNIFF_AGREEMENT=1 to measure the agreement with tshark (scripts/agreement.sh)")
	}
	tshark := needTshark(t)
	min := 99.9
	if s := os.Getenv("NBTSNIFF_AGREEMENT_MIN"); s != "" {
		var err error
		if min, err = strconv.ParseFloat(s, 64); err != nil {
			t.Fatalf("NBTSNIFF_AGREEMENT_MIN=%q: %v", s, err)
		}
	}
	var fields []string
	protoOf := map[string]string{}
	for _, proto := range diffProtos {
		for _, f := range dissect.WiresharkAbbrevs(proto) {
			fields = append(fields, f)
			protoOf[f] = proto
		}
	}
	// frame.protocols last: a field counts only on the frames its
	// protocol is in (tshark fills browser.server_type.* in DCE/RPC
	// SRVSVC replies too, which nbtsniff does not decode).
	args := []string{"-Y", nbtPorts, "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=\x1f"}
	for _, f := range fields {
		args = append(args, "-e", f)
	}
	args = append(args, "-e", "frame.protocols")
	type tally struct{ match, total, extra int }
	all := map[string]*tally{}
	worst := map[string][]string{}
	for _, file := range captureFiles(t) {
		fargs := append([]string{"-r", file}, args...)
		// tshark -2 shows a transaction merged from several messages
		// (nbtsniff shows it where it completes: compared by content).
		want := runTshark(t, tshark, append([]string{"-n", "-2", "-o", "smb.trans_reassembly:TRUE"}, fargs...)...)
		got := runNbtsniff(t, fargs...)
		per := map[string]*tally{}
		w, g := valuesInProto(want, fields, protoOf), valuesInProto(got, fields, protoOf)
		for i, f := range fields {
			p := protoOf[f]
			if per[p] == nil {
				per[p] = &tally{}
			}
			m := 0
			for v, n := range w[i] {
				m += minInt(n, g[i][v])
			}
			per[p].match += m
			per[p].total += sum(w[i])
			per[p].extra += sum(g[i]) - m
		}
		for p, tl := range per {
			if all[p] == nil {
				all[p] = &tally{}
			}
			all[p].match += tl.match
			all[p].total += tl.total
			all[p].extra += tl.extra
			if tl.match < tl.total || tl.extra > 0 {
				worst[p] = append(worst[p], fmt.Sprintf("%s (%d of %d missing or different, %d more)", filepath.Base(file), tl.total-tl.match, tl.total, tl.extra))
			}
		}
	}
	t.Logf("| protocol | tshark's values | equal in nbtsniff | agreement | nbtsniff's values more | captures that differ |")
	t.Logf("|---|---:|---:|---:|---:|---|")
	for _, p := range diffProtos {
		tl := all[p]
		if tl == nil || tl.total == 0 {
			t.Logf("| %s | 0 | 0 | - | 0 | |", p)
			continue
		}
		pct := 100 * float64(tl.match) / float64(tl.total)
		sort.Strings(worst[p])
		t.Logf("| %s | %d | %d | %.3f%% | %d | %s |", p, tl.total, tl.match, pct, tl.extra, strings.Join(worst[p], "; "))
		if pct < min {
			t.Errorf("%s: %.3f%% of the values agree with tshark, below %.1f%%", p, pct, min)
		}
	}
}

// valuesInProto is valuesByField over the columns of fields, the last
// column being frame.protocols: a field's values count only on the frames
// whose protocols include its protocol.
func valuesInProto(out []byte, fields []string, protoOf map[string]string) []map[string]int {
	n := len(fields)
	m := make([]map[string]int, n)
	for i := range m {
		m[i] = map[string]int{}
	}
	for _, line := range strings.Split(string(out), "\n") {
		cols := strings.Split(line, "\t")
		if len(cols) != n+1 {
			continue
		}
		protos := ":" + cols[n] + ":"
		for i, col := range cols[:n] {
			p := protoOf[fields[i]]
			if p == "mailslot" || p == "lanman" {
				p = "smb" // tshark 4.0 leaves them out of frame.protocols
			}
			if col == "" || !strings.Contains(protos, ":"+p+":") {
				continue
			}
			for _, v := range strings.Split(col, "\x1f") {
				m[i][v]++
			}
		}
	}
	return m
}

// valuesByField counts, per column of -T fields output, each value (the
// occurrences of a frame split on the aggregator \x1f).
func valuesByField(out []byte, n int) []map[string]int {
	m := make([]map[string]int, n)
	for i := range m {
		m[i] = map[string]int{}
	}
	for _, line := range strings.Split(string(out), "\n") {
		if line == "" {
			continue
		}
		for i, col := range strings.Split(line, "\t") {
			if i >= n || col == "" {
				continue
			}
			for _, v := range strings.Split(col, "\x1f") {
				m[i][v]++
			}
		}
	}
	return m
}

func sum(m map[string]int) int {
	s := 0
	for _, n := range m {
		s += n
	}
	return s
}

func minInt(a, b int) int {
	if a < b {
		return a
	}
	return b
}
