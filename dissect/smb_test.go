package dissect

// Tests of the SMB1 decoder on real bytes. Expected values are tshark
// 4.0.17's (-T fields and the info column) for the capture and frame named
// above each literal; the literals are the SMB messages of those frames
// (from the 0xFF of the header to the end of the NBSS message or datagram).

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/nbtsniff/nbtsniff/internal/corpus"
)

// smbHex decodes a packet literal: hex bytes separated by spaces and
// newlines; "#" starts a comment that runs to the end of the line.
func smbHex(tb testing.TB, s string) []byte {
	tb.Helper()
	var clean strings.Builder
	for _, line := range strings.Split(s, "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		clean.WriteString(strings.Join(strings.Fields(line), ""))
	}
	b, err := hex.DecodeString(clean.String())
	if err != nil {
		tb.Fatalf("bad packet literal: %v", err)
	}
	return b
}

type smbCase struct {
	name     string
	msg      string
	info     string            // tshark's info column, when SMB is the top protocol
	treePath string            // what the engine's tree tracker would set
	mappedIn int               // idem
	want     map[string]string // tshark -T fields -E occurrence=a, empty fields left out
}

// smbCases are real SMB1 messages with tshark's view of them. The
// smb.flags.* and smb.flags2.* bit fields are left out of want (they are
// checked against tshark on whole captures by TestSMBVersusTshark).
var smbCases = []smbCase{
	{
		name: "negotiate request, 8 dialects",
		// nbss139-session-full-scanner-winxp_wanderview.pcap frame 6: 10.0.1.10 → 10.0.1.12    SMB 240 Negotiate Protocol Request
		msg: `
			ff 53 4d 42 72 00 00 00 00 00 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01 00 00 00 00 00
			00 87 00 02 50 43 20 4e 45 54 57 4f 52 4b 20 50 52 4f 47 52 41 4d 20 31 2e 30 00 02 58 45 4e 49
			58 20 43 4f 52 45 00 02 4d 49 43 52 4f 53 4f 46 54 20 4e 45 54 57 4f 52 4b 53 20 31 2e 30 33 00
			02 4c 41 4e 4d 41 4e 31 2e 30 00 02 57 69 6e 64 6f 77 73 20 66 6f 72 20 57 6f 72 6b 67 72 6f 75
			70 73 20 33 2e 31 61 00 02 4c 4d 31 2e 32 58 30 30 32 00 02 4c 41 4e 4d 41 4e 32 2e 31 00 02 4e
			54 20 4c 4d 20 30 2e 31 32 00
		`,
		info: "Negotiate Protocol Request",
		want: map[string]string{
			"smb.cmd":          "0x72",
			"smb.wct":          "0",
			"smb.bcc":          "135",
			"smb.error_class":  "0x00",
			"smb.error_code":   "0x0000",
			"smb.pid":          "1",
			"smb.pid.high":     "0",
			"smb.tid":          "0",
			"smb.uid":          "0",
			"smb.mid":          "0",
			"smb.flags":        "0x00",
			"smb.flags2":       "0x0001",
			"smb.dialect":      "PC NETWORK PROGRAM 1.0,XENIX CORE,MICROSOFT NETWORKS 1.03,LANMAN1.0,Windows for Workgroups 3.1a,LM1.2X002,LANMAN2.1,NT LM 0.12",
			"smb.dialect.name": "PC NETWORK PROGRAM 1.0,XENIX CORE,MICROSOFT NETWORKS 1.03,LANMAN1.0,Windows for Workgroups 3.1a,LM1.2X002,LANMAN2.1,NT LM 0.12",
		},
	},
	{
		name: "negotiate response WCT 17, challenge, domain and server",
		// nbss139-session-full-scanner-winxp_wanderview.pcap frame 7: 10.0.1.12 → 10.0.1.10    SMB 177 Negotiate Protocol Response
		msg: `
			ff 53 4d 42 72 00 00 00 00 80 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01 00 00 00 00 00
			11 07 00 03 0a 00 01 00 04 11 00 00 00 00 01 00 00 00 00 00 fd e3 00 00 0e 88 a2 a9 51 02 ce 01
			2c 01 08 26 00 33 f7 29 ee cc 17 63 05 4d 00 53 00 48 00 4f 00 4d 00 45 00 00 00 56 00 4d 00 57
			00 49 00 4e 00 58 00 50 00 00 00
		`,
		info: "Negotiate Protocol Response",
		want: map[string]string{
			"smb.cmd":            "0x72",
			"smb.wct":            "17",
			"smb.bcc":            "38",
			"smb.error_class":    "0x00",
			"smb.error_code":     "0x0000",
			"smb.pid":            "1",
			"smb.pid.high":       "0",
			"smb.tid":            "0",
			"smb.uid":            "0",
			"smb.mid":            "0",
			"smb.flags":          "0x80",
			"smb.flags2":         "0x0001",
			"smb.dialect.index":  "7",
			"smb.primary_domain": "MSHOME",
		},
	},
	{
		name: "negotiate response WCT 17, extended security",
		// nbss139-smb1-rap-netserverenum2-win10-browser-nbns_wswiki-smb-on-windows-10.pcapng frame 239: 192.168.199.1 → 192.168.199.133 SMB 463 Negotiate Protocol Response
		msg: `
			ff 53 4d 42 72 00 00 00 00 98 43 c8 00 00 00 00 00 00 00 00 00 00 00 00 00 00 ff fe 00 00 00 00
			11 05 00 03 0a 00 01 00 04 11 00 00 00 00 01 00 00 00 00 00 fc e3 01 80 1d 63 36 9b 84 27 d2 01
			88 ff 00 50 01 2c d0 3d 3f b2 00 e1 4f bd d4 c8 b7 0c 27 56 66 60 82 01 3c 06 06 2b 06 01 05 05
			02 a0 82 01 30 30 82 01 2c a0 1a 30 18 06 0a 2b 06 01 04 01 82 37 02 02 1e 06 0a 2b 06 01 04 01
			82 37 02 02 0a a2 82 01 0c 04 82 01 08 4e 45 47 4f 45 58 54 53 01 00 00 00 00 00 00 00 60 00 00
			00 70 00 00 00 31 3c 2a 3a c7 2b 3c a9 6d ac 38 74 a7 dd 1d 5b f4 52 6b 17 03 8a 4b 91 c2 09 7d
			9a 8f e6 2c 96 5c 51 24 2f 90 4d 47 c7 ad 8f 87 6b 22 02 bf c6 00 00 00 00 00 00 00 00 60 00 00
			00 01 00 00 00 00 00 00 00 00 00 00 00 5c 33 53 0d ea f9 0d 4d b2 ec 4a e3 78 6e c3 08 4e 45 47
			4f 45 58 54 53 03 00 00 00 01 00 00 00 40 00 00 00 98 00 00 00 31 3c 2a 3a c7 2b 3c a9 6d ac 38
			74 a7 dd 1d 5b 5c 33 53 0d ea f9 0d 4d b2 ec 4a e3 78 6e c3 08 40 00 00 00 58 00 00 00 30 56 a0
			54 30 52 30 27 80 25 30 23 31 21 30 1f 06 03 55 04 03 13 18 54 6f 6b 65 6e 20 53 69 67 6e 69 6e
			67 20 50 75 62 6c 69 63 20 4b 65 79 30 27 80 25 30 23 31 21 30 1f 06 03 55 04 03 13 18 54 6f 6b
			65 6e 20 53 69 67 6e 69 6e 67 20 50 75 62 6c 69 63 20 4b 65 79
		`,
		info: "Negotiate Protocol Response",
		want: map[string]string{
			"smb.cmd":           "0x72",
			"smb.wct":           "17",
			"smb.bcc":           "336",
			"smb.nt_status":     "0x00000000",
			"smb.pid":           "65279",
			"smb.pid.high":      "0",
			"smb.tid":           "0",
			"smb.uid":           "0",
			"smb.mid":           "0",
			"smb.flags":         "0x98",
			"smb.flags2":        "0xc843",
			"smb.dialect.index": "5",
		},
	},
	{
		name: "negotiate response WCT 13 (LANMAN2.1) with extra byte parameters",
		// netbios-legacy-wfw311-netbeui-ipx-browser-rap-netshareenum_wswiki-smb-legacy-implementation.pcapng frame 122: 00000000.000c298e87a6 → 00000000.000c29310d01 SMB 113 Negotiate Protocol Response
		msg: `
			ff 53 4d 42 72 00 00 00 00 80 00 00 00 00 00 00 00 00 01 01 01 00 00 00 00 00 6f 55 00 00 01 09
			0d 04 00 02 00 96 05 01 00 01 00 00 00 01 10 00 80 67 55 70 48 00 00 00 00 00 00 08 00 01 10 00
			80 c5 38 e9 56
		`,
		info: "Negotiate Protocol Response",
		want: map[string]string{
			"smb.cmd":            "0x72",
			"smb.wct":            "13",
			"smb.bcc":            "8",
			"smb.error_class":    "0x00",
			"smb.error_code":     "0x0000",
			"smb.pid":            "21871",
			"smb.pid.high":       "0",
			"smb.tid":            "0",
			"smb.uid":            "0",
			"smb.mid":            "2305",
			"smb.flags":          "0x80",
			"smb.flags2":         "0x0000",
			"smb.dialect.index":  "4",
			"smb.primary_domain": `\001\020`,
		},
	},
	{
		name: "session setup WCT 13, anonymous",
		// nbss139-session-full-scanner-winxp_wanderview.pcap frame 8: 10.0.1.10 → 10.0.1.12    SMB 217 Session Setup AndX Request, User: anonymous
		msg: `
			ff 53 4d 42 73 00 00 00 00 00 01 80 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01 00 00 00 00 00
			0d ff 00 00 00 04 11 0a 00 01 00 00 00 00 00 18 00 00 00 00 00 00 00 d4 00 00 00 4b 00 a0 7a 91
			e0 26 7b 7a a2 33 c9 d8 56 45 dc 07 8b 32 82 83 7e 39 91 2f b5 00 00 00 00 00 46 00 58 00 4e 00
			49 00 43 00 4f 00 53 00 20 00 30 00 2e 00 31 00 00 00 46 00 58 00 4e 00 49 00 43 00 20 00 30 00
			2e 00 30 00 31 00 00 00 04 ff 00 50 00 00 00 00 00 69 6e
		`,
		info: "Session Setup AndX Request, User: anonymous",
		want: map[string]string{
			"smb.cmd":           "0x73,0xff",
			"smb.wct":           "13",
			"smb.bcc":           "75",
			"smb.error_class":   "0x00",
			"smb.error_code":    "0x0000",
			"smb.pid":           "1",
			"smb.pid.high":      "0",
			"smb.tid":           "0",
			"smb.uid":           "0",
			"smb.mid":           "0",
			"smb.flags":         "0x00",
			"smb.flags2":        "0x8001",
			"smb.native_os":     "FXNICOS 0.1",
			"smb.native_lanman": "FXNIC 0.01",
		},
	},
	{
		name: "session setup response WCT 3, guest",
		// nbss139-session-full-scanner-winxp_wanderview.pcap frame 9: 10.0.1.12 → 10.0.1.10    SMB 199 Session Setup AndX Response
		msg: `
			ff 53 4d 42 73 00 00 00 00 80 01 80 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01 00 00 08 00 00
			03 ff 00 81 00 01 00 58 00 00 57 00 69 00 6e 00 64 00 6f 00 77 00 73 00 20 00 35 00 2e 00 31 00
			00 00 57 00 69 00 6e 00 64 00 6f 00 77 00 73 00 20 00 32 00 30 00 30 00 30 00 20 00 4c 00 41 00
			4e 00 20 00 4d 00 61 00 6e 00 61 00 67 00 65 00 72 00 00 00 4d 00 53 00 48 00 4f 00 4d 00 45 00
			00
		`,
		info: "Session Setup AndX Response",
		want: map[string]string{
			"smb.cmd":                "0x73,0xff",
			"smb.wct":                "3",
			"smb.bcc":                "88",
			"smb.error_class":        "0x00",
			"smb.error_code":         "0x0000",
			"smb.pid":                "1",
			"smb.pid.high":           "0",
			"smb.tid":                "0",
			"smb.uid":                "2048",
			"smb.mid":                "0",
			"smb.flags":              "0x80",
			"smb.flags2":             "0x8001",
			"smb.primary_domain":     "MSHOME",
			"smb.native_os":          "Windows 5.1",
			"smb.native_lanman":      "Windows 2000 LAN Manager",
			"smb.setup.action":       "0x0001",
			"smb.setup.action.guest": "1",
		},
	},
	{
		name: "session setup WCT 12, NTLMSSP_NEGOTIATE",
		// nbss139-smb1-rap-netserverenum2-win10-browser-nbns_wswiki-smb-on-windows-10.pcapng frame 240: 192.168.199.133 → 192.168.199.1 SMB 196 Session Setup AndX Request, NTLMSSP_NEGOTIATE
		msg: `
			ff 53 4d 42 73 00 00 00 00 18 07 c8 00 00 00 00 00 00 00 00 00 00 00 00 ff ff ff fe 00 00 10 00
			0c ff 00 00 00 04 11 0a 00 00 00 00 00 00 00 4a 00 00 00 00 00 d4 00 00 a0 4f 00 60 48 06 06 2b
			06 01 05 05 02 a0 3e 30 3c a0 0e 30 0c 06 0a 2b 06 01 04 01 82 37 02 02 0a a2 2a 04 28 4e 54 4c
			4d 53 53 50 00 01 00 00 00 97 82 08 e2 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 0a 00 5a
			29 00 00 00 0f 00 00 00 00 00
		`,
		info: "Session Setup AndX Request, NTLMSSP_NEGOTIATE",
		want: map[string]string{
			"smb.cmd":       "0x73,0xff",
			"smb.wct":       "12",
			"smb.bcc":       "79",
			"smb.nt_status": "0x00000000",
			"smb.pid":       "65279",
			"smb.pid.high":  "0",
			"smb.tid":       "65535",
			"smb.uid":       "0",
			"smb.mid":       "16",
			"smb.flags":     "0x18",
			"smb.flags2":    "0xc807",
		},
	},
	{
		name: "session setup response WCT 4, NTLMSSP_CHALLENGE, STATUS_MORE_PROCESSING_REQUIRED",
		// nbss139-smb1-rap-netserverenum2-win10-browser-nbns_wswiki-smb-on-windows-10.pcapng frame 241: 192.168.199.1 → 192.168.199.133 SMB 314 Session Setup AndX Response, NTLMSSP_CHALLENGE, Error: STATUS_MORE_PROCESSING_REQUIRED
		msg: `
			ff 53 4d 42 73 16 00 00 c0 98 07 c8 00 00 00 00 00 00 00 00 00 00 00 00 ff ff ff fe 00 08 10 00
			04 ff 00 00 01 00 00 93 00 d5 00 a1 81 90 30 81 8d a0 03 0a 01 01 a1 0c 06 0a 2b 06 01 04 01 82
			37 02 02 0a a2 78 04 76 4e 54 4c 4d 53 53 50 00 02 00 00 00 06 00 06 00 38 00 00 00 15 82 8a e2
			88 bc 9b 58 34 be 37 0d 00 00 00 00 00 00 00 00 38 00 38 00 3e 00 00 00 06 03 80 25 00 00 00 0f
			53 00 43 00 56 00 02 00 06 00 53 00 43 00 56 00 01 00 06 00 53 00 43 00 56 00 04 00 06 00 53 00
			43 00 56 00 03 00 06 00 53 00 43 00 56 00 07 00 08 00 d5 9d 36 9b 84 27 d2 01 00 00 00 00 57 00
			69 00 6e 00 64 00 6f 00 77 00 73 00 20 00 38 00 2e 00 31 00 20 00 39 00 36 00 30 00 30 00 00 00
			57 00 69 00 6e 00 64 00 6f 00 77 00 73 00 20 00 38 00 2e 00 31 00 20 00 36 00 2e 00 33 00 00 00
		`,
		info: "Session Setup AndX Response, NTLMSSP_CHALLENGE, Error: STATUS_MORE_PROCESSING_REQUIRED",
		want: map[string]string{
			"smb.cmd":                "0x73,0xff",
			"smb.wct":                "4",
			"smb.bcc":                "213",
			"smb.nt_status":          "0xc0000016",
			"smb.pid":                "65279",
			"smb.pid.high":           "0",
			"smb.tid":                "65535",
			"smb.uid":                "2048",
			"smb.mid":                "16",
			"smb.flags":              "0x98",
			"smb.flags2":             "0xc807",
			"smb.native_os":          "Windows 8.1 9600",
			"smb.native_lanman":      "Windows 8.1 6.3",
			"smb.setup.action":       "0x0000",
			"smb.setup.action.guest": "0",
		},
	},
	{
		name: "session setup WCT 12, NTLMSSP_AUTH, empty user",
		// nbss139-smb1-rap-netserverenum2-win10-browser-nbns_wswiki-smb-on-windows-10.pcapng frame 242: 192.168.199.133 → 192.168.199.1 SMB 294 Session Setup AndX Request, NTLMSSP_AUTH, User: \
		msg: `
			ff 53 4d 42 73 00 00 00 00 18 07 c8 00 00 00 00 00 00 00 00 00 00 00 00 ff ff ff fe 00 08 20 00
			0c ff 00 00 00 04 11 0a 00 00 00 00 00 00 00 ac 00 00 00 00 00 d4 00 00 a0 b1 00 a1 81 a9 30 81
			a6 a0 03 0a 01 01 a2 81 8a 04 81 87 4e 54 4c 4d 53 53 50 00 03 00 00 00 01 00 01 00 76 00 00 00
			00 00 00 00 77 00 00 00 00 00 00 00 58 00 00 00 00 00 00 00 58 00 00 00 1e 00 1e 00 58 00 00 00
			10 00 10 00 77 00 00 00 15 8a 88 e2 0a 00 5a 29 00 00 00 0f 4e 2c 41 e3 36 a1 4d 9d 71 c5 12 92
			a4 c8 c9 f2 44 00 45 00 53 00 4b 00 54 00 4f 00 50 00 2d 00 56 00 31 00 46 00 41 00 30 00 55 00
			51 00 00 2f 09 13 2b 81 a6 15 14 b9 11 8b e0 00 88 d7 1f a3 12 04 10 01 00 00 00 b5 ef 9d a6 9d
			6d 12 68 00 00 00 00 00 00 00 00 00
		`,
		info: `Session Setup AndX Request, NTLMSSP_AUTH, User: \`,
		want: map[string]string{
			"smb.cmd":       "0x73,0xff",
			"smb.wct":       "12",
			"smb.bcc":       "177",
			"smb.nt_status": "0x00000000",
			"smb.pid":       "65279",
			"smb.pid.high":  "0",
			"smb.tid":       "65535",
			"smb.uid":       "2048",
			"smb.mid":       "32",
			"smb.flags":     "0x18",
			"smb.flags2":    "0xc807",
		},
	},
	{
		name: "session setup WCT 10 chained with tree connect",
		// netbios-legacy-wfw311-netbeui-ipx-browser-rap-netshareenum_wswiki-smb-legacy-implementation.pcapng frame 126: 00000000.000c29310d01 → 00000000.000c298e87a6 SMB 167 Session Setup AndX Request; Tree Connect AndX, Path: \\WFW_HOST_2\IPC$
		msg: `
			ff 53 4d 42 73 00 00 00 00 10 00 00 00 00 00 00 00 00 01 01 02 00 00 00 00 00 6f 55 01 00 01 09
			0a 75 00 42 00 96 05 01 00 00 00 01 10 00 80 01 00 00 00 00 00 0b 00 00 42 49 54 44 49 47 47 45
			52 00 04 ff 00 00 00 00 00 18 00 2e 00 d5 cc d7 25 08 7f 89 d7 9c 4b 99 8a d4 12 75 c0 82 08 68
			19 e6 f1 11 0f 5c 5c 57 46 57 5f 48 4f 53 54 5f 32 5c 49 50 43 24 00 49 50 43 00
		`,
		info: `Session Setup AndX Request; Tree Connect AndX, Path: \\WFW_HOST_2\IPC$`,
		want: map[string]string{
			"smb.cmd":         "0x73,0x75,0xff",
			"smb.wct":         "10,4",
			"smb.bcc":         "11,46",
			"smb.error_class": "0x00",
			"smb.error_code":  "0x0000",
			"smb.pid":         "21871",
			"smb.pid.high":    "0",
			"smb.tid":         "0",
			"smb.uid":         "1",
			"smb.mid":         "2305",
			"smb.flags":       "0x10",
			"smb.flags2":      "0x0000",
			"smb.path":        `\\WFW_HOST_2\IPC$`,
			"smb.service":     "IPC",
			"smb.account":     "BITDIGGER",
		},
	},
	{
		name: "session setup response chained with tree connect response WCT 2",
		// netbios-legacy-wfw311-netbeui-ipx-browser-rap-netshareenum_wswiki-smb-legacy-implementation.pcapng frame 127: 00000000.000c298e87a6 → 00000000.000c29310d01 SMB 97 Session Setup AndX Response; Tree Connect AndX
		msg: `
			ff 53 4d 42 73 00 00 00 00 90 00 00 00 00 00 00 00 00 01 01 02 00 00 00 00 c8 6f 55 00 00 01 09
			03 75 00 2a 00 00 00 00 00 00 02 ff 00 00 00 04 00 49 50 43 00
		`,
		info: "Session Setup AndX Response; Tree Connect AndX",
		want: map[string]string{
			"smb.cmd":                "0x73,0x75,0xff",
			"smb.wct":                "3,2",
			"smb.bcc":                "0,4",
			"smb.error_class":        "0x00",
			"smb.error_code":         "0x0000",
			"smb.pid":                "21871",
			"smb.pid.high":           "0",
			"smb.tid":                "51200",
			"smb.uid":                "0",
			"smb.mid":                "2305",
			"smb.flags":              "0x90",
			"smb.flags2":             "0x0000",
			"smb.service":            "IPC",
			"smb.setup.action":       "0x0000",
			"smb.setup.action.guest": "0",
		},
	},
	{
		name: "chained response with a DOS server error",
		// netbios-legacy-wfw311-netbeui-ipx-browser-rap-netshareenum_wswiki-smb-legacy-implementation.pcapng frame 313: 00000000.000c298e87a6 → 00000000.000c29310d01 SMB 89 Session Setup AndX Response; Tree Connect AndX, Error: Unknown SRV error (846)
		msg: `
			ff 53 4d 42 73 02 00 46 08 90 00 00 00 00 00 00 00 00 02 01 02 00 00 00 00 00 6f 55 00 00 01 17
			03 75 00 2a 00 00 00 00 00 00 00 00 00
		`,
		info: "Session Setup AndX Response; Tree Connect AndX, Error: Unknown SRV error (846)",
		want: map[string]string{
			"smb.cmd":                "0x73,0x75",
			"smb.wct":                "3,0",
			"smb.bcc":                "0,0",
			"smb.error_class":        "0x02",
			"smb.error_code":         "0x0846",
			"smb.pid":                "21871",
			"smb.pid.high":           "0",
			"smb.tid":                "0",
			"smb.uid":                "0",
			"smb.mid":                "5889",
			"smb.flags":              "0x90",
			"smb.flags2":             "0x0000",
			"smb.setup.action":       "0x0000",
			"smb.setup.action.guest": "0",
		},
	},
	{
		name: "tree connect request",
		// nbss139-session-full-scanner-winxp_wanderview.pcap frame 10: 10.0.1.10 → 10.0.1.12    SMB 156 Tree Connect AndX Request, Path: \\VMWINXP\SCANNER
		msg: `
			ff 53 4d 42 75 00 00 00 00 00 01 80 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01 00 00 08 00 00
			04 ff 00 00 00 00 00 01 00 2b 00 00 5c 00 5c 00 56 00 4d 00 57 00 49 00 4e 00 58 00 50 00 5c 00
			53 00 43 00 41 00 4e 00 4e 00 45 00 52 00 00 00 3f 3f 3f 3f 3f 00
		`,
		info: `Tree Connect AndX Request, Path: \\VMWINXP\SCANNER`,
		want: map[string]string{
			"smb.cmd":         "0x75,0xff",
			"smb.wct":         "4",
			"smb.bcc":         "43",
			"smb.error_class": "0x00",
			"smb.error_code":  "0x0000",
			"smb.pid":         "1",
			"smb.pid.high":    "0",
			"smb.tid":         "0",
			"smb.uid":         "2048",
			"smb.mid":         "0",
			"smb.flags":       "0x00",
			"smb.flags2":      "0x8001",
			"smb.path":        `\\VMWINXP\SCANNER`,
			"smb.service":     "?????",
		},
	},
	{
		name: "tree connect response WCT 3",
		// nbss139-session-full-scanner-winxp_wanderview.pcap frame 11: 10.0.1.12 → 10.0.1.10    SMB 124 Tree Connect AndX Response
		msg: `
			ff 53 4d 42 75 00 00 00 00 80 01 80 00 00 00 00 00 00 00 00 00 00 00 00 00 08 01 00 00 08 00 00
			03 ff 00 36 00 01 00 0d 00 41 3a 00 4e 00 54 00 46 00 53 00 00 00
		`,
		treePath: `\\VMWINXP\SCANNER`, mappedIn: 11, // tshark's [Path] and [Mapped in] under Tree ID
		info: "Tree Connect AndX Response",
		want: map[string]string{
			"smb.cmd":         "0x75,0xff",
			"smb.wct":         "3",
			"smb.bcc":         "13",
			"smb.error_class": "0x00",
			"smb.error_code":  "0x0000",
			"smb.pid":         "1",
			"smb.pid.high":    "0",
			"smb.tid":         "2048",
			"smb.uid":         "2048",
			"smb.mid":         "0",
			"smb.flags":       "0x80",
			"smb.flags2":      "0x8001",
			"smb.path":        `\\VMWINXP\SCANNER`,
			"smb.service":     "A:",
		},
	},
	{
		name: "tree connect response WCT 7",
		// nbss139-smb1-rap-netserverenum2-win10-browser-nbns_wswiki-smb-on-windows-10.pcapng frame 245: 192.168.199.1 → 192.168.199.133 SMB 114 Tree Connect AndX Response
		msg: `
			ff 53 4d 42 75 00 00 00 00 98 07 c8 00 00 00 00 00 00 00 00 00 00 00 00 00 08 ff fe 00 08 30 00
			07 ff 00 38 00 01 00 ff ff 1f 00 ff ff 1f 00 07 00 49 50 43 00 00 00 00
		`,
		treePath: `\\SCV\IPC$`, mappedIn: 245, // tshark's [Path] and [Mapped in] under Tree ID
		info: "Tree Connect AndX Response",
		want: map[string]string{
			"smb.cmd":       "0x75,0xff",
			"smb.wct":       "7",
			"smb.bcc":       "7",
			"smb.nt_status": "0x00000000",
			"smb.pid":       "65279",
			"smb.pid.high":  "0",
			"smb.tid":       "2048",
			"smb.uid":       "2048",
			"smb.mid":       "48",
			"smb.flags":     "0x98",
			"smb.flags2":    "0xc807",
			"smb.path":      `\\SCV\IPC$`,
			"smb.service":   "IPC",
		},
	},
	{
		name: "tree connect error response, WCT 0",
		// nbss139-smb1-maccdc2012-rawip-linktype_nemesys-cut.pcap frame 36: 192.168.202.78 → 192.168.25.254 SMB 91 [TCP ACKed unseen segment] Tree Connect AndX Response, Error: STATUS_BAD_NETWORK_NAME
		msg: `
			ff 53 4d 42 75 cc 00 00 c0 88 03 c8 00 00 00 00 00 00 00 00 00 00 00 00 ff ff 01 00 64 00 03 00
			00 00 00
		`,
		info: "Tree Connect AndX Response, Error: STATUS_BAD_NETWORK_NAME",
		want: map[string]string{
			"smb.cmd":       "0x75",
			"smb.wct":       "0",
			"smb.bcc":       "0",
			"smb.nt_status": "0xc00000cc",
			"smb.pid":       "1",
			"smb.pid.high":  "0",
			"smb.tid":       "65535",
			"smb.uid":       "100",
			"smb.mid":       "3",
			"smb.flags":     "0x88",
			"smb.flags2":    "0xc803",
		},
	},
	{
		name: "logoff response, DOS error Bad userid",
		// nbss139-smb1-smia2011-deduped-msgs_nemesys-cut.pcap frame 2141: 172.17.2.5 → 172.17.2.11  SMB 97 Logoff AndX Response, Error: Bad userid
		msg: `
			ff 53 4d 42 74 02 00 5b 00 98 07 88 00 00 00 00 00 00 00 00 00 00 00 00 00 00 ff fe 00 f0 41 05
			00 00 00
		`,
		info: "Logoff AndX Response, Error: Bad userid",
		want: map[string]string{
			"smb.cmd":         "0x74",
			"smb.wct":         "0",
			"smb.bcc":         "0",
			"smb.error_class": "0x02",
			"smb.error_code":  "0x005b",
			"smb.pid":         "65279",
			"smb.pid.high":    "0",
			"smb.tid":         "0",
			"smb.uid":         "61440",
			"smb.mid":         "1345",
			"smb.flags":       "0x98",
			"smb.flags2":      "0x8807",
		},
	},
	{
		name: "tree disconnect request",
		// nbss139-smb1-rap-netserverenum2-win10-browser-nbns_wswiki-smb-on-windows-10.pcapng frame 257: 192.168.199.133 → 192.168.199.1 SMB 93 Tree Disconnect Request
		msg: `
			ff 53 4d 42 71 00 00 00 00 18 07 c8 00 00 00 00 00 00 00 00 00 00 00 00 00 08 ff fe 00 08 60 00
			00 00 00
		`,
		treePath: `\\SCV\IPC$`, mappedIn: 245, // tshark's [Path] and [Mapped in] under Tree ID
		info: "Tree Disconnect Request",
		want: map[string]string{
			"smb.cmd":       "0x71",
			"smb.wct":       "0",
			"smb.bcc":       "0",
			"smb.nt_status": "0x00000000",
			"smb.pid":       "65279",
			"smb.pid.high":  "0",
			"smb.tid":       "2048",
			"smb.uid":       "2048",
			"smb.mid":       "96",
			"smb.flags":     "0x18",
			"smb.flags2":    "0xc807",
			"smb.path":      `\\SCV\IPC$`,
		},
	},
	{
		name: "logoff request",
		// nbss139-smb1-rap-netserverenum2-win10-browser-nbns_wswiki-smb-on-windows-10.pcapng frame 259: 192.168.199.133 → 192.168.199.1 SMB 97 Logoff AndX Request
		msg: `
			ff 53 4d 42 74 00 00 00 00 18 07 c8 00 00 00 00 00 00 00 00 00 00 00 00 00 00 ff fe 00 08 70 00
			02 ff 00 00 00 00 00
		`,
		info: "Logoff AndX Request",
		want: map[string]string{
			"smb.cmd":       "0x74,0xff",
			"smb.wct":       "2",
			"smb.bcc":       "0",
			"smb.nt_status": "0x00000000",
			"smb.pid":       "65279",
			"smb.pid.high":  "0",
			"smb.tid":       "0",
			"smb.uid":       "2048",
			"smb.mid":       "112",
			"smb.flags":     "0x18",
			"smb.flags2":    "0xc807",
		},
	},
	{
		name: `trans request, Unicode \PIPE\LANMAN, padding`,
		// nbss139-smb1-rap-netserverenum2-win10-browser-nbns_wswiki-smb-on-windows-10.pcapng frame 246: 192.168.199.133 → 192.168.199.1 LANMAN 176 NetServerEnum2 Request, Workstation, Server, SQL Server, Domain Controller, Backup Controller, Time Source,
		msg: `
			ff 53 4d 42 25 00 00 00 00 18 07 c8 00 00 00 00 00 00 00 00 00 00 00 00 00 08 e4 02 00 08 40 00
			0e 1a 00 00 00 08 00 16 11 00 00 00 00 88 13 00 00 00 00 1a 00 5c 00 00 00 00 00 00 00 37 00 00
			5c 00 50 00 49 00 50 00 45 00 5c 00 4c 00 41 00 4e 00 4d 00 41 00 4e 00 00 00 00 00 68 00 57 72
			4c 65 68 44 4f 00 42 31 36 42 42 44 7a 00 01 00 16 11 ff ff ff ff
		`,
		treePath: `\\SCV\IPC$`, mappedIn: 245, // tshark's [Path] and [Mapped in] under Tree ID
		want: map[string]string{
			"smb.cmd":        "0x25",
			"smb.wct":        "14",
			"smb.bcc":        "55",
			"smb.nt_status":  "0x00000000",
			"smb.pid":        "740",
			"smb.pid.high":   "0",
			"smb.tid":        "2048",
			"smb.uid":        "2048",
			"smb.mid":        "64",
			"smb.flags":      "0x18",
			"smb.flags2":     "0xc807",
			"smb.path":       `\\SCV\IPC$`,
			"smb.padding":    "0000",
			"smb.timeout":    "5000",
			"smb.msc":        "0",
			"smb.tpc":        "26",
			"smb.tdc":        "0",
			"smb.mpc":        "8",
			"smb.mdc":        "4374",
			"smb.pc":         "26",
			"smb.po":         "92",
			"smb.dc":         "0",
			"smb.sc":         "0",
			"smb.trans_name": `\PIPE\LANMAN`,
		},
	},
	{
		name: "trans response",
		// nbss139-smb1-rap-netserverenum2-win10-browser-nbns_wswiki-smb-on-windows-10.pcapng frame 247: 192.168.199.1 → 192.168.199.133 LANMAN 176 NetServerEnum2 Response
		msg: `
			ff 53 4d 42 25 00 00 00 00 98 07 c8 00 00 00 00 00 00 00 00 00 00 00 00 00 08 e4 02 00 08 40 00
			0a 08 00 36 00 00 00 08 00 38 00 00 00 36 00 40 00 00 00 00 00 3f 00 00 00 00 00 00 02 00 02 00
			44 45 53 4b 54 4f 50 2d 56 31 46 41 30 55 51 00 0a 00 03 10 01 00 34 00 00 00 53 43 56 00 00 00
			00 00 00 00 00 00 00 00 00 00 06 03 03 10 05 00 35 00 00 00 00 00
		`,
		treePath: `\\SCV\IPC$`, mappedIn: 245, // tshark's [Path] and [Mapped in] under Tree ID
		want: map[string]string{
			"smb.cmd":       "0x25",
			"smb.wct":       "10",
			"smb.bcc":       "63",
			"smb.nt_status": "0x00000000",
			"smb.pid":       "740",
			"smb.pid.high":  "0",
			"smb.tid":       "2048",
			"smb.uid":       "2048",
			"smb.mid":       "64",
			"smb.flags":     "0x98",
			"smb.flags2":    "0xc807",
			"smb.path":      `\\SCV\IPC$`,
			"smb.padding":   "00",
			"smb.tpc":       "8",
			"smb.tdc":       "54",
			"smb.pd":        "0",
			"smb.pc":        "8",
			"smb.po":        "56",
			"smb.dc":        "54",
			"smb.data_disp": "0",
			"smb.sc":        "0",
		},
	},
	{
		name: `trans request over UDP 138, \MAILSLOT\BROWSE`,
		// nbss139-smb1-rap-netserverenum2-win10-browser-nbns_wswiki-smb-on-windows-10.pcapng frame 88: 192.168.199.133 → 192.168.199.255 BROWSER 243 Host Announcement DESKTOP-V1FA0UQ, Workstation, Server, NT Workstation
		msg: `
			ff 53 4d 42 25 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
			11 00 00 21 00 00 00 00 00 00 00 00 00 e8 03 00 00 00 00 00 00 00 00 21 00 56 00 03 00 01 00 00
			00 02 00 32 00 5c 4d 41 49 4c 53 4c 4f 54 5c 42 52 4f 57 53 45 00 01 00 60 ea 00 00 44 45 53 4b
			54 4f 50 2d 56 31 46 41 30 55 51 00 0a 00 03 10 00 00 0f 01 55 aa 00
		`,
		want: map[string]string{
			"smb.cmd":         "0x25",
			"smb.wct":         "17",
			"smb.bcc":         "50",
			"smb.error_class": "0x00",
			"smb.error_code":  "0x0000",
			"smb.pid":         "0",
			"smb.pid.high":    "0",
			"smb.tid":         "0",
			"smb.uid":         "0",
			"smb.mid":         "0",
			"smb.flags":       "0x00",
			"smb.flags2":      "0x0000",
			"smb.timeout":     "1000",
			"smb.msc":         "0",
			"smb.tpc":         "0",
			"smb.tdc":         "33",
			"smb.mpc":         "0",
			"smb.mdc":         "0",
			"smb.pc":          "0",
			"smb.po":          "0",
			"smb.dc":          "33",
			"smb.sc":          "3",
			"smb.trans_name":  `\MAILSLOT\BROWSE`,
		},
	},
	{
		name: "trans request, OEM name, no padding",
		// netbios-legacy-wfw311-netbeui-ipx-browser-rap-netshareenum_wswiki-smb-legacy-implementation.pcapng frame 128: 00000000.000c29310d01 → 00000000.000c298e87a6 LANMAN 139 NetShareEnum Request
		msg: `
			ff 53 4d 42 25 00 00 00 00 00 00 00 00 00 00 00 00 00 01 01 03 00 00 00 00 c8 6f 55 00 00 01 0a
			0e 13 00 00 00 08 00 00 20 00 00 00 00 88 13 00 00 00 00 13 00 4c 00 00 00 00 00 00 00 20 00 5c
			50 49 50 45 5c 4c 41 4e 4d 41 4e 00 00 00 57 72 4c 65 68 00 42 31 33 42 57 7a 00 01 00 00 20
		`,
		want: map[string]string{
			"smb.cmd":         "0x25",
			"smb.wct":         "14",
			"smb.bcc":         "32",
			"smb.error_class": "0x00",
			"smb.error_code":  "0x0000",
			"smb.pid":         "21871",
			"smb.pid.high":    "0",
			"smb.tid":         "51200",
			"smb.uid":         "0",
			"smb.mid":         "2561",
			"smb.flags":       "0x00",
			"smb.flags2":      "0x0000",
			"smb.timeout":     "5000",
			"smb.msc":         "0",
			"smb.tpc":         "19",
			"smb.tdc":         "0",
			"smb.mpc":         "8",
			"smb.mdc":         "8192",
			"smb.pc":          "19",
			"smb.po":          "76",
			"smb.dc":          "0",
			"smb.sc":          "0",
			"smb.trans_name":  `\PIPE\LANMAN`,
		},
	},
	{
		name: "trans response, first of 5",
		// enum.pcapng frame 930: 198.18.1.11 → 198.18.1.99  LANMAN 778 NetServerEnum2 Response[BoundErrorUnreassembled Packet]
		msg: `
			ff 53 4d 42 25 00 00 00 00 88 03 00 00 00 00 00 00 00 00 00 00 00 00 00 cf 91 ba 8b 52 44 04 00
			0a 08 00 f2 0b 00 00 08 00 38 00 00 00 84 02 40 00 00 00 00 00 8d 02 00 00 00 00 00 2d 00 2d 00
			41 4c 49 41 53 30 31 00 00 00 00 00 00 00 00 00 00 00 03 9a 00 00 92 04 00 00 41 4c 49 41 53 30
			32 00 00 00 00 00 00 00 00 00 00 00 03 9a 00 00 bb 04 00 00 41 4c 49 41 53 30 33 00 00 00 00 00
			00 00 00 00 00 00 03 9a 00 00 e4 04 00 00 41 4c 49 41 53 30 34 00 00 00 00 00 00 00 00 00 00 00
			03 9a 00 00 0d 05 00 00 41 4c 49 41 53 30 35 00 00 00 00 00 00 00 00 00 00 00 03 9a 00 00 36 05
			00 00 41 4c 49 41 53 30 36 00 00 00 00 00 00 00 00 00 00 00 03 9a 00 00 5f 05 00 00 41 4c 49 41
			53 30 37 00 00 00 00 00 00 00 00 00 00 00 03 9a 00 00 88 05 00 00 41 4c 49 41 53 30 38 00 00 00
			00 00 00 00 00 00 00 00 03 9a 00 00 b1 05 00 00 41 4c 49 41 53 30 39 00 00 00 00 00 00 00 00 00
			00 00 03 9a 00 00 da 05 00 00 41 4c 49 41 53 31 30 00 00 00 00 00 00 00 00 00 00 00 03 9a 00 00
			03 06 00 00 41 4c 49 41 53 31 31 00 00 00 00 00 00 00 00 00 00 00 03 9a 00 00 2c 06 00 00 41 4c
			49 41 53 31 32 00 00 00 00 00 00 00 00 00 00 00 03 9a 00 00 55 06 00 00 41 4c 49 41 53 31 33 00
			00 00 00 00 00 00 00 00 00 00 03 9a 00 00 7e 06 00 00 41 4c 49 41 53 31 34 00 00 00 00 00 00 00
			00 00 00 00 03 9a 00 00 a7 06 00 00 41 4c 49 41 53 31 35 00 00 00 00 00 00 00 00 00 00 00 03 9a
			00 00 d0 06 00 00 41 4c 49 41 53 31 36 00 00 00 00 00 00 00 00 00 00 00 03 9a 00 00 f9 06 00 00
			41 4c 49 41 53 31 37 00 00 00 00 00 00 00 00 00 00 00 03 9a 00 00 22 07 00 00 41 4c 49 41 53 31
			38 00 00 00 00 00 00 00 00 00 00 00 03 9a 00 00 4b 07 00 00 41 4c 49 41 53 31 39 00 00 00 00 00
			00 00 00 00 00 00 03 9a 00 00 74 07 00 00 41 4c 49 41 53 32 30 00 00 00 00 00 00 00 00 00 00 00
			03 9a 00 00 9d 07 00 00 41 4c 49 41 53 32 31 00 00 00 00 00 00 00 00 00 00 00 03 9a 00 00 c6 07
			00 00 41 4c 49 41 53 32 32 00 00 00 00 00 00 00 00 00 00 00 03 9a 00 00 ef 07 00 00 41 4c 49 41
			53 32 33 00 00 00 00 00 00 00 00 00 00 00 03 9a 00 00 18 08 00 00 41 4c 49 41 53 32 34 00 00 00
			00 00 00 00 00 00 00 00 03 9a 00 00 41 08 00 00 41 4c 49 41 53 32 35 00 00 00 00 00 00 00 00 00
			00 00 03 9a
		`,
		treePath: `\\SRV\IPC$`, mappedIn: 928, // tshark's [Path] and [Mapped in] under Tree ID
		want: map[string]string{
			"smb.cmd":         "0x25",
			"smb.wct":         "10",
			"smb.bcc":         "653",
			"smb.error_class": "0x00",
			"smb.error_code":  "0x0000",
			"smb.pid":         "35770",
			"smb.pid.high":    "0",
			"smb.tid":         "37327",
			"smb.uid":         "17490",
			"smb.mid":         "4",
			"smb.flags":       "0x88",
			"smb.flags2":      "0x0003",
			"smb.path":        `\\SRV\IPC$`,
			"smb.padding":     "00",
			"smb.tpc":         "8",
			"smb.tdc":         "3058",
			"smb.pd":          "0",
			"smb.pc":          "8",
			"smb.po":          "56",
			"smb.dc":          "644",
			"smb.data_disp":   "0",
			"smb.sc":          "0",
		},
	},
	{
		name: "trans response, continuation",
		// enum.pcapng frame 931: 198.18.1.11 → 198.18.1.99  SMB 778 Trans Response[transact continuation]
		msg: `
			ff 53 4d 42 25 00 00 00 00 88 03 00 00 00 00 00 00 00 00 00 00 00 00 00 cf 91 ba 8b 52 44 04 00
			0a 08 00 f2 0b 00 00 00 00 38 00 08 00 8c 02 38 00 84 02 00 00 8d 02 00 00 00 6a 08 00 00 41 4c
			49 41 53 32 36 00 00 00 00 00 00 00 00 00 00 00 03 9a 00 00 93 08 00 00 41 4c 49 41 53 32 37 00
			00 00 00 00 00 00 00 00 00 00 03 9a 00 00 bc 08 00 00 41 4c 49 41 53 32 38 00 00 00 00 00 00 00
			00 00 00 00 03 9a 00 00 e5 08 00 00 41 4c 49 41 53 32 39 00 00 00 00 00 00 00 00 00 00 00 03 9a
			00 00 0e 09 00 00 41 4c 49 41 53 33 30 00 00 00 00 00 00 00 00 00 00 00 03 9a 00 00 37 09 00 00
			41 4c 49 41 53 45 53 00 00 00 00 00 00 00 00 00 00 00 03 9a 01 00 60 09 00 00 46 49 4c 45 53 32
			00 00 00 00 00 00 00 00 00 00 00 00 03 9a 01 00 89 09 00 00 53 52 56 00 00 00 00 00 00 00 00 00
			00 00 00 00 00 00 03 9a 04 00 b1 09 00 00 57 53 30 31 00 00 00 00 00 00 00 00 00 00 00 00 00 00
			03 9a 01 00 e2 09 00 00 57 53 30 32 00 00 00 00 00 00 00 00 00 00 00 00 00 00 03 9a 01 00 0e 0a
			00 00 57 53 30 33 00 00 00 00 00 00 00 00 00 00 00 00 00 00 03 9a 01 00 3a 0a 00 00 57 53 30 34
			00 00 00 00 00 00 00 00 00 00 00 00 00 00 03 9a 01 00 66 0a 00 00 57 53 30 35 00 00 00 00 00 00
			00 00 00 00 00 00 00 00 03 9a 01 00 92 0a 00 00 57 53 30 36 00 00 00 00 00 00 00 00 00 00 00 00
			00 00 03 9a 01 00 be 0a 00 00 57 53 30 37 00 00 00 00 00 00 00 00 00 00 00 00 00 00 03 9a 01 00
			ea 0a 00 00 57 53 30 38 00 00 00 00 00 00 00 00 00 00 00 00 00 00 03 9a 01 00 16 0b 00 00 57 53
			30 39 00 00 00 00 00 00 00 00 00 00 00 00 00 00 03 9a 01 00 42 0b 00 00 57 53 31 30 00 00 00 00
			00 00 00 00 00 00 00 00 00 00 03 9a 01 00 6e 0b 00 00 57 53 31 31 00 00 00 00 00 00 00 00 00 00
			00 00 00 00 03 9a 01 00 9a 0b 00 00 57 53 31 32 00 00 00 00 00 00 00 00 00 00 00 00 00 00 03 9a
			01 00 c6 0b 00 00 6f 6e 65 20 68 6f 73 74 20 61 6e 73 77 65 72 69 6e 67 20 74 6f 20 33 30 20 4e
			65 74 42 49 4f 53 20 61 6c 69 61 73 65 73 00 6f 6e 65 20 68 6f 73 74 20 61 6e 73 77 65 72 69 6e
			67 20 74 6f 20 33 30 20 4e 65 74 42 49 4f 53 20 61 6c 69 61 73 65 73 00 6f 6e 65 20 68 6f 73 74
			20 61 6e 73 77 65 72 69 6e 67 20 74 6f 20 33 30 20 4e 65 74 42 49 4f 53 20 61 6c 69 61 73 65 73
			00 6f 6e 65
		`,
		treePath: `\\SRV\IPC$`, mappedIn: 928, // tshark's [Path] and [Mapped in] under Tree ID
		info: "Trans Response[transact continuation]",
		want: map[string]string{
			"smb.cmd":         "0x25",
			"smb.wct":         "10",
			"smb.bcc":         "653",
			"smb.error_class": "0x00",
			"smb.error_code":  "0x0000",
			"smb.pid":         "35770",
			"smb.pid.high":    "0",
			"smb.tid":         "37327",
			"smb.uid":         "17490",
			"smb.mid":         "4",
			"smb.flags":       "0x88",
			"smb.flags2":      "0x0003",
			"smb.path":        `\\SRV\IPC$`,
			"smb.padding":     "00",
			"smb.tpc":         "8",
			"smb.tdc":         "3058",
			"smb.pd":          "8",
			"smb.pc":          "0",
			"smb.po":          "56",
			"smb.dc":          "652",
			"smb.data_disp":   "644",
			"smb.sc":          "0",
		},
	},
	{
		name: "NT create request on IPC$ (info only)",
		// enum.pcapng frame 827: 198.18.1.99 → 198.18.1.11  SMB 172 NT Create AndX Request, Path: \srvsvc
		msg: `
			ff 53 4d 42 a2 00 00 00 00 18 43 c8 00 00 00 00 00 00 00 00 00 00 00 00 b7 e1 3b 7a d8 bf 04 00
			18 ff 00 00 00 00 10 00 00 00 00 00 00 00 00 00 9f 01 02 00 00 00 00 00 00 00 00 00 00 00 00 00
			03 00 00 00 01 00 00 00 00 00 00 00 02 00 00 00 00 13 00 00 5c 00 73 00 72 00 76 00 73 00 76 00
			63 00 00 00 00 00
		`,
		treePath: `\\SRV\IPC$`, mappedIn: 826, // tshark's [Path] and [Mapped in] under Tree ID
		info: `NT Create AndX Request, Path: \srvsvc`,
		want: map[string]string{
			"smb.cmd":       "0xa2,0xff",
			"smb.wct":       "24",
			"smb.bcc":       "19",
			"smb.nt_status": "0x00000000",
			"smb.pid":       "31291",
			"smb.pid.high":  "0",
			"smb.tid":       "57783",
			"smb.uid":       "49112",
			"smb.mid":       "4",
			"smb.flags":     "0x18",
			"smb.flags2":    "0xc843",
			"smb.path":      `\\SRV\IPC$`,
		},
	},
	{
		name: "NT create error response (info only)",
		// enum.pcapng frame 828: 198.18.1.11 → 198.18.1.99  SMB 105 NT Create AndX Response, FID: 0x0000, Error: STATUS_OBJECT_NAME_NOT_FOUND
		msg: `
			ff 53 4d 42 a2 34 00 00 c0 88 03 c8 00 00 00 00 00 00 00 00 00 00 00 00 b7 e1 3b 7a d8 bf 04 00
			00 00 00
		`,
		treePath: `\\SRV\IPC$`, mappedIn: 826, // tshark's [Path] and [Mapped in] under Tree ID
		info: "NT Create AndX Response, FID: 0x0000, Error: STATUS_OBJECT_NAME_NOT_FOUND",
		want: map[string]string{
			"smb.cmd":       "0xa2",
			"smb.wct":       "0",
			"smb.bcc":       "0",
			"smb.nt_status": "0xc0000034",
			"smb.pid":       "31291",
			"smb.pid.high":  "0",
			"smb.tid":       "57783",
			"smb.uid":       "49112",
			"smb.mid":       "4",
			"smb.flags":     "0x88",
			"smb.flags2":    "0xc803",
			"smb.path":      `\\SRV\IPC$`,
		},
	},
	{
		name: "Trans2 request QUERY_PATH_INFO, no name, padding before the parameters",
		// nbss139-smb1-dcerpc-trans-pipe_zeek-mapi-cut.pcap frame 1: 1 0.000000 192.168.0.173 → 192.168.0.116 SMB 134 Trans2 Request, QUERY_PATH_INFO, Query File Basic Info, Path:
		msg: `
			ff 53 4d 42 32 00 00 00 00 18 07 c8 00 00 00 00 00 00 00 00 00 00 00 00 03 18 cc 01 01 18 00 20
			0f 08 00 00 00 02 00 28 00 00 00 00 00 00 00 00 00 00 00 08 00 44 00 00 00 00 00 01 00 05 00 0b
			00 00 43 00 ec 03 00 00 00 00 00 00
		`,
		want: map[string]string{
			"smb.cmd":       "0x32",
			"smb.wct":       "15",
			"smb.bcc":       "11",
			"smb.nt_status": "0x00000000",
			"smb.pid":       "460",
			"smb.pid.high":  "0",
			"smb.tid":       "6147",
			"smb.uid":       "6145",
			"smb.mid":       "8192",
			"smb.flags":     "0x18",
			"smb.flags2":    "0xc807",
			"smb.padding":   "004300",
			"smb.timeout":   "0",
			"smb.msc":       "0",
			"smb.tpc":       "8",
			"smb.tdc":       "0",
			"smb.mpc":       "2",
			"smb.mdc":       "40",
			"smb.pc":        "8",
			"smb.po":        "68",
			"smb.dc":        "0",
			"smb.sc":        "1",
		},
	},
	{
		name: "Trans2 response QUERY_PATH_INFO, padding before and between the blocks",
		// nbss139-smb1-dcerpc-trans-pipe_zeek-mapi-cut.pcap frame 2: 2 0.000250 192.168.0.116 → 192.168.0.173 SMB 158 Trans2 Response, QUERY_PATH_INFO
		msg: `
			ff 53 4d 42 32 00 00 00 00 98 07 c8 00 00 00 00 00 00 00 00 00 00 00 00 03 18 cc 01 01 18 00 20
			0a 02 00 28 00 00 00 02 00 38 00 00 00 28 00 3c 00 00 00 00 00 2d 00 00 00 00 00 01 e2 df 9a 56
			ef 54 c0 01 fa 01 a0 48 27 3f c3 01 42 c2 45 dc a1 c1 c2 01 42 c2 45 dc a1 c1 c2 01 30 00 00 00
			00 00 00 00
		`,
		want: map[string]string{
			"smb.cmd":       "0x32",
			"smb.wct":       "10",
			"smb.bcc":       "45",
			"smb.nt_status": "0x00000000",
			"smb.pid":       "460",
			"smb.pid.high":  "0",
			"smb.tid":       "6147",
			"smb.uid":       "6145",
			"smb.mid":       "8192",
			"smb.flags":     "0x98",
			"smb.flags2":    "0xc807",
			"smb.padding":   "00,0001",
			"smb.tpc":       "2",
			"smb.tdc":       "40",
			"smb.pd":        "0",
			"smb.pc":        "2",
			"smb.po":        "56",
			"smb.dc":        "40",
			"smb.data_disp": "0",
			"smb.sc":        "0",
		},
	},
	{
		name: "write andx request WCT 14, one pad byte before the data",
		// nbss139-smb1-spoolss-trans-pipe_ppa-printerproblem.pcap frame 41 (tshark's top protocol is DCERPC): 41 0.055692 10.100.17.47 → 10.100.16.15 DCERPC 194 Bind: call_id: 114, Fragment: Single, 1 context items: SPOOLSS V1.0 (32bit NDR)
		msg: `
			ff 53 4d 42 2f 00 00 00 00 18 07 c8 00 00 00 00 00 00 00 00 00 00 00 00 01 40 ff fe 01 60 81 33
			0e ff 00 de de 2e 80 00 00 00 00 ff ff ff ff 08 00 48 00 00 00 48 00 40 00 00 00 00 00 49 00 ee
			05 00 0b 03 10 00 00 00 48 00 00 00 72 00 00 00 b8 10 b8 10 63 10 07 00 01 00 00 00 00 00 01 00
			78 56 34 12 34 12 cd ab ef 00 01 23 45 67 89 ab 01 00 00 00 04 5d 88 8a eb 1c c9 11 9f e8 08 00
			2b 10 48 60 02 00 00 00
		`,
		want: map[string]string{
			"smb.cmd":       "0x2f,0xff",
			"smb.wct":       "14",
			"smb.bcc":       "73",
			"smb.nt_status": "0x00000000",
			"smb.pid":       "65279",
			"smb.pid.high":  "0",
			"smb.tid":       "16385",
			"smb.uid":       "24577",
			"smb.mid":       "13185",
			"smb.flags":     "0x18",
			"smb.flags2":    "0xc807",
			"smb.padding":   "ee",
		},
	},
	{
		name: "read andx response, one pad byte before the data",
		// nbss139-smb1-spoolss-trans-pipe_ppa-printerproblem.pcap frame 44 (tshark's top protocol is DCERPC): 44 0.056203 10.100.16.15 → 10.100.17.47 DCERPC 186 Bind_ack: call_id: 114, Fragment: Single, max_xmit: 4280 max_recv: 4280, 1 results: Acceptance
		msg: `
			ff 53 4d 42 2e 00 00 00 00 98 07 c8 00 00 00 00 00 00 00 00 00 00 00 00 01 40 ff fe 01 60 c1 33
			0c ff 00 00 00 00 00 00 00 00 00 44 00 3c 00 00 00 00 00 00 00 00 00 00 00 45 00 00 05 00 0c 03
			10 00 00 00 44 00 00 00 72 00 00 00 b8 10 b8 10 63 10 07 00 0e 00 5c 70 69 70 65 5c 73 70 6f 6f
			6c 73 73 00 01 00 00 00 00 00 00 00 04 5d 88 8a eb 1c c9 11 9f e8 08 00 2b 10 48 60 02 00 00 00
		`,
		want: map[string]string{
			"smb.cmd":       "0x2e,0xff",
			"smb.wct":       "12",
			"smb.bcc":       "69",
			"smb.nt_status": "0x00000000",
			"smb.pid":       "65279",
			"smb.pid.high":  "0",
			"smb.tid":       "16385",
			"smb.uid":       "24577",
			"smb.mid":       "13249",
			"smb.flags":     "0x98",
			"smb.flags2":    "0xc807",
			"smb.padding":   "00",
		},
	},
	{
		name: "NT trans request NT IOCTL, padding up to ParameterOffset",
		// nbss139-smb1-smia2011-deduped-msgs_nemesys-cut.pcap frame 267: 267 300.276459 172.18.2.21 → 172.18.2.16 SMB 146 NT Trans Request, NT IOCTL FSCTL_SRV_ENUMERATE_SNAPSHOTS, FID: 0x000b
		msg: `
			ff 53 4d 42 a0 00 00 00 00 18 07 c8 00 00 00 00 00 00 00 00 00 00 00 00 02 a0 a8 05 01 d8 81 13
			17 04 00 00 00 00 00 00 00 00 00 00 00 00 00 00 10 00 00 00 00 00 00 00 54 00 00 00 00 00 00 00
			00 00 00 00 04 02 00 64 40 14 00 0b 00 01 00 03 00 00 00 00
		`,
		want: map[string]string{
			"smb.cmd":       "0xa0",
			"smb.wct":       "23",
			"smb.bcc":       "3",
			"smb.nt_status": "0x00000000",
			"smb.pid":       "1448",
			"smb.pid.high":  "0",
			"smb.tid":       "40962",
			"smb.uid":       "55297",
			"smb.mid":       "4993",
			"smb.flags":     "0x18",
			"smb.flags2":    "0xc807",
			"smb.padding":   "000000",
			"smb.msc":       "4",
			"smb.tpc":       "0",
			"smb.tdc":       "0",
			"smb.mpc":       "0",
			"smb.mdc":       "16",
			"smb.pc":        "0",
			"smb.po":        "84",
			"smb.dc":        "0",
			"smb.sc":        "4",
		},
	},
	{
		name: "NT trans response NT IOCTL with data",
		// nbss139-smb1-smia2011-deduped-msgs_nemesys-cut.pcap frame 268: 268 300.276760 172.18.2.16 → 172.18.2.21 SMB 158 NT Trans Response, FID: 0x000b, NT IOCTL
		msg: `
			ff 53 4d 42 a0 00 00 00 00 98 07 c8 00 00 00 00 00 00 00 00 00 00 00 00 02 a0 a8 05 01 d8 81 13
			16 00 00 00 00 00 00 00 10 00 00 00 00 00 00 00 50 00 00 00 00 00 00 00 10 00 00 00 50 00 00 00
			00 00 00 00 04 02 00 64 40 14 00 0b 00 11 00 00 00 00 00 00 00 00 00 00 02 00 00 00 50 00 69 00
		`,
		want: map[string]string{
			"smb.cmd":       "0xa0",
			"smb.wct":       "22",
			"smb.bcc":       "17",
			"smb.nt_status": "0x00000000",
			"smb.pid":       "1448",
			"smb.pid.high":  "0",
			"smb.tid":       "40962",
			"smb.uid":       "55297",
			"smb.mid":       "4993",
			"smb.flags":     "0x98",
			"smb.flags2":    "0xc807",
			"smb.padding":   "00",
			"smb.tpc":       "0",
			"smb.tdc":       "16",
			"smb.pd":        "0",
			"smb.pc":        "0",
			"smb.po":        "80",
			"smb.dc":        "16",
			"smb.data_disp": "0",
			"smb.sc":        "4",
		},
	},
}

func TestSMBDecodeTable(t *testing.T) {
	fields := smbRequiredFields()
	for _, c := range smbCases {
		t.Run(c.name, func(t *testing.T) {
			var s SMB
			if err := s.DecodeFromBytes(smbHex(t, c.msg), gopacket.NilDecodeFeedback); err != nil {
				t.Fatalf("DecodeFromBytes: %v", err)
			}
			if c.treePath != "" {
				s.TreePath, s.TreeMappedIn = []byte(c.treePath), c.mappedIn
			}
			var tr Tree
			s.AppendTree(&tr)
			for _, f := range fields {
				if strings.HasPrefix(f, "smb.flags.") || strings.HasPrefix(f, "smb.flags2.") {
					continue
				}
				id, _ := LookupField(f)
				if got := smbFieldText(&tr, id); got != c.want[f] {
					t.Errorf("%s = %q, tshark %q", f, got, c.want[f])
				}
			}
			if c.info != "" {
				if got := smbEscape(s.AppendInfo(nil)); got != c.info {
					t.Errorf("info = %q, tshark %q", got, c.info)
				}
			}
		})
	}
}

// smbCaseMsg returns the message of the named case.
func smbCaseMsg(tb testing.TB, name string) []byte {
	tb.Helper()
	for _, c := range smbCases {
		if c.name == name {
			return smbHex(tb, c.msg)
		}
	}
	tb.Fatalf("no case %q", name)
	return nil
}

// TestSMBTypedFields checks the typed values the timeline and the other
// decoders read, against what tshark shows for the same frames.
func TestSMBTypedFields(t *testing.T) {
	var s SMB
	decode := func(name string) {
		t.Helper()
		if err := s.DecodeFromBytes(smbCaseMsg(t, name), nil); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}

	decode("negotiate request, 8 dialects")
	var names []string
	for _, d := range s.Commands[0].NegotiateRequest.Dialects {
		names = append(names, string(d.Name))
	}
	// tshark: smb.dialect.name
	if got := strings.Join(names, ","); got != "PC NETWORK PROGRAM 1.0,XENIX CORE,MICROSOFT NETWORKS 1.03,LANMAN1.0,Windows for Workgroups 3.1a,LM1.2X002,LANMAN2.1,NT LM 0.12" {
		t.Errorf("dialects = %q", got)
	}

	decode("negotiate response WCT 17, challenge, domain and server")
	nr := &s.Commands[0].NegotiateResponse
	// tshark -V: Selected Index: 7, Max Buffer Size: 4356, Capabilities
	// 0x0000e3fd, Challenge 33f729eecc176305, Server: VMWINXP, System Time
	// Feb  3, 2013 21:01:40.193076600 UTC, Server Time Zone: 300.
	if nr.DialectIndex != 7 || nr.MaxBufferSize != 4356 || nr.Capabilities != 0xe3fd || nr.ExtendedSecurity() ||
		hex.EncodeToString(nr.Challenge) != "33f729eecc176305" || string(nr.ServerName.Text) != "VMWINXP" ||
		nr.ServerTimeZone != 300 || nr.SystemTimeUnixNano() != 1359925300193076600 {
		t.Errorf("negotiate response = %+v", *nr)
	}

	decode("negotiate response WCT 17, extended security")
	nr = &s.Commands[0].NegotiateResponse
	var tr Tree
	s.AppendTree(&tr)
	// tshark: smb.server_guid 2cd03d3f-b200-e14f-bdd4-c8b70c275666,
	// smb.server_timezone -120
	if id, _ := LookupField("smb.server_guid"); smbFieldText(&tr, id) != "2cd03d3f-b200-e14f-bdd4-c8b70c275666" {
		t.Errorf("server GUID = %q", smbFieldText(&tr, id))
	}
	if !nr.ExtendedSecurity() || nr.ServerTimeZone != -120 || len(nr.SecurityBlob) != 320 {
		t.Errorf("negotiate response = %+v", *nr)
	}

	decode("negotiate response WCT 13 (LANMAN2.1) with extra byte parameters")
	nr = &s.Commands[0].NegotiateResponse
	// tshark: Server Date and Time: Mar 16, 2016 10:43:14 UTC (DOS Time
	// 0x5567, DOS Date 0x4870); Extra byte parameters: 80c538e956
	if got := dosDateTimeUnixNano(nr.ServerDate, nr.ServerTime); got != 1458124994*1e9 {
		t.Errorf("server date and time = %d", got)
	}
	if hex.EncodeToString(s.Commands[0].Extra) != "80c538e956" {
		t.Errorf("extra = %x", s.Commands[0].Extra)
	}

	decode("session setup WCT 13, anonymous")
	ss := &s.Commands[0].SessionSetupRequest
	if !ss.Anonymous() || ss.AccountName.Present == false || string(ss.NativeOS.Text) != "FXNICOS 0.1" || ss.OEMPasswordLength != 24 {
		t.Errorf("session setup = %+v", *ss)
	}

	decode("session setup response WCT 3, guest")
	if r := &s.Commands[0].SessionSetupResponse; !r.Guest() || string(r.NativeLanMan.Text) != "Windows 2000 LAN Manager" {
		t.Errorf("session setup response = %+v", *r)
	}

	decode("session setup WCT 12, NTLMSSP_AUTH, empty user")
	if ss := &s.Commands[0].SessionSetupRequest; ss.NTLMSSP.Type != 3 || !ss.Anonymous() || ss.SecurityBlobLength != 172 {
		t.Errorf("session setup = %+v", *ss)
	}

	decode("session setup WCT 10 chained with tree connect")
	if len(s.Commands) != 2 || s.Commands[1].Command != SMBComTreeConnectAndX ||
		string(s.Commands[0].SessionSetupRequest.AccountName.Text) != "BITDIGGER" ||
		s.Commands[0].SessionSetupRequest.PrimaryDomain.Present ||
		string(s.Commands[1].TreeConnectRequest.Path.Text) != `\\WFW_HOST_2\IPC$` ||
		string(s.Commands[1].TreeConnectRequest.Service.Text) != "IPC" {
		t.Errorf("chain = %+v", s.Commands)
	}

	decode("tree connect response WCT 7")
	// tshark: Maximal Share Access Rights 0x001fffff, Service: IPC
	if r := &s.Commands[0].TreeConnectResponse; r.MaximalShareAccessRights != 0x1fffff || string(r.Service.Text) != "IPC" || r.OptionalSupport != 1 {
		t.Errorf("tree connect response = %+v", *r)
	}

	decode("tree connect error response, WCT 0")
	if !s.IsError() || s.Status != StatusBadNetworkName || s.Commands[0].Form != SMBFormEmpty {
		t.Errorf("error response: status %#x form %d", s.Status, s.Commands[0].Form)
	}

	decode("logoff response, DOS error Bad userid")
	if !s.IsError() || s.ErrorClass != SMBErrClassSRV || SMBErrorString(s.ErrorClass, s.ErrorCode) != "Bad userid" {
		t.Errorf("DOS error %d/%d", s.ErrorClass, s.ErrorCode)
	}
}

// smbSet returns a copy of b with the little-endian uint16 at off set.
func smbSet16(b []byte, off int, v uint16) []byte {
	c := append([]byte(nil), b...)
	binary.LittleEndian.PutUint16(c[off:], v)
	return c
}

func smbSet8(b []byte, off int, v byte) []byte {
	c := append([]byte(nil), b...)
	c[off] = v
	return c
}

func TestSMBMalformed(t *testing.T) {
	trans := smbCaseMsg(t, `trans request, Unicode \PIPE\LANMAN, padding`) // WordCount at 32, words at 33, ByteCount at 61, bytes at 63..118
	ss := smbCaseMsg(t, "session setup WCT 10 chained with tree connect")  // AndXOffset at 35 = 66
	nego := smbCaseMsg(t, "negotiate response WCT 17, extended security")  // ByteCount at 67
	tc := smbCaseMsg(t, "tree connect request")                            // password length at 39
	resp := smbCaseMsg(t, "trans response")                                // data offset at 47
	chain := append(append([]byte(nil), ss[:66]...), ss[66:]...)
	// a chain that AndX-offsets back to its own first block: a loop
	loop := smbSet16(chain, 35, 32)
	// 9 chained LOGOFF_ANDX blocks: more than MaxAndXCommands
	long := append([]byte(nil), ss[:32]...)
	long[4] = byte(SMBComLogoffAndX)
	for i := 0; i < 9; i++ {
		next := 32 + (i+1)*7
		long = append(long, 2, byte(SMBComLogoffAndX), 0, byte(next), byte(next>>8), 0, 0)
	}
	// 65 dialects
	many := append([]byte(nil), smbCaseMsg(t, "negotiate request, 8 dialects")[:33]...)
	var dl []byte
	for i := 0; i < 65; i++ {
		dl = append(dl, 2, 'X', 0)
	}
	many = append(many, byte(len(dl)), byte(len(dl)>>8))
	many = append(many, dl...)

	for _, c := range []struct {
		name  string
		msg   []byte
		is    error
		field string // in the error message
	}{
		{"empty", nil, ErrTruncated, "protocol"},
		{"not SMB", []byte("\xfeSMB@\x00"), ErrMalformed, "protocol"},
		{"header cut", trans[:20], ErrTruncated, "header"},
		{"word count missing", trans[:32], ErrTruncated, "word count"},
		{"words cut", trans[:40], ErrTruncated, "Trans parameter words"},
		{"byte count cut", trans[:62], ErrTruncated, "Trans byte count"},
		{"byte block cut", trans[:100], ErrTruncated, "Trans byte block"},
		{"param offset before the byte block", smbSet16(trans, 53, 40), ErrMalformed, "trans parameter block"},
		{"param block past ByteCount", smbSet16(trans, 51, 60), ErrMalformed, "trans parameter block"},
		{"data block past ByteCount", smbSet16(smbSet16(trans, 55, 4), 57, 116), ErrMalformed, "trans data block"},
		{"response data offset past ByteCount", smbSet16(resp, 47, 200), ErrMalformed, "trans data block"},
		{"setup count disagrees with word count", smbSet8(trans, 59, 2), ErrMalformed, "trans setup count"},
		{"andx loop", loop, ErrMalformed, "andx offset"},
		{"andx offset into the words", smbSet16(chain, 35, 40), ErrMalformed, "andx offset"},
		{"andx offset past the end", smbSet16(chain, 35, 4000), ErrTruncated, "andx command"},
		{"andx chain too long", long, ErrLimit, "andx chain"},
		{"too many dialects", many, ErrLimit, "negotiate dialects"},
		{"negotiate GUID outside the byte block", smbSet16(nego, 67, 10)[:79], ErrMalformed, "negotiate server GUID"},
		{"tree connect password past the byte block", smbSet16(tc, 39, 200), ErrMalformed, "tree connect password"},
		{"session setup password past the byte block", smbSet16(ss, 47, 300), ErrMalformed, "session setup password"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var s SMB
			err := s.DecodeFromBytes(c.msg, gopacket.NilDecodeFeedback)
			if !errors.Is(err, c.is) {
				t.Fatalf("err = %v, want %v", err, c.is)
			}
			if s.Err != err {
				t.Errorf("Err field = %v, returned %v", s.Err, err)
			}
			if !strings.Contains(err.Error(), c.field) {
				t.Errorf("error %q does not name %q", err, c.field)
			}
			var tr Tree
			s.AppendTree(&tr)
			last := tr.Nodes[len(tr.Nodes)-1]
			if last.Flags&NodeError == 0 || !strings.HasPrefix(last.Label, "[Malformed: ") {
				t.Errorf("last node = %+v, want the malformed note", last)
			}
			_ = s.AppendInfo(nil)
		})
	}
}

func TestSMBAllocs(t *testing.T) {
	msg := smbCaseMsg(t, `trans request, Unicode \PIPE\LANMAN, padding`)
	var s SMB
	var tr Tree
	var info []byte
	if n := testing.AllocsPerRun(100, func() {
		if err := s.DecodeFromBytes(msg, gopacket.NilDecodeFeedback); err != nil {
			t.Fatal(err)
		}
	}); n != 0 {
		t.Errorf("DecodeFromBytes allocates %v times per run", n)
	}
	if n := testing.AllocsPerRun(100, func() {
		tr.Reset()
		s.AppendTree(&tr)
		info = s.AppendInfo(info[:0])
	}); n != 0 {
		t.Errorf("AppendTree+AppendInfo allocate %v times per run", n)
	}
	// every real case decodes without allocating once warmed up
	for _, c := range smbCases {
		m := smbHex(t, c.msg)
		if n := testing.AllocsPerRun(10, func() { _ = s.DecodeFromBytes(m, nil) }); n != 0 {
			t.Errorf("%s: %v allocations", c.name, n)
		}
	}
}

func BenchmarkSMBDecodeTrans(b *testing.B) {
	msg := smbCaseMsg(b, `trans request, Unicode \PIPE\LANMAN, padding`)
	var s SMB
	b.ReportAllocs()
	b.SetBytes(int64(len(msg)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = s.DecodeFromBytes(msg, gopacket.NilDecodeFeedback)
	}
}

func BenchmarkSMBDecodeAndTree(b *testing.B) {
	msg := smbCaseMsg(b, "session setup WCT 10 chained with tree connect")
	var s SMB
	var tr Tree
	var info []byte
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = s.DecodeFromBytes(msg, gopacket.NilDecodeFeedback)
		tr.Reset()
		s.AppendTree(&tr)
		info = s.AppendInfo(info[:0])
	}
}

// FuzzSMB feeds mutations of real SMB1 messages (header, AndX chains,
// session set-up and transactions) to the decoder. It must not panic, and
// what it reports must stay inside the message.
func FuzzSMB(f *testing.F) {
	for _, c := range smbCases {
		f.Add(smbHex(f, c.msg))
	}
	f.Add(smbHex(f, smbNTCreateExtended))
	f.Fuzz(func(t *testing.T, msg []byte) {
		var s SMB
		err := s.DecodeFromBytes(msg, gopacket.NilDecodeFeedback)
		if (err == nil) != (s.Err == nil) {
			t.Fatalf("returned %v, Err %v", err, s.Err)
		}
		if len(s.Commands) > MaxAndXCommands {
			t.Fatalf("%d commands", len(s.Commands))
		}
		for i := range s.Commands {
			b := &s.Commands[i]
			if b.Off < smbHeaderLen || b.Off > len(msg) || (b.Off == len(msg) && err == nil) {
				t.Fatalf("block %d at %d of %d (err %v)", i, b.Off, len(msg), err)
			}
			if i > 0 && b.Off <= s.Commands[i-1].Off {
				t.Fatalf("block %d does not move forward", i)
			}
			if n := &b.NTTrans; b.Form == SMBFormNTTrans && b.err == nil {
				for _, blk := range [][]byte{n.Params, n.Data} {
					if len(blk) > 0 && !smbWithin(blk, b.Bytes) {
						t.Fatalf("nt trans block outside the byte block")
					}
				}
			}
			for _, fd := range []*SMBFileData{&b.ReadAndXResponse.SMBFileData, &b.WriteAndXRequest.SMBFileData} {
				for _, blk := range [][]byte{fd.Padding, fd.Data} {
					if len(blk) > 0 && !smbWithin(blk, b.Bytes) {
						t.Fatalf("file data outside the byte block")
					}
				}
			}
			if tr := &b.Trans; (b.Form == SMBFormTrans || b.Form == SMBFormTrans2) && b.err == nil {
				for _, blk := range [][]byte{tr.Params, tr.Data} {
					if len(blk) > 0 && !smbWithin(blk, b.Bytes) {
						t.Fatalf("trans block outside the byte block")
					}
				}
			}
		}
		var tr Tree
		s.AppendTree(&tr)
		_ = s.AppendInfo(nil)
		if err != nil {
			return
		}
		if tr.Depth() != 0 {
			t.Fatalf("tree left open at depth %d", tr.Depth())
		}
	})
}

// smbWithin reports whether inner is a subslice of outer.
func smbWithin(inner, outer []byte) bool {
	if len(outer) == 0 {
		return false
	}
	o0 := &outer[0]
	for i := range outer {
		if &outer[i] == &inner[0] {
			return i+len(inner) <= len(outer)
		}
	}
	_ = o0
	return false
}

// SMB2 on port 139: recognised and labelled, header only.
func TestSMB2Header(t *testing.T) {
	for _, c := range []struct {
		name string
		msg  string
		info string
		want map[string]string
	}{
		{
			name: "negotiate response",
			// nbss139-session-smb1-to-smb2-negotiate_wswiki-SMB-locking-139-flow.pcapng frame 7:
			// 192.168.199.1 → 192.168.199.133 SMB2 506 Negotiate Protocol Response (header only)
			msg: `fe 53 4d 42 40 00 00 00 00 00 00 00 00 00 01 00 01 00 00 00 00 00 00 00
			      00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
			      00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 41 00 01 00 ff 02`,
			info: "Negotiate Protocol Response",
			want: map[string]string{"smb2.protocol_id": "0xfe534d42", "smb2.header_len": "64", "smb2.cmd": "0",
				"smb2.nt_status": "0x00000000", "smb2.msg_id": "0", "smb2.flags.response": "1", "smb2.credits.granted": "1",
				"smb2.pid": "0x00000000", "smb2.tid": "0x00000000", "smb2.sesid": "0x0000000000000000"},
		},
		{
			name: "transform header",
			// crafted (no capture has SMB3 encryption); tshark 4.0.17 on
			// it: SMB2 Encrypted SMB3
			msg: `fd 53 4d 42 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10 11 12 13 14 15 16 17 18 19 1a 1b
			      1c 1d 1e 1f 64 00 00 00 00 00 01 00 88 77 66 55 44 33 22 11 ee ee ee ee`,
			info: "Encrypted SMB3",
			want: map[string]string{"smb2.protocol_id": "0xfd534d42", "smb2.header.transform.msg_size": "100",
				"smb2.header.transform.flags": "0x0001", "smb2.sesid": "0x1122334455667788",
				"smb2.header.transform.nonce": "101112131415161718191a1b1c1d1e1f"},
		},
		{
			name: "async error response",
			// crafted; tshark 4.0.17 on it: SMB2 Create Response, Error: STATUS_ACCESS_DENIED
			msg: `fe 53 4d 42 40 00 01 00 22 00 00 c0 05 00 01 00 03 00 00 00 00 00 00 00 07 00 00 00 00 00 00 00
			      ef cd ab 00 00 00 00 00 99 00 00 00 00 00 00 00 11 11 11 11 11 11 11 11 11 11 11 11 11 11 11 11
			      09 00 00 00 00 00 00 00`,
			info: "Create Response, Error: STATUS_ACCESS_DENIED",
			want: map[string]string{"smb2.aid": "0x0000000000abcdef", "smb2.sesid": "0x0000000000000099",
				"smb2.nt_status": "0xc0000022", "smb2.cmd": "5", "smb2.flags": "0x00000003", "smb2.msg_id": "7",
				"smb2.flags.async": "1", "smb2.pid": "", "smb2.credit.charge": "1"},
		},
	} {
		var s SMB2
		if err := s.DecodeFromBytes(smbHex(t, c.msg), nil); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		var tr Tree
		s.AppendTree(&tr)
		smbWantFields(t, &tr, c.name, c.want)
		if got := string(s.AppendInfo(nil)); got != c.info {
			t.Errorf("%s: info %q, tshark %q", c.name, got, c.info)
		}
	}
	var s SMB2
	if err := s.DecodeFromBytes([]byte("\xfeSMB\x40\x00"), nil); !errors.Is(err, ErrTruncated) {
		t.Errorf("short SMB2 header: %v", err)
	}
	if !IsSMB2([]byte("\xfdSMB")) || IsSMB2([]byte("\xffSMB")) {
		t.Errorf("IsSMB2")
	}
}

// TestSMBVersusTshark decodes every SMB1 message of real captures and
// compares each smb.* field of the embedded tshark list, and the info
// column, with tshark run on the same file. By default a few captures
// are compared (tshark takes a second to start); NBTSNIFF_TSHARK_ALL=1
// compares the whole shared corpus and the lab captures.
func TestSMBVersusTshark(t *testing.T) {
	if testing.Short() {
		t.Skip("runs tshark")
	}
	files := []string{
		smbPcapDir + "nbss139-smb1-rap-netserverenum2-win10-browser-nbns_wswiki-smb-on-windows-10.pcapng",
		smbPcapDir + "nbss139-session-full-scanner-winxp_wanderview.pcap",
		smbLabDir + "enum.pcapng",
	}
	if os.Getenv("NBTSNIFF_TSHARK_ALL") != "" {
		files = nil
		for _, dir := range []string{smbPcapDir, smbPcapDir + "synthetic/", smbLabDir} {
			ents, _ := os.ReadDir(dir)
			for _, e := range ents {
				if n := e.Name(); !e.IsDir() && (strings.HasSuffix(n, ".pcap") || strings.HasSuffix(n, ".pcapng")) {
					files = append(files, dir+n)
				}
			}
		}
	}
	for _, f := range files {
		t.Run(f[strings.LastIndexByte(f, '/')+1:], func(t *testing.T) {
			t.Parallel()
			n := smbCompareCapture(t, f)
			t.Logf("%d frames compared", n)
		})
	}
}

// smbPcapDir is the shared capture corpus, from the package directory.
const smbPcapDir = "../../shared/pcaps/"

// smbLabDir holds the Samba lab captures.
const smbLabDir = "../testdata/pcaps/"

// smbFrameMsg is one SMB message found in a frame.
type smbFrameMsg struct {
	frame  int
	stream string // TCP direction-independent conversation key, "" for UDP
	data   []byte
}

// smbCaptureMessages reads every SMB1/SMB2 message of a capture, in frame
// order, with the frame that completes it (as tshark attributes a PDU
// split over TCP segments to its last segment). Frames whose TCP segment
// is a retransmission or overlaps what was seen are listed in dirty.
func smbCaptureMessages(tb testing.TB, path string) (msgs []smbFrameMsg, dirty map[int]bool) {
	tb.Helper()
	raw, err := os.ReadFile(repoOrCorpus(tb, path))
	if err != nil {
		tb.Fatal(err)
	}
	type src interface {
		ReadPacketData() ([]byte, gopacket.CaptureInfo, error)
	}
	var r src
	var lt layers.LinkType
	if len(raw) >= 4 && binary.LittleEndian.Uint32(raw) == 0x0a0d0d0a {
		ng, err := pcapgo.NewNgReader(bytes.NewReader(raw), pcapgo.DefaultNgReaderOptions)
		if err != nil {
			tb.Fatal(err)
		}
		r, lt = ng, ng.LinkType()
	} else {
		pr, err := pcapgo.NewReader(bytes.NewReader(raw))
		if err != nil {
			tb.Fatal(err)
		}
		r, lt = pr, pr.LinkType()
	}
	type flow struct {
		buf  []byte
		next uint32
		seen bool
	}
	flows := map[string]*flow{}
	gen := map[string]int{} // a SYN starts a new conversation, as tcp.stream does
	dirty = map[int]bool{}
	for n := 1; ; n++ {
		data, _, err := r.ReadPacketData()
		if err != nil {
			break
		}
		pkt := gopacket.NewPacket(data, lt, gopacket.DecodeOptions{Lazy: true, NoCopy: true})
		ip4, _ := pkt.Layer(layers.LayerTypeIPv4).(*layers.IPv4)
		if ip4 == nil {
			continue
		}
		if udp, _ := pkt.Layer(layers.LayerTypeUDP).(*layers.UDP); udp != nil {
			if udp.SrcPort != PortNBDGM && udp.DstPort != PortNBDGM {
				continue
			}
			if m := smbFromDatagram(udp.Payload); m != nil {
				msgs = append(msgs, smbFrameMsg{frame: n, data: m})
			}
			continue
		}
		tcp, _ := pkt.Layer(layers.LayerTypeTCP).(*layers.TCP)
		if tcp == nil {
			continue
		}
		if tcp.SrcPort != PortNBSS && tcp.DstPort != PortNBSS && tcp.SrcPort != PortSMB && tcp.DstPort != PortSMB {
			continue
		}
		a := ip4.SrcIP.String() + ":" + strconv.Itoa(int(tcp.SrcPort))
		b := ip4.DstIP.String() + ":" + strconv.Itoa(int(tcp.DstPort))
		key := a + ">" + b
		stream := a + "|" + b
		if b < a {
			stream = b + "|" + a
		}
		if tcp.SYN && !tcp.ACK {
			gen[stream]++
			delete(flows, key)
			delete(flows, b+">"+a)
		}
		stream += "#" + strconv.Itoa(gen[stream])
		if len(tcp.Payload) == 0 {
			continue
		}
		f := flows[key]
		if f == nil {
			f = &flow{}
			flows[key] = f
		}
		seq := tcp.Seq
		switch {
		case f.seen && seq == f.next:
			f.buf = append(f.buf, tcp.Payload...)
		case f.seen && int32(seq-f.next) < 0:
			dirty[n] = true // retransmission or overlap
			continue
		default:
			if f.seen {
				dirty[n] = true // a gap: resynchronise at this segment
			}
			f.buf = append(f.buf[:0], tcp.Payload...)
		}
		f.seen = true
		f.next = seq + uint32(len(tcp.Payload))
		for len(f.buf) >= 4 {
			l := int(f.buf[1]&1)<<16 | int(binary.BigEndian.Uint16(f.buf[2:]))
			if len(f.buf) < 4+l {
				break
			}
			if f.buf[0] == 0x00 && l > 0 {
				msgs = append(msgs, smbFrameMsg{frame: n, stream: stream, data: append([]byte(nil), f.buf[4:4+l]...)})
			}
			f.buf = f.buf[4+l:]
		}
	}
	return msgs, dirty
}

// smbFromDatagram returns the SMB message in a NetBIOS datagram (direct
// unique, direct group or broadcast: RFC 1002 §4.4.2).
func smbFromDatagram(p []byte) []byte {
	if len(p) < 14 || p[0] < 0x10 || p[0] > 0x12 {
		return nil
	}
	var nm Name
	next, err := DecodeName("nbdgm", p, 14, &nm)
	if err != nil {
		return nil
	}
	next, err = DecodeName("nbdgm", p, next, &nm)
	if err != nil || next >= len(p) {
		return nil
	}
	end := 14 + int(binary.BigEndian.Uint16(p[10:]))
	if end > len(p) {
		end = len(p)
	}
	if next >= end {
		return nil
	}
	return p[next:end]
}

// smbFieldText renders the nodes of one field the way tshark -T fields
// prints it, occurrences joined by ','.
func smbFieldText(tr *Tree, id FieldID) string {
	var out []string
	tr.Each(id, func(n *Node) { out = append(out, smbNodeText(n)) })
	return strings.Join(out, ",")
}

func smbNodeText(n *Node) string {
	fi := Field(n.Field)
	switch {
	case fi.Type == FTBoolean:
		if n.U != 0 {
			return "1"
		}
		return "0"
	case fi.Type.IsSigned():
		return strconv.FormatInt(int64(n.U), 10)
	case fi.Type.IsInteger() && fi.Base == BaseHex:
		width := map[FieldType]int{FTUint8: 2, FTUint16: 4, FTUint24: 6, FTUint32: 8, FTUint64: 16}[fi.Type]
		s := strconv.FormatUint(n.U, 16)
		for len(s) < width {
			s = "0" + s
		}
		return "0x" + s
	case fi.Type.IsInteger():
		return strconv.FormatUint(n.U, 10)
	case fi.Type == FTBytes:
		return hex.EncodeToString(n.S)
	case fi.Abbrev == "smb.trans_name":
		return string(n.S) // tshark prints it unescaped
	case fi.Type.IsString():
		return smbEscape(n.S)
	}
	return ""
}

// smbEscape escapes a string value as tshark 4.0 prints it in -T fields.
func smbEscape(b []byte) string {
	var sb strings.Builder
	for _, c := range b {
		switch {
		case c == '\a':
			sb.WriteString(`\a`)
		case c == '\b':
			sb.WriteString(`\b`)
		case c == '\f':
			sb.WriteString(`\f`)
		case c == '\n':
			sb.WriteString(`\n`)
		case c == '\r':
			sb.WriteString(`\r`)
		case c == '\t':
			sb.WriteString(`\t`)
		case c == '\v':
			sb.WriteString(`\v`)
		case c < 0x20 || c == 0x7f:
			sb.WriteString(`\` + strconv.FormatInt(int64(c>>6), 8) + strconv.FormatInt(int64(c>>3&7), 8) + strconv.FormatInt(int64(c&7), 8))
		default:
			sb.WriteByte(c)
		}
	}
	return sb.String()
}

// smbTsharkFields runs tshark -T fields on a capture and returns, per
// frame number, the value of each requested field (occurrences joined by
// ','). The test is skipped when tshark is not installed.
func smbTsharkFields(tb testing.TB, path string, fields []string) map[int][]string {
	tb.Helper()
	if _, err := exec.LookPath("tshark"); err != nil {
		corpus.Skip(tb, "tshark not installed: cannot compare with it")
	}
	args := []string{"-r", path, "-n", "-T", "fields", "-E", "occurrence=a", "-E", "separator=/t", "-e", "frame.number"}
	for _, f := range fields {
		args = append(args, "-e", f)
	}
	out, err := exec.Command("tshark", args...).Output()
	if err != nil {
		tb.Fatalf("tshark %v: %v", args, err)
	}
	res := map[int][]string{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		n, err := strconv.Atoi(cols[0])
		if err != nil {
			continue
		}
		v := make([]string, len(fields))
		copy(v, cols[1:])
		res[n] = v
	}
	return res
}

// smbTreeTracker mimics what tshark shows under Tree ID: the share path a
// TID was mapped to by a TREE_CONNECT_ANDX response, and that frame.
type smbTreeTracker struct {
	pending map[string][]byte
	tids    map[string]smbTreeMap
}

type smbTreeMap struct {
	path  []byte
	frame int
}

func (tt *smbTreeTracker) observe(stream string, frame int, s *SMB) {
	if tt.pending == nil {
		tt.pending = map[string][]byte{}
		tt.tids = map[string]smbTreeMap{}
	}
	key := stream + "/" + strconv.Itoa(int(s.MID)) + "/" + strconv.Itoa(int(s.PIDLow))
	// tshark maps a TID only for a TREE_CONNECT_ANDX that is the first
	// command of its message, not one chained after SESSION_SETUP_ANDX.
	for i := range s.Commands[:min(1, len(s.Commands))] {
		b := &s.Commands[i]
		if b.Command != SMBComTreeConnectAndX {
			continue
		}
		if !s.IsResponse() && b.Form == SMBFormTreeConnectRequest && b.TreeConnectRequest.Path.Present {
			tt.pending[key] = append([]byte(nil), b.TreeConnectRequest.Path.Text...)
		}
		if s.IsResponse() && !s.IsError() {
			if p, ok := tt.pending[key]; ok {
				tt.tids[stream+"/"+strconv.Itoa(int(s.TID))] = smbTreeMap{p, frame}
			}
		}
	}
	if s.IsResponse() {
		delete(tt.pending, key)
	}
	if m, ok := tt.tids[stream+"/"+strconv.Itoa(int(s.TID))]; ok {
		s.TreePath, s.TreeMappedIn = m.path, m.frame
	}
}

// smbRequiredFields lists the smb.* fields of the embedded tshark list.
func smbRequiredFields() []string { return WiresharkAbbrevs("smb") }

// smbCompareCapture decodes every SMB1 message of a capture and compares
// each smb.* field of the embedded list, and the info column of frames
// whose top protocol is SMB, with tshark's output. It returns the number
// of frames compared.
func smbCompareCapture(t *testing.T, path string) int {
	t.Helper()
	msgs, dirty := smbCaptureMessages(t, path)
	fields := smbRequiredFields()
	ts := smbTsharkFields(t, path, append(append(append([]string(nil), fields...), "_ws.col.Protocol", "_ws.col.Info"), smb2Fields...))
	nf := len(fields) + 2
	ids := make([]FieldID, len(fields))
	for i, f := range fields {
		ids[i], _ = LookupField(f)
	}
	byFrame := map[int][]smbFrameMsg{}
	var frames []int
	for _, m := range msgs {
		if _, ok := byFrame[m.frame]; !ok {
			frames = append(frames, m.frame)
		}
		byFrame[m.frame] = append(byFrame[m.frame], m)
	}
	sort.Ints(frames)
	var tt smbTreeTracker
	compared, bad := 0, 0
	for _, fr := range frames {
		want, ok := ts[fr]
		if !ok {
			t.Errorf("%s frame %d: tshark has no line", path, fr)
			continue
		}
		if want[0] == "" && want[nf] == "" {
			// tshark did not see SMB here (its TCP analysis took the
			// segment for a spurious retransmission): skip it, and keep
			// it out of the tree-connect state as tshark does.
			continue
		}
		var tr Tree
		var info []byte
		n1 := 0
		full, infoOK := true, true
		if smb2CompareFrame(t, path, fr, byFrame[fr], want[nf:], want[len(fields)], want[len(fields)+1]) {
			compared++
			continue
		}
		for _, m := range byFrame[fr] {
			if !bytes.HasPrefix(m.data, smbProtocolID) {
				continue
			}
			var s SMB
			_ = s.DecodeFromBytes(m.data, gopacket.NilDecodeFeedback)
			if m.stream != "" {
				tt.observe(m.stream, fr, &s)
			}
			s.AppendTree(&tr)
			info = s.AppendInfo(info)
			n1++
			for i := range s.Commands {
				if !smbDecodedCommand(s.Commands[i].Command) {
					full = false
				}
				if !smbInfoCommand(s.Commands[i].Command) {
					infoOK = false
				}
			}
		}
		if n1 == 0 || dirty[fr] {
			continue
		}
		compared++
		for i, id := range ids {
			if !full && (!smbHeaderField[fields[i]] || fields[i] == "smb.bcc") {
				continue
			}
			got := smbFieldText(&tr, id)
			if got != want[i] {
				bad++
				if bad <= 40 {
					t.Errorf("%s frame %d %s: got %q, tshark %q", path, fr, fields[i], got, want[i])
				}
			}
		}
		proto, tinfo := want[len(fields)], want[len(fields)+1]
		if proto == "SMB" && n1 == 1 && infoOK {
			for strings.HasPrefix(tinfo, "[") {
				j := strings.Index(tinfo, "] ")
				if j < 0 {
					break
				}
				tinfo = tinfo[j+2:]
			}
			if got := smbEscape(info); got != tinfo {
				bad++
				if bad <= 40 {
					t.Errorf("%s frame %d info: got %q, tshark %q", path, fr, got, tinfo)
				}
			}
		}
	}
	return compared
}

// smbDecodedCommand reports the commands whose bodies smb.go decodes; the
// frames of other commands are compared on the header fields, WordCount,
// ByteCount and the AndX command only.
func smbDecodedCommand(c SMBCommand) bool {
	switch c {
	case SMBComNegotiate, SMBComSessionSetupAndX, SMBComTreeConnectAndX, SMBComTreeDisconnect,
		SMBComLogoffAndX, SMBComTransaction, SMBComTransactionSecondary,
		SMBComTransaction2, SMBComTransaction2Secondary, SMBComNTTransact, SMBComNTTransactSecondary,
		SMBComReadAndX, SMBComWriteAndX, SMBComNTCreateAndX:
		return true
	}
	return false
}

// smbInfoCommand reports the commands whose info column smb.go writes as
// tshark does: the decoded ones and SMB_COM_NT_CREATE_ANDX (Path, FID).
// The bodies of smb_cmds.go are left out: tshark's info column for them
// needs the request (FID, subcommand of a response, Trans2 level and
// path), which only a conversation tracker knows.
func smbInfoCommand(c SMBCommand) bool {
	switch c {
	case SMBComNegotiate, SMBComSessionSetupAndX, SMBComTreeConnectAndX, SMBComTreeDisconnect,
		SMBComLogoffAndX, SMBComTransaction, SMBComTransactionSecondary, SMBComNTCreateAndX:
		return true
	}
	return false
}

var smbHeaderField = map[string]bool{
	"smb.cmd": true, "smb.wct": true, "smb.bcc": true, "smb.nt_status": true, "smb.error_class": true,
	"smb.error_code": true, "smb.pid": true, "smb.pid.high": true, "smb.tid": true, "smb.uid": true,
	"smb.mid": true, "smb.flags": true, "smb.flags.lock": true, "smb.flags.receive_buffer": true,
	"smb.flags.caseless": true, "smb.flags.canon": true, "smb.flags.oplock": true, "smb.flags.notify": true,
	"smb.flags.response": true, "smb.flags2": true, "smb.flags2.long_names_allowed": true, "smb.flags2.ea": true,
	"smb.flags2.sec_sig": true, "smb.flags2.compressed": true, "smb.flags2.sec_sig_required": true,
	"smb.flags2.long_names_used": true, "smb.flags2.reparse_path": true, "smb.flags2.esn": true,
	"smb.flags2.dfs": true, "smb.flags2.roe": true, "smb.flags2.nt_error": true, "smb.flags2.string": true,
}

// smb2Fields are the SMB2 header fields nbtsniff emits.
var smb2Fields = []string{"smb2.protocol_id", "smb2.header_len", "smb2.credit.charge", "smb2.nt_status",
	"smb2.channel_sequence", "smb2.cmd", "smb2.credits.requested", "smb2.credits.granted", "smb2.flags",
	"smb2.flags.response", "smb2.flags.async", "smb2.flags.chained", "smb2.flags.signature",
	"smb2.flags.priority_mask", "smb2.flags.dfs", "smb2.flags.replay", "smb2.chain_offset", "smb2.msg_id",
	"smb2.pid", "smb2.tid", "smb2.aid", "smb2.sesid", "smb2.signature"}

// smb2CompareFrame compares a frame holding exactly one SMB2 message (not
// a compound one) with tshark: the header fields, and the info column,
// which must start with what nbtsniff says (tshark adds what it reads of
// the body). It reports whether the frame was such a frame.
func smb2CompareFrame(t *testing.T, path string, fr int, msgs []smbFrameMsg, want []string, proto, tinfo string) bool {
	t.Helper()
	if len(msgs) != 1 || !IsSMB2(msgs[0].data) {
		return false
	}
	var s SMB2
	if s.DecodeFromBytes(msgs[0].data, nil) != nil || s.NextCommand != 0 {
		return false
	}
	var tr Tree
	s.AppendTree(&tr)
	for i, f := range smb2Fields {
		id, _ := LookupField(f)
		// the first occurrence: the body may use the same names
		// (smb2.flags of a read or ioctl response)
		w, _, _ := strings.Cut(want[i], ",")
		if got := smbFieldText(&tr, id); got != w {
			t.Errorf("%s frame %d %s: got %q, tshark %q", path, fr, f, got, w)
		}
	}
	for strings.HasPrefix(tinfo, "[") {
		j := strings.Index(tinfo, "] ")
		if j < 0 {
			break
		}
		tinfo = tinfo[j+2:]
	}
	if got := string(s.AppendInfo(nil)); proto == "SMB2" && !strings.HasPrefix(tinfo, got) {
		t.Errorf("%s frame %d info: got %q, tshark %q", path, fr, got, tinfo)
	}
	return true
}

// smbNTCreateExtended is nbss139-smb1-dcerpc-trans-pipe_zeek-mapi-cut.pcap
// frame 84: "84 0.348285 192.168.0.116 → 192.168.0.173 SMB 193 NT Create
// AndX Response, FID: 0xc006". WordCount says 42; tshark reads ByteCount
// after 100 bytes of words (smb.bcc 26972 from the last two bytes of this
// cut capture, which leaves the byte block short).
const smbNTCreateExtended = `
			ff 53 4d 42 a2 00 00 00 00 98 07 c8 00 00 00 00 00 00 00 00 00 00 00 00 03 18 10 01 01 18 80 21
			2a ff 00 87 00 02 06 c0 01 00 00 00 d0 49 95 e7 9f 5c c0 01 7c 13 56 71 fb 3d c3 01 8c eb ba ef
			f8 3c c3 01 7c 13 56 71 fb 3d c3 01 80 00 00 00 00 c0 01 00 00 00 00 00 00 c0 01 00 00 00 00 00
			00 00 07 00 00 00 00 00 61 00 69 00 6c 00 62 00 6f 00 78 00 2e 00 50 00 41 00 42 00 00 bf 01 13
			00 00 00 00 00 5c 69
`

// TestSMBCommandBodies checks the typed values of the bodies of
// smb_cmds.go against tshark -V for the same frames.
func TestSMBCommandBodies(t *testing.T) {
	var s SMB
	decode := func(name string) *SMBCommandBlock {
		t.Helper()
		if err := s.DecodeFromBytes(smbCaseMsg(t, name), nil); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return &s.Commands[0]
	}

	// tshark -V: Subcommand: QUERY_PATH_INFO (0x0005), Parameter Count: 8
	b := decode("Trans2 request QUERY_PATH_INFO, no name, padding before the parameters")
	if sub, ok := b.Trans.Subcommand(); b.Form != SMBFormTrans2 || !ok || sub != 5 || sub.String() != "QUERY_PATH_INFO" ||
		b.Trans.HasName || len(b.Trans.Params) != 8 || s.Trans() != nil {
		t.Errorf("trans2 request: form %d sub %v name %v params %x", b.Form, sub, b.Trans.HasName, b.Trans.Params)
	}
	if got := string(s.AppendInfo(nil)); got != "Trans2 Request, QUERY_PATH_INFO" {
		t.Errorf("trans2 info %q", got)
	}

	// tshark -V: Parameter Count: 2, Data Count: 40, Data Offset: 60
	b = decode("Trans2 response QUERY_PATH_INFO, padding before and between the blocks")
	if len(b.Trans.Params) != 2 || len(b.Trans.Data) != 40 || b.Trans.DataOffset != 60 {
		t.Errorf("trans2 response: params %d data %d", len(b.Trans.Params), len(b.Trans.Data))
	}

	// tshark -V: FID: 0x802e, Offset: 0, Write Mode: 0x0008, Remaining:
	// 72, Data Length Low: 72, Data Offset: 64, Padding: ee; DCE/RPC Bind,
	// FragLen: 72
	b = decode("write andx request WCT 14, one pad byte before the data")
	w := &b.WriteAndXRequest
	if b.Form != SMBFormWriteAndXRequest || w.FID != 0x802e || w.FileOffset() != 0 || w.WriteMode != 8 ||
		w.Remaining != 72 || w.Length() != 72 || w.DataOffset != 64 || hex.EncodeToString(w.Padding) != "ee" ||
		len(w.Data) != 72 || w.DataOff != 64 || w.Data[0] != 5 {
		t.Errorf("write andx = %+v", *w)
	}
	if got := string(s.AppendInfo(nil)); got != "Write AndX Request, FID: 0x802e, 72 bytes at offset 0" {
		t.Errorf("write andx info %q", got)
	}

	// tshark -V: Data Length Low: 68, Data Offset: 60, Padding: 00;
	// DCE/RPC Bind_ack, FragLen: 68
	b = decode("read andx response, one pad byte before the data")
	r := &b.ReadAndXResponse
	if b.Form != SMBFormReadAndXResponse || r.Length() != 68 || r.DataOffset != 60 || hex.EncodeToString(r.Padding) != "00" ||
		len(r.Data) != 68 || r.DataOff != 60 {
		t.Errorf("read andx = %+v", *r)
	}
	if got := string(s.AppendInfo(nil)); got != "Read AndX Response, 68 bytes" {
		t.Errorf("read andx info %q", got)
	}

	// tshark -V: Function: NT IOCTL (2), Setup Count: 4, Max Data Count:
	// 16, FID: 0x000b (in the setup words)
	b = decode("NT trans request NT IOCTL, padding up to ParameterOffset")
	n := &b.NTTrans
	if b.Form != SMBFormNTTrans || !n.Request || n.Function != 2 || n.Function.String() != "NT IOCTL" ||
		n.SetupCount != 4 || len(n.Setup) != 8 || binary.LittleEndian.Uint16(n.Setup[4:]) != 0x000b || n.MaxDataCount != 16 {
		t.Errorf("nt trans request = %+v", *n)
	}
	if got := string(s.AppendInfo(nil)); got != "NT Trans Request, NT IOCTL" {
		t.Errorf("nt trans info %q", got)
	}

	// tshark -V: Total Data Count: 16, Data Offset: 80, Setup Count: 4
	b = decode("NT trans response NT IOCTL with data")
	n = &b.NTTrans
	if n.Request || n.TotalDataCount != 16 || len(n.Data) != 16 || n.DataOffset != 80 || len(n.Setup) != 8 {
		t.Errorf("nt trans response = %+v", *n)
	}

	// A response whose parameters run past the message: tshark shows no
	// padding (a crafted response, ParameterCount 40 at offset 72 of 76
	// bytes: "NT Trans Response, <unknown>[BoundError]", no smb.padding).
	long := append([]byte(nil), smbCaseMsg(t, "NT trans response NT IOCTL with data")...)
	binary.LittleEndian.PutUint32(long[33+11:], 40) // ParameterCount; ParameterOffset is 80 of 96
	if err := s.DecodeFromBytes(long, nil); !errors.Is(err, ErrMalformed) {
		t.Errorf("NT trans response with long parameters: err %v", err)
	}
	var ptr Tree
	s.AppendTree(&ptr)
	if id, _ := LookupField("smb.padding"); smbFieldText(&ptr, id) != "" {
		t.Errorf("NT trans response with long parameters: padding %q, tshark none", smbFieldText(&ptr, id))
	}

	// The extended NT Create response: ByteCount read after 100 bytes.
	// Windows Server 2003 sends garbage there with nothing after it (frame
	// 84 of the zeek mapi capture); tshark shows the count and clamps it
	// without an error, and so does the decoder (ntCreateResponse).
	err := s.DecodeFromBytes(smbHex(t, smbNTCreateExtended), nil)
	if err != nil || len(s.Commands[0].Words) != 100 || s.Commands[0].ByteCount != 26972 ||
		s.Commands[0].NTCreate.FID != 0xc006 {
		t.Errorf("NT create extended: err %v words %d bcc %d", err, len(s.Commands[0].Words), s.Commands[0].ByteCount)
	}
	var tr Tree
	s.AppendTree(&tr)
	if id, _ := LookupField("smb.bcc"); smbFieldText(&tr, id) != "26972" {
		t.Errorf("NT create extended bcc %q, tshark 26972", smbFieldText(&tr, id))
	}
}

// TestSMBCommandBodiesMalformed: lying counts and offsets in the bodies
// of smb_cmds.go are errors, and the tree still ends in the note.
func TestSMBCommandBodiesMalformed(t *testing.T) {
	ntreq := smbCaseMsg(t, "NT trans request NT IOCTL, padding up to ParameterOffset") // words at 33: ParameterCount 52, ParameterOffset 56, DataCount 60, DataOffset 64, SetupCount 68; bytes 81..84
	ntresp := smbCaseMsg(t, "NT trans response NT IOCTL with data")                    // DataCount 56, DataOffset 60; bytes 79..96
	trans2 := smbCaseMsg(t, "Trans2 request QUERY_PATH_INFO, no name, padding before the parameters")
	read := smbCaseMsg(t, "read andx response, one pad byte before the data") // ByteCount at 57
	set32 := func(b []byte, off int, v uint32) []byte {
		c := append([]byte(nil), b...)
		binary.LittleEndian.PutUint32(c[off:], v)
		return c
	}
	for _, c := range []struct {
		name  string
		msg   []byte
		is    error
		field string
	}{
		{"nt trans setup count disagrees with word count", smbSet8(ntreq, 68, 3), ErrMalformed, "nt trans setup count"},
		{"nt trans parameters past ByteCount", set32(ntreq, 52, 10), ErrMalformed, "nt trans parameter block"},
		{"nt trans parameter offset huge", set32(set32(ntreq, 52, 1), 56, 0xffffffff), ErrMalformed, "nt trans parameter block"},
		{"nt trans data before the byte block", set32(ntresp, 60, 40), ErrMalformed, "nt trans data block"},
		{"nt trans data count huge", set32(ntresp, 56, 0xfffffff0), ErrMalformed, "nt trans data block"},
		{"nt trans words cut", ntreq[:60], ErrTruncated, "NT Trans parameter words"},
		{"trans2 parameters past ByteCount", smbSet16(trans2, 51, 20), ErrMalformed, "trans parameter block"},
		{"read andx byte block cut", read[:70], ErrTruncated, "Read AndX byte block"},
		{"NT create extended response cut before ByteCount", smbHex(t, smbNTCreateExtended)[:120], ErrTruncated, "NT Create AndX parameter words"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var s SMB
			err := s.DecodeFromBytes(c.msg, gopacket.NilDecodeFeedback)
			if !errors.Is(err, c.is) {
				t.Fatalf("err = %v, want %v", err, c.is)
			}
			if s.Err != err || !strings.Contains(err.Error(), c.field) {
				t.Errorf("error %q (Err %v) does not name %q", err, s.Err, c.field)
			}
			var tr Tree
			s.AppendTree(&tr)
			last := tr.Nodes[len(tr.Nodes)-1]
			if last.Flags&NodeError == 0 || !strings.HasPrefix(last.Label, "[Malformed: ") {
				t.Errorf("last node = %+v, want the malformed note", last)
			}
			_ = s.AppendInfo(nil)
		})
	}
}

// TestSMBCommandBodiesAllocs: the new bodies decode, print and fill the
// info column without allocating once warmed up.
func TestSMBCommandBodiesAllocs(t *testing.T) {
	var s SMB
	var tr Tree
	var info []byte
	for _, name := range []string{
		"Trans2 request QUERY_PATH_INFO, no name, padding before the parameters",
		"Trans2 response QUERY_PATH_INFO, padding before and between the blocks",
		"write andx request WCT 14, one pad byte before the data",
		"read andx response, one pad byte before the data",
		"NT trans request NT IOCTL, padding up to ParameterOffset",
		"NT trans response NT IOCTL with data",
	} {
		msg := smbCaseMsg(t, name)
		if n := testing.AllocsPerRun(50, func() {
			if err := s.DecodeFromBytes(msg, gopacket.NilDecodeFeedback); err != nil {
				t.Fatal(err)
			}
			tr.Reset()
			s.AppendTree(&tr)
			info = s.AppendInfo(info[:0])
		}); n != 0 {
			t.Errorf("%s: %v allocations per run", name, n)
		}
	}
}

func BenchmarkSMBDecodeNTTrans(b *testing.B) {
	msg := smbCaseMsg(b, "NT trans response NT IOCTL with data")
	var s SMB
	var tr Tree
	b.ReportAllocs()
	b.SetBytes(int64(len(msg)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_ = s.DecodeFromBytes(msg, gopacket.NilDecodeFeedback)
		tr.Reset()
		s.AppendTree(&tr)
	}
}

// An oplock break acknowledgement (Locking AndX request, LockType 0x02):
// frame 307 of smb_SMIA20111010-one-rigid1_maxdiff-1000.pcap
// (vs-uulm/nemesys, SMIA 2011 traffic), the SMB message after its NBSS
// header. tshark: "Locking AndX Request, FID: 0x8001", smb.fid 0x8001,
// smb.lock.type 0x02, smb.locking.oplock.level 1, smb.timeout 0.
const smbLockingOplockBreak = `
ff534d4224000000000000000000000000000000000000000208ffff0000ffff
08 ff00 0000 0180 02 01 00000000 0000 0000 0000`

func TestSMBLockingAndXRequest(t *testing.T) {
	var s SMB
	if err := s.DecodeFromBytes(smbHex(t, smbLockingOplockBreak), gopacket.NilDecodeFeedback); err != nil {
		t.Fatal(err)
	}
	b := &s.Commands[0]
	r := &b.LockingAndXRequest
	if b.Form != SMBFormLockingAndXRequest || r.FID != 0x8001 || r.LockType != 2 || r.OplockLevel != 1 || r.Timeout != 0 ||
		r.NumberOfUnlocks != 0 || r.NumberOfLocks != 0 {
		t.Fatalf("form %d, %+v", b.Form, *r)
	}
	var tr Tree
	s.AppendTree(&tr)
	smbWantFields(t, &tr, "oplock break", map[string]string{"smb.fid": "0x8001", "smb.lock.type": "0x02",
		"smb.locking.oplock.level": "1", "smb.timeout": "0"})
	if info := string(s.AppendInfo(nil)); info != "Locking AndX Request, FID: 0x8001" {
		t.Errorf("info %q", info)
	}
}

// Read AndX and Close requests and the NT Create AndX response's FID, on
// the zeek mapi capture of ../shared/pcaps; the values are tshark's
// (tshark -T fields -e smb.fid -e smb.offset -e smb.maxcount_low
// -e smb.mincount -e smb.maxcount_high -e smb.remaining -e smb.offset_high).
func TestSMBFIDCommands(t *testing.T) {
	smbCheckFrames(t, "../../shared/pcaps/nbss139-smb1-dcerpc-trans-pipe_zeek-mapi-cut.pcap", map[int]smbFrameWant{
		35: {"Close Request, FID: 0xc00f", map[string]string{"smb.fid": "0xc00f"}},
		84: {"NT Create AndX Response, FID: 0xc006", map[string]string{"smb.fid": "0xc006"}},
		87: {"Read AndX Request, FID: 0xc006, 4096 bytes at offset 0", map[string]string{"smb.fid": "0xc006",
			"smb.offset": "0", "smb.maxcount_low": "4096", "smb.mincount": "4096", "smb.maxcount_high": "0",
			"smb.remaining": "4096", "smb.offset_high": "0"}},
	})
}

// smbFrameWant is what tshark shows of one SMB message: its info ("" to
// leave it unchecked) and field values.
type smbFrameWant struct {
	info   string
	fields map[string]string
}

// smbCheckFrames decodes the SMB messages of the capture at path and
// checks those of the frames in want.
func smbCheckFrames(t *testing.T, path string, want map[int]smbFrameWant) {
	t.Helper()
	msgs, _ := smbCaptureMessages(t, path)
	seen := 0
	for _, m := range msgs {
		w, ok := want[m.frame]
		if !ok {
			continue
		}
		seen++
		var s SMB
		if err := s.DecodeFromBytes(m.data, gopacket.NilDecodeFeedback); err != nil {
			t.Errorf("frame %d: %v", m.frame, err)
			continue
		}
		if info := string(s.AppendInfo(nil)); w.info != "" && info != w.info {
			t.Errorf("frame %d: info %q, tshark %q", m.frame, info, w.info)
		}
		var tr Tree
		s.AppendTree(&tr)
		smbWantFields(t, &tr, "frame "+strconv.Itoa(m.frame), w.fields)
	}
	if seen != len(want) {
		t.Errorf("found %d of the %d frames", seen, len(want))
	}
}

// NT Transact's 32-bit parameter and data offsets are tshark's smb.po and
// smb.data_offset, as on the trans commands; the setup words, which
// tshark decodes per function, are nbtsniff's own field. The values are
// tshark's on the SMIA capture of ../shared/pcaps (tshark -T fields
// -e smb.data_offset -e smb.po -e smb.pc -e smb.dc -e smb.sc -e smb.tdc
// -e smb.nt.function).
func TestSMBNTTransOffsets(t *testing.T) {
	smbCheckFrames(t, "../../shared/pcaps/nbss139-smb1-smia2011-deduped-msgs_nemesys-cut.pcap", map[int]smbFrameWant{
		260: {"", map[string]string{"smb.data_offset": "0", "smb.po": "84", "smb.pc": "0", "smb.dc": "0", "smb.sc": "4", "smb.tdc": "0",
			"smb.nt.function": "4", "nbtsniff.smb.setup": "1700000003c00000"}},
		// A response: tshark takes its function (2) from the request.
		268: {"", map[string]string{"smb.data_offset": "80", "smb.po": "80", "smb.pc": "0", "smb.dc": "16", "smb.sc": "4", "smb.tdc": "16"}},
	})
}

// smbWantFields checks the text of each field in want (tshark's values)
// in tr; what names the message in errors.
func smbWantFields(t *testing.T, tr *Tree, what string, want map[string]string) {
	t.Helper()
	for f, v := range want {
		id, ok := LookupField(f)
		if !ok {
			t.Fatalf("%s: field %s is not registered", what, f)
		}
		if got := smbFieldText(tr, id); got != v {
			t.Errorf("%s: %s = %q, tshark %q", what, f, got, v)
		}
	}
}
