package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// --why and --lmhosts on the os255 lab capture (testdata/lab/EXPECTED.md):
// BIGOS (os level 255) took the local master role from DMB (os level 65,
// the domain master browser, no domain controller) at t≈69; WS1 is
// 198.18.1.12.
func TestWhyAndLMHosts(t *testing.T) {
	lm := filepath.Join(t.TempDir(), "lmhosts")
	os.WriteFile(lm, []byte("198.18.1.11 DMB #PRE #DOM:LABWG\n198.18.1.99 WS1\n198.18.1.77 \"PRINT\\0x1bSRV\"\n#INCLUDE \\\\srv\\share\\lmhosts\n"), 0o644)
	code, out, stderr := runCLI("-r", "../../testdata/pcaps/os255.pcapng", "--at", "100", "--why", "DMB", "--why", "198.18.1.77", "--lmhosts", lm)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"== why DMB\n",
		"in an election held now BIGOS would win over DMB on criteria: OS level 255 > 65",
		"to win: DMB needs nothing it can set: BIGOS has OS level 255, the highest (lower BIGOS's os level)",
		"== why 198.18.1.77\n  198.18.1.77 (PRINT\\x1bSRV in the LMHOSTS file) was not seen on the wire",
		"BIGOS would win an election of LABWG on os255/198.18.1.255 now over DMB on OS level 255 > 65",
		"== LMHOSTS " + lm + ": 3 entries; 2 findings where the wire contradicts them",
		"line 4: #INCLUDE ignored",
		"not_domain_controller [os255/198.18.1.255]: LMHOSTS line 1 marks DMB a domain controller of LABWG",
		"other_address [os255/198.18.1.255]: LMHOSTS line 2 gives WS1 the address 198.18.1.99; on the wire WS1<00> was registered from 198.18.1.12",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if strings.Contains(out, "\x1b") {
		t.Error("an escape byte from the LMHOSTS file reached the output")
	}
	if strings.Index(out, "== why DMB") > strings.Index(out, "== LABWG on") {
		t.Error("the answer to --why is not first")
	}

	code, out, stderr = runCLI("-r", "../../testdata/pcaps/os255.pcapng", "--at", "100", "--report=json", "--why", "BIGOS", "--lmhosts", lm)
	if code != 0 {
		t.Fatalf("json: exit %d: %s", code, stderr)
	}
	var doc struct {
		Next struct {
			Predictions []struct{ Winner, RunnerUp, Margin string } `json:"predictions"`
		} `json:"next"`
		Why []struct {
			Host  string
			Parts []struct{ Master bool } `json:"parts"`
		} `json:"why"`
		LMHosts struct {
			Findings []struct{ Kind string } `json:"findings"`
		} `json:"lmhosts"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("json: %v", err)
	}
	if p := doc.Next.Predictions; len(p) != 1 || p[0].Winner != "BIGOS" || p[0].Margin != "OS level 255 > 65" {
		t.Errorf("predictions %+v", p)
	}
	if len(doc.Why) != 1 || doc.Why[0].Host != "BIGOS" || len(doc.Why[0].Parts) != 1 || !doc.Why[0].Parts[0].Master {
		t.Errorf("why %+v", doc.Why)
	}
	if len(doc.LMHosts.Findings) != 2 {
		t.Errorf("lmhosts findings %+v", doc.LMHosts.Findings)
	}
}

func TestWhyFlagErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-r", "x.pcap", "--why", " "}, "--why needs a NetBIOS name or an IP address"},
		{[]string{"-r", "x.pcap", "-T", "events", "--why", "A"}, "use --report, not -T events"},
		{[]string{"-r", "../../testdata/pcaps/os255.pcapng", "--lmhosts", "/nonexistent/lmhosts"}, "--lmhosts: open /nonexistent/lmhosts"},
	} {
		code, _, stderr := runCLI(c.args...)
		if code == 0 || !strings.Contains(stderr, c.want) {
			t.Errorf("%q: exit %d, stderr %q, want %q", c.args, code, stderr, c.want)
		}
	}
}

// The spoof capture: SPOOF (198.18.1.66) registers nothing and answers
// every broadcast query with its own address (ALPHA<00> at frame 100,
// BRAVO<00> at 104: testdata/lab/EXPECTED.md). An LMHOSTS file names it;
// the wire never does, so its address is labelled; ALPHA's is not (the
// wire names it).
func TestLMHostsLabels(t *testing.T) {
	lm := filepath.Join(t.TempDir(), "lmhosts")
	os.WriteFile(lm, []byte("198.18.1.66 SPOOF\n198.18.1.11 ALPHA\n"), 0o644)
	code, out, stderr := runCLI("-r", "../../testdata/pcaps/spoof.pcapng", "--lmhosts", lm, "--why", "198.18.1.66")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"198.18.1.66 (SPOOF in the LMHOSTS file) sent no browser frame and registered no name, but answered name queries:",
		"ALPHA<00> with 198.18.1.66 (frame 100)", "BRAVO<00> with 198.18.1.66 (frame 104)",
		"answers: 198.18.1.11 (by 198.18.1.11), lmhosts:SPOOF@198.18.1.66 (by lmhosts:SPOOF@198.18.1.66)",
		"== LMHOSTS " + lm + ": 2 entries; 1 finding where the wire contradicts them",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if strings.Contains(out, "lmhosts:ALPHA") {
		t.Error("ALPHA, named by the wire, is labelled from LMHOSTS")
	}
}
