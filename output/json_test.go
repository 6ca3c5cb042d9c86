package output_test

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"testing"

	"github.com/nbtsniff/nbtsniff/internal/corpus"
	"github.com/nbtsniff/nbtsniff/output"
)

type jsonFrame struct {
	Frame struct {
		Number       int      `json:"number"`
		Time         string   `json:"time"`
		TimeEpoch    float64  `json:"time_epoch"`
		TimeRelative float64  `json:"time_relative"`
		Source       int      `json:"source"`
		SourceLabel  string   `json:"source_label"`
		LinkType     int      `json:"link_type"`
		Len          int      `json:"len"`
		CapLen       int      `json:"cap_len"`
		Protocol     string   `json:"protocol"`
		Info         string   `json:"info"`
		Errors       []string `json:"errors"`
	} `json:"frame"`
	Layers []struct {
		Proto      string                     `json:"proto"`
		Name       string                     `json:"name"`
		Offset     *int                       `json:"offset"`
		Length     *int                       `json:"length"`
		DataSource string                     `json:"data_source"`
		Fields     map[string]json.RawMessage `json:"fields"`
		Errors     []string                   `json:"errors"`
		Warnings   []string                   `json:"warnings"`
	} `json:"layers"`
}

func decodeJSON(t *testing.T, line []byte) jsonFrame {
	t.Helper()
	if bytes.Count(line, []byte("\n")) != 1 || line[len(line)-1] != '\n' {
		t.Fatalf("not one line: %q", line)
	}
	var jf jsonFrame
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&jf); err != nil {
		t.Fatalf("invalid JSON %s: %v", line, err)
	}
	return jf
}

func TestJSON(t *testing.T) {
	f := c2Frame1(t)
	f.Info = append(f.Info, " \x1b[2J\xff"...)
	var buf bytes.Buffer
	jw := output.NewJSONWriter(&buf)
	if err := jw.WriteFrame(f); err != nil {
		t.Fatal(err)
	}
	jf := decodeJSON(t, buf.Bytes())
	// Values as tshark prints them for c2 frame 1 (frame.time_epoch
	// 1591425400.128128000), in the JSON types doc.go promises.
	if jf.Frame.Number != 1 || jf.Frame.Time != "2020-06-06T06:36:40.128128000Z" || jf.Frame.TimeEpoch != 1591425400.128128 ||
		jf.Frame.Len != 110 || jf.Frame.Protocol != "NBNS" {
		t.Errorf("frame = %+v", jf.Frame)
	}
	if want := "Registration NB WORKGROUP<1e> \x1b[2J\u00ff"; jf.Frame.Info != want {
		t.Errorf("info = %q, want %q", jf.Frame.Info, want)
	}
	var protos []string
	for _, l := range jf.Layers {
		protos = append(protos, l.Proto)
	}
	if got := strings.Join(protos, ":"); got != "frame:eth:ip:udp:nbns" {
		t.Fatalf("layers %s", got)
	}
	nbns := jf.Layers[4]
	if nbns.Name != "NetBIOS Name Service" || nbns.Offset == nil || *nbns.Offset != 42 || *nbns.Length != 68 {
		t.Errorf("nbns layer %+v", nbns)
	}
	want := map[string]string{
		"nbns.id":             `61654`, // 0xf0d6: a number whatever the base
		"nbns.flags":          `10256`, // 0x2810
		"nbns.flags.response": `false`,
		"nbns.name":           `["WORKGROUP<1e>","WORKGROUP<1e> (Browser Election Service)"]`,
		"nbns.addr":           `"192.168.100.121"`,
	}
	for k, v := range want {
		if got := string(nbns.Fields[k]); got != v {
			t.Errorf("%s = %s, want %s", k, got, v)
		}
	}
	eth := jf.Layers[1]
	if got := string(eth.Fields["eth.src"]); got != `"52:54:00:4a:04:af"` {
		t.Errorf("eth.src = %s", got)
	}
	if got := string(jf.Layers[2].Fields["ip.src"]); got != `"192.168.100.121"` {
		t.Errorf("ip.src = %s", got)
	}
}

func TestJSONErrorsAndSources(t *testing.T) {
	f := testTree(t)
	line := output.AppendJSON(nil, f)
	jf := decodeJSON(t, line)
	if len(jf.Frame.Errors) != 1 || !strings.Contains(jf.Frame.Errors[0], "need 2 bytes, have 1") {
		t.Errorf("frame errors %q", jf.Frame.Errors)
	}
	l := jf.Layers[len(jf.Layers)-1]
	if l.Proto != "nbtsniff.test.proto" || len(l.Errors) != 1 || !strings.HasPrefix(l.Errors[0], "[Malformed: ") {
		t.Errorf("layer %+v", l)
	}
	if got := string(l.Fields["nbtsniff.test.name"]); got != `"\u0001\u0002__MSBROWSE__\u0002\u0001<01>"` {
		t.Errorf("name = %s", got)
	}
	if got := string(l.Fields["nbtsniff.test.length"]); got != "68" {
		t.Errorf("generated length = %s", got)
	}
}

func TestJSONAllocs(t *testing.T) {
	f := c2Frame1(t)
	jw := output.NewJSONWriter(io.Discard)
	jw.WriteFrame(f)
	if a := testing.AllocsPerRun(100, func() { jw.WriteFrame(f) }); a != 0 {
		t.Errorf("JSONWriter.WriteFrame allocates %.1f times per frame", a)
	}
}

// TestJSONRealFrames checks every frame of a few captures is one valid JSON
// line.
func TestJSONRealFrames(t *testing.T) {
	names := []string{
		"nbns-registration-browser-elections_pcap-attack-dns-txt-c2-cut.pcap",
		"synthetic/malformed-fuzzed-nbns-nbdgm_ndpi-fuzz-2006-06-26-2594.pcap",
		"nbss139-smb1-rap-netserverenum2-win10-browser-nbns_wswiki-smb-on-windows-10.pcapng",
	}
	corpus.Paths(t, names...)
	for _, name := range names {
		path := capturePath(t, sharedPcaps+"/"+name)
		for _, f := range loadFrames(t, path) {
			var buf bytes.Buffer
			if err := output.NewJSONWriter(&buf).WriteFrame(f); err != nil {
				t.Fatalf("%s frame %d: %v", name, f.Number, err)
			}
			jf := decodeJSON(t, buf.Bytes())
			if jf.Frame.Number != f.Number {
				t.Fatalf("%s: frame %d decoded as %d", name, f.Number, jf.Frame.Number)
			}
		}
	}
}
