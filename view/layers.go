package view

import "strings"

// The layers of an open frame (L): the protocol stack as a picture, each
// layer with its bytes (coloured as in the hex pane), the spec section
// that defines it, and, for a layer decoded from a reassembled buffer,
// the frames it was put together from.

// layerSpec is the specification that defines a layer, by the layer's
// name (the sections the decoders of package dissect cite).
var layerSpecs = []struct{ prefix, short, spec string }{
	{"Frame", "Frame", "the capture file's record (pcap / pcapng EPB)"},
	{"Ethernet II", "Ethernet", "Ethernet II (DIX) framing, IEEE 802.3"},
	{"Linux cooked", "SLL", "Linux cooked capture (libpcap LINKTYPE_LINUX_SLL)"},
	{"Logical-Link Control", "LLC", "IEEE 802.2 LLC"},
	{"NetBIOS,", "NetBEUI", "IBM NetBIOS Frames protocol (NetBEUI)"},
	{"Internetwork Packet eXchange", "IPX", "Novell IPX"},
	{"Internet Protocol Version 4", "IPv4", "RFC 791 §3.1"},
	{"User Datagram Protocol", "UDP", "RFC 768"},
	{"Transmission Control Protocol", "TCP", "RFC 793 §3.1"},
	{"NetBIOS Name Service", "NBNS", "RFC 1002 §4.2"},
	{"NetBIOS Datagram Service", "NBDGM", "RFC 1002 §4.4.1"},
	{"NetBIOS Session Service", "NBSS", "RFC 1002 §4.3.1"},
	{"SMB (Server Message Block", "SMB", "[MS-CIFS] §2.2.3.1 (the SMB header)"},
	{"SMB MailSlot", "mailslot", "[MS-MAIL] §2.2.1"},
	{"Microsoft Windows Browser", "browser", "[MS-BRWS] §2.2"},
	{"Microsoft Windows Lanman", "RAP", "[MS-RAP] §2.5"},
}

// smbTransSpec is the SMB command that carries the mailslot and RAP
// layers.
const smbTransSpec = "[MS-CIFS] §2.2.4.33 (SMB_COM_TRANSACTION, 0x25)"

type layerRow struct {
	name, short, spec string
	layer             int // colour index (-1: a command, not a layer)
	src, off, len     int
	from              string // a reassembled layer: the frames it came from
}

// layerRows are the frame's layers, top-level nodes of its tree, with
// SMB_COM_TRANSACTION shown as its own step.
func (d *frameDetail) layerRows() []layerRow {
	var out []layerRow
	from := ""
	for _, l := range d.lines {
		if l.depth != 0 {
			if l.depth <= 2 && strings.Contains(l.text, "Command: Trans") && strings.Contains(l.text, "(0x25)") {
				out = append(out, layerRow{name: "SMB_COM_TRANSACTION", short: "SMB_COM_TRANSACTION", spec: smbTransSpec, layer: -1, src: l.src, off: l.off, len: l.len})
			}
			continue
		}
		if strings.HasPrefix(l.text, "[Reassembled") {
			if _, frames, ok := strings.Cut(l.text, ": "); ok {
				from = frames
			}
			continue
		}
		if strings.HasPrefix(l.text, "[") {
			continue // an expert note
		}
		name, _, _ := strings.Cut(l.text, ", Src")
		r := layerRow{name: name, short: name, spec: "-", layer: l.layer, src: l.src, off: l.off, len: l.len}
		for _, s := range layerSpecs {
			if strings.HasPrefix(l.text, s.prefix) {
				r.short, r.spec = s.short, s.spec
				break
			}
		}
		if l.src > 0 {
			r.from = from
		}
		out = append(out, r)
	}
	return out
}

// layersLines renders the layers pane in w x h cells.
func (m *FramesModel) layersLines(w, h int) []string {
	d := m.detail
	rows := d.layerRows()
	var pic []string
	for _, r := range rows {
		if r.short != "Frame" {
			pic = append(pic, r.short)
		}
	}
	out := []string{m.styles.Title.Render(fit("Layers (L: back to the tree)", w))}
	out = append(out, wrap(strings.Join(pic, " > "), w)...)
	out = append(out, "")
	compact := len(out)+3*len(rows)+1 > h
	for _, r := range rows {
		st := m.styles.layer(r.layer)
		if r.layer < 0 {
			st = m.styles.Dim
		}
		where := "no bytes"
		switch {
		case r.layer < 0 && r.off >= 0 && compact:
			where = "command " + itoa(r.off)
		case r.layer < 0 && r.off >= 0:
			where = "the SMB header's command byte at " + itoa(r.off) + "; its words and bytes follow the header"
		case r.off >= 0:
			where = "bytes " + itoa(r.off) + "-" + itoa(r.off+max(r.len, 1)-1) + " (" + itoa(r.len) + ")"
			if r.src > 0 && r.src < len(d.sources) {
				where += " of " + d.sources[r.src].name
			}
		}
		if compact {
			// One line a layer where there is no room for three.
			s := "■ " + r.short + "  " + strings.TrimPrefix(where, "bytes ") + "  " + r.spec
			if r.from != "" {
				s += "  (from frames " + r.from + ")"
			}
			for i, l := range wrap(s, w-4) {
				if i > 0 {
					l = "    " + l
				}
				out = append(out, st.Render(fit(l, w)))
			}
			continue
		}
		out = append(out, st.Render(fit("■ "+r.name, w)))
		out = append(out, fit("    "+where, w))
		out = append(out, fit("    defined by "+r.spec, w))
		if r.from != "" {
			for _, l := range wrap("    reassembled from frames "+r.from, w) {
				out = append(out, fit(l, w))
			}
		}
	}
	if len(out) > h {
		out = out[:h]
	}
	return out
}
