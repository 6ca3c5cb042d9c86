package dissect

// The fields of NBNS, under tshark's names, and nbtsniff's own.

// Fields: tshark's (wireshark-fields.tsv) and nbtsniff's own.
var (
	fNBNS               = RegisterField(FieldInfo{Abbrev: "nbns", Name: "NetBIOS Name Service", Type: FTProtocol})
	fNBNSID             = WiresharkField("nbns.id")
	fNBNSFlags          = WiresharkField("nbns.flags")
	fNBNSFlagsResponse  = WiresharkField("nbns.flags.response")
	fNBNSFlagsOpcode    = WiresharkField("nbns.flags.opcode")
	fNBNSFlagsAA        = WiresharkField("nbns.flags.authoritative")
	fNBNSFlagsTC        = WiresharkField("nbns.flags.truncated")
	fNBNSFlagsRD        = WiresharkField("nbns.flags.recdesired")
	fNBNSFlagsRA        = WiresharkField("nbns.flags.recavail")
	fNBNSFlagsB         = WiresharkField("nbns.flags.broadcast")
	fNBNSFlagsRCode     = WiresharkField("nbns.flags.rcode")
	fNBNSQDCount        = WiresharkField("nbns.count.queries")
	fNBNSANCount        = WiresharkField("nbns.count.answers")
	fNBNSNSCount        = WiresharkField("nbns.count.auth_rr")
	fNBNSARCount        = WiresharkField("nbns.count.add_rr")
	fNBNSName           = WiresharkField("nbns.name")
	fNBNSType           = WiresharkField("nbns.type")
	fNBNSClass          = WiresharkField("nbns.class")
	fNBNSTTL            = WiresharkField("nbns.ttl")
	fNBNSDataLength     = WiresharkField("nbns.data_length")
	fNBNSNBFlags        = WiresharkField("nbns.nb_flags")
	fNBNSNBFlagsGroup   = WiresharkField("nbns.nb_flags.group")
	fNBNSNBFlagsONT     = WiresharkField("nbns.nb_flags.ont")
	fNBNSAddr           = WiresharkField("nbns.addr")
	fNBNSNumberOfNames  = WiresharkField("nbns.number_of_names")
	fNBNSNetBIOSName    = WiresharkField("nbns.netbios_name")
	fNBNSNameFlags      = WiresharkField("nbns.name_flags")
	fNBNSNameFlagsGroup = WiresharkField("nbns.name_flags.group")
	fNBNSNameFlagsONT   = WiresharkField("nbns.name_flags.ont")
	fNBNSNameFlagsDRG   = WiresharkField("nbns.name_flags.drg")
	fNBNSNameFlagsCNF   = WiresharkField("nbns.name_flags.cnf")
	fNBNSNameFlagsACT   = WiresharkField("nbns.name_flags.act")
	fNBNSNameFlagsPRM   = WiresharkField("nbns.name_flags.prm")
	fNBNSUnitID         = WiresharkField("nbns.unit_id")
	fNBNSData           = WiresharkField("nbns.data")
	fNBNSIncomplete     = WiresharkField("nbns.incomplete_entry")

	// nbtsniff's own: the raw label of a name that is not a valid
	// first-level encoding, and the RDATA of redirect records that tshark
	// shows only as nbns.data.
	fNBNSEncodedName = RegisterField(FieldInfo{Abbrev: "nbtsniff.nbns.encoded_name", Name: "Encoded name (first label as on the wire)", Type: FTString, Proto: "nbtsniff"})
	fNBNSNSDName     = RegisterField(FieldInfo{Abbrev: "nbtsniff.nbns.nsd_name", Name: "Name server domain name (NSD_NAME)", Type: FTString, Proto: "nbtsniff"})
	fNBNSNSDIPAddr   = RegisterField(FieldInfo{Abbrev: "nbtsniff.nbns.nsd_ip_addr", Name: "Name server address (NSD_IP_ADDR)", Type: FTIPv4, Proto: "nbtsniff"})
	// The 16th byte of a name, generated after each nbns.name and
	// nbns.netbios_name (tshark shows it only in the -V text of the name).
	fNBNSSuffix = RegisterField(FieldInfo{Abbrev: "nbtsniff.nbns.suffix", Name: "Name suffix", Type: FTUint8, Base: BaseHex, Proto: "nbtsniff",
		Values: func(v uint64) string { return NameSuffixMeaning(byte(v), false) }})
)

// nbnsStatField is one field of the statistics block as tshark 4.0 reads it:
// 42 bytes, in this order (see NBNSStatistics).
type nbnsStatField struct {
	id   FieldID
	size int
}

var nbnsStatFields = [...]nbnsStatField{
	{fNBNSUnitID, 6},
	{WiresharkField("nbns.jumpers"), 1},
	{WiresharkField("nbns.test_result"), 1},
	{WiresharkField("nbns.version_number"), 2},
	{WiresharkField("nbns.period_of_statistics"), 2},
	{WiresharkField("nbns.num_crcs"), 2},
	{WiresharkField("nbns.num_alignment_errors"), 2},
	{WiresharkField("nbns.num_collisions"), 2},
	{WiresharkField("nbns.num_send_aborts"), 2},
	{WiresharkField("nbns.num_good_sends"), 4},
	{WiresharkField("nbns.num_good_receives"), 4},
	{WiresharkField("nbns.numretransmits"), 2},
	{WiresharkField("nbns.num_no_resource_conditions"), 2},
	{WiresharkField("nbns.numcommand_blocks"), 2},
	{WiresharkField("nbns.numpending_sessions"), 2},
	{WiresharkField("nbns.max_num_pending_sessions"), 2},
	{WiresharkField("nbns.max_total_sessions_possible"), 2},
	{WiresharkField("nbns.session_data_packet_size"), 2},
}

func init() {
	SetValues(fNBNSFlagsOpcode, func(v uint64) string {
		if s := NBNSOpcode(v).name(); s != "" {
			return s
		}
		return "Unknown"
	})
	SetValues(fNBNSFlagsRCode, func(v uint64) string {
		if s := NBNSRCode(v).name(); s != "" {
			return s
		}
		return "Unknown"
	})
	SetValues(fNBNSType, func(v uint64) string { return NBNSType(v).wsName() })
	SetValues(fNBNSClass, func(v uint64) string { return dnsClassName(uint16(v)) })
	// tshark 4.0 looks the shifted ONT up in a table keyed by unshifted
	// values, so only B-node (0) is named and 1..3 print "Unknown".
	ont := func(v uint64) string {
		if v == 0 {
			return "B-node"
		}
		return "Unknown"
	}
	SetValues(fNBNSNBFlagsONT, ont)
	SetValues(fNBNSNameFlagsONT, ont)
	// tshark's true/false texts, for the -V tree.
	for _, x := range []struct {
		id          FieldID
		true, false string
	}{
		{fNBNSFlagsResponse, "Message is a response", "Message is a query"},
		{fNBNSFlagsAA, "Server is an authority for domain", "Server is not an authority for domain"},
		{fNBNSFlagsTC, "Message is truncated", "Message is not truncated"},
		{fNBNSFlagsRD, "Do query recursively", "Don't do query recursively"},
		{fNBNSFlagsRA, "Server can do recursive queries", "Server can't do recursive queries"},
		{fNBNSFlagsB, "Broadcast packet", "Not a broadcast packet"},
		{fNBNSNBFlagsGroup, "Group name", "Unique name"},
		{fNBNSNameFlagsGroup, "Group name", "Unique name"},
		{fNBNSNameFlagsDRG, "Yes", "No"},
		{fNBNSNameFlagsCNF, "Yes", "No"},
		{fNBNSNameFlagsACT, "Yes", "No"},
		{fNBNSNameFlagsPRM, "Yes", "No"},
	} {
		x := x
		SetValues(x.id, func(v uint64) string {
			if v != 0 {
				return x.true
			}
			return x.false
		})
	}
}
