package dissect

// The SMB1 messages of real captures, with tshark 4.0.17's view of them,
// that the tests of smb_test.go decode.

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
