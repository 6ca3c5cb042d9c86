package dissect

import (
	"slices"
	"strconv"
	"strings"
	"sync"
)

// FieldType is the value type of a field, named after Wireshark's ftypes so
// that output can be printed the way tshark prints it.
type FieldType uint8

// Field types. Only those the protocols in scope use.
const (
	FTNone     FieldType = iota // FT_NONE: a label or subtree, no value
	FTProtocol                  // FT_PROTOCOL: a protocol layer
	FTBoolean                   // FT_BOOLEAN
	FTUint8                     // FT_UINT8
	FTUint16                    // FT_UINT16
	FTUint24                    // FT_UINT24
	FTUint32                    // FT_UINT32
	FTUint64                    // FT_UINT64
	FTInt8                      // FT_INT8
	FTInt16                     // FT_INT16
	FTInt32                     // FT_INT32
	FTInt64                     // FT_INT64
	FTString                    // FT_STRING
	FTStringz                   // FT_STRINGZ
	FTBytes                     // FT_BYTES
	FTIPv4                      // FT_IPv4
	FTEther                     // FT_ETHER
	FTAbsTime                   // FT_ABSOLUTE_TIME: Node.U is Unix nanoseconds
	FTRelTime                   // FT_RELATIVE_TIME: Node.U is nanoseconds
	FTFrameNum                  // FT_FRAMENUM
	FTDouble                    // FT_DOUBLE (frame.time_relative is printed specially)
)

var ftNames = map[string]FieldType{
	"FT_NONE": FTNone, "FT_PROTOCOL": FTProtocol, "FT_BOOLEAN": FTBoolean,
	"FT_UINT8": FTUint8, "FT_UINT16": FTUint16, "FT_UINT24": FTUint24,
	"FT_UINT32": FTUint32, "FT_UINT64": FTUint64, "FT_INT8": FTInt8,
	"FT_INT16": FTInt16, "FT_INT32": FTInt32, "FT_INT64": FTInt64,
	"FT_STRING": FTString, "FT_STRINGZ": FTStringz, "FT_BYTES": FTBytes,
	"FT_IPv4": FTIPv4, "FT_ETHER": FTEther, "FT_ABSOLUTE_TIME": FTAbsTime,
	"FT_RELATIVE_TIME": FTRelTime, "FT_FRAMENUM": FTFrameNum, "FT_DOUBLE": FTDouble,
}

func (t FieldType) String() string {
	for k, v := range ftNames {
		if v == t {
			return k
		}
	}
	return "FT_" + strconv.Itoa(int(t))
}

// IsInteger reports whether the type holds an integer in Node.U.
func (t FieldType) IsInteger() bool {
	switch t {
	case FTUint8, FTUint16, FTUint24, FTUint32, FTUint64, FTInt8, FTInt16, FTInt32, FTInt64, FTFrameNum:
		return true
	}
	return false
}

// IsSigned reports whether Node.U holds an int64 bit pattern.
func (t FieldType) IsSigned() bool {
	switch t {
	case FTInt8, FTInt16, FTInt32, FTInt64:
		return true
	}
	return false
}

// IsString reports whether Node.S holds text.
func (t FieldType) IsString() bool { return t == FTString || t == FTStringz }

// Base is the display base of an integer field (Wireshark's BASE_*).
type Base uint8

// Display bases.
const (
	BaseNone Base = iota
	BaseDec
	BaseHex
	BaseDecHex
	BaseHexDec
	BaseOct
)

// FieldID identifies a registered field. The zero FieldID is a text-only
// node (a subtree heading with a Label and no value).
type FieldID uint16

// FieldInfo describes a field: its Wireshark abbreviation (the name used by
// -T fields, -e, -Y and JSON), its human name, type and base.
type FieldInfo struct {
	ID     FieldID
	Abbrev string // "nbns.flags.opcode"
	Name   string // "Opcode"
	Type   FieldType
	Base   Base
	Bits   int // for FT_BOOLEAN: width of the parent bitfield (8, 16, 32); 0 for a plain boolean
	// Values, when set, names an integer value for the -V tree and the info
	// column ("Name query"). It must not allocate.
	Values func(v uint64) string
	// Proto is the protocol abbreviation the field belongs to ("nbns").
	Proto string
}

// initFields is room for the fields registered at init, with some to
// spare (TestInitFieldsRoom).
const initFields = 768

var (
	regMu sync.Mutex
	// fields and byAbbrev are made at the size of what the package
	// registers at init (642 fields): grown from nothing, every process
	// copied the table eight times and rehashed the map as many.
	fields   = append(make([]FieldInfo, 0, initFields), FieldInfo{Abbrev: "", Name: "", Type: FTNone})
	byAbbrev = make(map[string]FieldID, initFields)
)

// wsEntry is a field of tshark's list (wireshark-fields.tsv, a copy of
// ../shared/reference/wireshark-fields.tsv: tshark -G fields for the
// protocols in scope), parsed: wsFields in field_wireshark.go, generated
// from the list by TestWiresharkTable (go test ./dissect -run
// TestWiresharkTable -update). A table the compiler lays out costs a
// process nothing at start; indexing and parsing the list at init was
// about 0.1 ms of every run (issue 15, session 19). field_wireshark.go
// sorts right after field.go: the IDs follow the order in which package
// variables are initialized, which depends on where wsFields is declared
// (TestRegistryOrder).
type wsEntry struct {
	abbrev, name, proto string
	typ                 FieldType
	base                Base
	bits                uint8 // FT_BOOLEAN: width of the parent bitfield
}

func (e *wsEntry) info() FieldInfo {
	return FieldInfo{Abbrev: e.abbrev, Name: e.name, Type: e.typ, Base: e.base, Bits: int(e.bits), Proto: e.proto}
}

// wsLookup is the index in wsFields of the entry with the given
// abbreviation, or -1.
func wsLookup(abbrev string) int {
	i, ok := slices.BinarySearchFunc(wsByAbbrev[:], abbrev, func(j uint16, a string) int {
		return strings.Compare(wsFields[j].abbrev, a)
	})
	if !ok {
		return -1
	}
	return int(wsByAbbrev[i])
}

// wsNext is the entry after the one WiresharkField found last (under
// regMu), tried before wsLookup: the package's variables register the
// list's fields mostly in its order (357 of 402 lookups at init), and a
// binary search of cold strings was most of what registering cost.
var wsNext int

// WiresharkField registers (once) and returns the field with the given
// Wireshark abbreviation, taking type, base and name from tshark's field
// list (wsFields). It panics at init time if the name is not in the list:
// that is a programming error that every test run catches.
func WiresharkField(abbrev string) FieldID {
	regMu.Lock()
	defer regMu.Unlock()
	if id, ok := byAbbrev[abbrev]; ok {
		return id
	}
	i := wsNext
	if i >= len(wsFields) || wsFields[i].abbrev != abbrev {
		if i = wsLookup(abbrev); i < 0 {
			panic("dissect: field " + abbrev + " is not in wireshark-fields.tsv")
		}
	}
	wsNext = i + 1
	return registerLocked(wsFields[i].info())
}

// RegisterField registers a field that is not in the tshark list (link, IP
// and transport fields, nbtsniff's own reassembly fields). Registering the
// same abbreviation twice returns the first ID.
func RegisterField(fi FieldInfo) FieldID {
	regMu.Lock()
	defer regMu.Unlock()
	if id, ok := byAbbrev[fi.Abbrev]; ok {
		return id
	}
	if fi.Proto == "" {
		if i := strings.IndexByte(fi.Abbrev, '.'); i > 0 {
			fi.Proto = fi.Abbrev[:i]
		} else {
			fi.Proto = fi.Abbrev
		}
	}
	return registerLocked(fi)
}

func registerLocked(fi FieldInfo) FieldID {
	fi.ID = FieldID(len(fields))
	fields = append(fields, fi)
	byAbbrev[fi.Abbrev] = fi.ID
	return fi.ID
}

// SetValues attaches a value-naming function to a field (for -V and info).
func SetValues(id FieldID, f func(uint64) string) {
	regMu.Lock()
	fields[id].Values = f
	regMu.Unlock()
}

// Field returns the description of a registered field.
func Field(id FieldID) *FieldInfo {
	if int(id) >= len(fields) {
		return &fields[0]
	}
	return &fields[id]
}

// LookupField finds a registered field by its abbreviation.
func LookupField(abbrev string) (FieldID, bool) {
	regMu.Lock()
	defer regMu.Unlock()
	id, ok := byAbbrev[abbrev]
	return id, ok
}

// NumFields is one more than the highest FieldID registered.
func NumFields() int {
	regMu.Lock()
	defer regMu.Unlock()
	return len(fields)
}

// AllFields returns every registered field (for -G fields and completion).
func AllFields() []FieldInfo {
	regMu.Lock()
	defer regMu.Unlock()
	out := make([]FieldInfo, len(fields)-1)
	copy(out, fields[1:])
	return out
}

// WiresharkAbbrevs lists the abbreviations in tshark's field list for
// a protocol ("nbns"), in the list's order. Tests use it to check coverage.
func WiresharkAbbrevs(proto string) []string {
	return wiresharkAbbrevsOf(proto)[0]
}

// wiresharkAbbrevsOf lists, per protocol of protos, the abbreviations of
// its fields in tshark's field list, in the list's order.
func wiresharkAbbrevsOf(protos ...string) [][]string {
	out := make([][]string, len(protos))
	for i := range wsFields {
		e := &wsFields[i]
		for j, p := range protos {
			if e.proto == p {
				out[j] = append(out[j], e.abbrev)
			}
		}
	}
	return out
}
