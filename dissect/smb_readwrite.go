package dissect

// SMB_COM_READ_ANDX (0x2E, [MS-CIFS] §2.2.4.42, [MS-SMB] §2.2.4.2) and
// SMB_COM_WRITE_ANDX (0x2F, [MS-CIFS] §2.2.4.43, [MS-SMB] §2.2.4.3): the
// counts and offsets of a read request, and the padding and data of a read
// response or a write request.
//
// Byte order: little-endian.
//
// Read AndX request words (WordCount 10, or 12 with OffsetHigh):
//
//	 0 AndX header(4)    4 FID              6 Offset(4)
//	10 MaxCountLow      12 MinCount        14 Timeout_or_MaxCountHigh(4)
//	18 Remaining        20 OffsetHigh(4)
//
// Read AndX response words (WordCount 12):
//
//	 0 AndX header(4)    4 Available        6 DataCompactionMode
//	 8 Reserved1        10 DataLength      12 DataOffset
//	14 DataLengthHigh(4, [MS-SMB])         18 Reserved2(6)
//	bytes: Pad, Data
//
// Write AndX request words (WordCount 12, or 14 with OffsetHigh):
//
//	 0 AndX header(4)    4 FID              6 Offset(4)
//	10 Timeout(4)       14 WriteMode       16 Remaining
//	18 DataLengthHigh   20 DataLength      22 DataOffset
//	24 OffsetHigh(4)
//	bytes: Pad, Data
//
//
// The padding is shown as tshark shows it: the ByteCount bytes beyond the
// data length come first, then the data.

import (
	"encoding/binary"
	"strconv"
)

// SMBFileData is the data of a Read AndX response or a Write AndX request
// and the padding tshark shows before it. Offsets are from the header
// start.
type SMBFileData struct {
	Padding    []byte
	PaddingOff int
	Data       []byte
	DataOff    int
}

// ReadAndXResponse is a decoded SMB_COM_READ_ANDX response ([MS-CIFS]
// §2.2.4.42.2; DataLengthHigh from [MS-SMB] §2.2.4.2.2).
type ReadAndXResponse struct {
	Available          uint16
	DataCompactionMode uint16
	DataLength         uint16
	DataOffset         uint16
	DataLengthHigh     uint32
	SMBFileData
}

// Length is DataLength with DataLengthHigh.
func (r *ReadAndXResponse) Length() uint64 {
	return uint64(r.DataLengthHigh)<<16 | uint64(r.DataLength)
}

// ReadAndXRequest is the parameter block of an SMB_COM_READ_ANDX request
// ([MS-CIFS] §2.2.4.42.1; the 12-word form with OffsetHigh, [MS-SMB]
// §2.2.4.2.1). tshark reads the Timeout_or_MaxCountHigh field as Max
// Count High; nbtsniff keeps its low 16 bits there as tshark prints it.
type ReadAndXRequest struct {
	FID          uint16
	Offset       uint32
	MaxCountLow  uint16
	MinCount     uint16
	MaxCountHigh uint32
	Remaining    uint16
	OffsetHigh   uint32
}

// Length is the most the client asks for: MaxCountLow with the high
// bits of MaxCountHigh, as tshark counts it.
func (r *ReadAndXRequest) Length() uint64 {
	return uint64(r.MaxCountHigh&0xffff)<<16 | uint64(r.MaxCountLow)
}

// FileOffset is Offset with OffsetHigh.
func (r *ReadAndXRequest) FileOffset() uint64 { return uint64(r.OffsetHigh)<<32 | uint64(r.Offset) }

// WriteAndXRequest is a decoded SMB_COM_WRITE_ANDX request ([MS-CIFS]
// §2.2.4.43.1; DataLengthHigh and the 14-word form from [MS-SMB]
// §2.2.4.3.1).
type WriteAndXRequest struct {
	FID            uint16
	Offset         uint32
	Timeout        uint32
	WriteMode      uint16
	Remaining      uint16
	DataLengthHigh uint16
	DataLength     uint16
	DataOffset     uint16
	OffsetHigh     uint32 // WordCount 14 only
	SMBFileData
}

// Length is DataLength with DataLengthHigh.
func (r *WriteAndXRequest) Length() uint64 {
	return uint64(r.DataLengthHigh)<<16 | uint64(r.DataLength)
}

// FileOffset is Offset with OffsetHigh.
func (r *WriteAndXRequest) FileOffset() uint64 {
	return uint64(r.OffsetHigh)<<32 | uint64(r.Offset)
}

func (s *SMB) decodeReadAndX(b *SMBCommandBlock) error {
	if s.IsResponse() {
		return s.decodeReadAndXResponse(b)
	}
	s.decodeReadAndXRequest(b)
	return nil
}

func (s *SMB) decodeWriteAndX(b *SMBCommandBlock) error {
	if !s.IsResponse() {
		return s.decodeWriteAndXRequest(b)
	}
	return nil
}

func (s *SMB) decodeReadAndXRequest(b *SMBCommandBlock) {
	if b.WordCount != 10 && b.WordCount != 12 {
		return
	}
	w := b.Words
	b.ReadAndXRequest = ReadAndXRequest{
		FID:          binary.LittleEndian.Uint16(w[4:]),
		Offset:       binary.LittleEndian.Uint32(w[6:]),
		MaxCountLow:  binary.LittleEndian.Uint16(w[10:]),
		MinCount:     binary.LittleEndian.Uint16(w[12:]),
		MaxCountHigh: binary.LittleEndian.Uint32(w[14:]),
		Remaining:    binary.LittleEndian.Uint16(w[18:]),
	}
	if b.WordCount == 12 {
		b.ReadAndXRequest.OffsetHigh = binary.LittleEndian.Uint32(w[20:])
	}
	b.Form = SMBFormReadAndXRequest
}

func (s *SMB) decodeReadAndXResponse(b *SMBCommandBlock) error {
	if b.WordCount != 12 {
		return nil // shown undecoded
	}
	w := b.Words
	r := &b.ReadAndXResponse
	*r = ReadAndXResponse{
		Available:          binary.LittleEndian.Uint16(w[4:]),
		DataCompactionMode: binary.LittleEndian.Uint16(w[6:]),
		DataLength:         binary.LittleEndian.Uint16(w[10:]),
		DataOffset:         binary.LittleEndian.Uint16(w[12:]),
		DataLengthHigh:     binary.LittleEndian.Uint32(w[14:]),
	}
	b.Form = SMBFormReadAndXResponse
	s.fileData(b, r.Length(), &r.SMBFileData)
	return nil
}

func (s *SMB) decodeWriteAndXRequest(b *SMBCommandBlock) error {
	if b.WordCount != 12 && b.WordCount != 14 {
		return nil
	}
	w := b.Words
	r := &b.WriteAndXRequest
	*r = WriteAndXRequest{
		FID:            binary.LittleEndian.Uint16(w[4:]),
		Offset:         binary.LittleEndian.Uint32(w[6:]),
		Timeout:        binary.LittleEndian.Uint32(w[10:]),
		WriteMode:      binary.LittleEndian.Uint16(w[14:]),
		Remaining:      binary.LittleEndian.Uint16(w[16:]),
		DataLengthHigh: binary.LittleEndian.Uint16(w[18:]),
		DataLength:     binary.LittleEndian.Uint16(w[20:]),
		DataOffset:     binary.LittleEndian.Uint16(w[22:]),
	}
	if b.WordCount == 14 {
		r.OffsetHigh = binary.LittleEndian.Uint32(w[24:])
	}
	b.Form = SMBFormWriteAndXRequest
	s.fileData(b, r.Length(), &r.SMBFileData)
	return nil
}

// fileData finds the padding and the data of a Read or Write AndX byte
// block: tshark counts as padding the ByteCount bytes beyond the data
// length, then shows the rest as file data.
func (s *SMB) fileData(b *SMBCommandBlock, length uint64, fd *SMBFileData) {
	start, end := b.bytesOff, b.End()
	off := start
	if bc := uint64(b.ByteCount); bc > length {
		n := min(int(bc-length), end-off)
		if n > 0 {
			fd.Padding, fd.PaddingOff = s.Contents[off:off+n], off
			off += n
		}
	}
	if off < end {
		fd.Data, fd.DataOff = s.Contents[off:end], off
	}
	b.bytesOff = end
}

func (s *SMB) treeReadAndX(t *Tree, b *SMBCommandBlock) {
	w := b.Off + 1
	if b.Form == SMBFormReadAndXRequest {
		r := &b.ReadAndXRequest
		t.Uint(fSMBFID, w+4, 2, uint64(r.FID))
		t.Uint(fSMBFileOffset, w+6, 4, uint64(r.Offset))
		t.Uint(fSMBMaxCountLow, w+10, 2, uint64(r.MaxCountLow))
		t.Uint(fSMBMinCount, w+12, 2, uint64(r.MinCount))
		t.Uint(fSMBMaxCountHigh, w+14, 4, uint64(r.MaxCountHigh))
		t.Uint(fSMBRemaining, w+18, 2, uint64(r.Remaining))
		if b.WordCount == 12 {
			t.Uint(fSMBHighOffset, w+20, 4, uint64(r.OffsetHigh))
		}
		appendByteCount(t, b)
		return
	}
	r := &b.ReadAndXResponse
	t.Uint(fSMBRemaining, w+4, 2, uint64(r.Available))
	t.Uint(fSMBDCM, w+6, 2, uint64(r.DataCompactionMode))
	t.Bytes(fSMBReserved, w+8, 2, b.Words[8:10])
	t.Uint(fSMBDataLenLow, w+10, 2, uint64(r.DataLength))
	t.Uint(fSMBDataOffset, w+12, 2, uint64(r.DataOffset))
	t.Uint(fSMBDataLenHigh, w+14, 4, uint64(r.DataLengthHigh))
	t.Bytes(fSMBReserved, w+18, 6, b.Words[18:24])
	appendByteCount(t, b)
	appendFileData(t, &r.SMBFileData)
}

func (s *SMB) treeWriteAndX(t *Tree, b *SMBCommandBlock) {
	w := b.Off + 1
	r := &b.WriteAndXRequest
	t.Uint(fSMBFID, w+4, 2, uint64(r.FID))
	t.Uint(fSMBFileOffset, w+6, 4, uint64(r.Offset))
	t.Bytes(fSMBReserved, w+10, 4, b.Words[10:14])
	t.Uint(fSMBWriteMode, w+14, 2, uint64(r.WriteMode))
	t.Uint(fSMBRemaining, w+16, 2, uint64(r.Remaining))
	t.Uint(fSMBDataLenHigh, w+18, 2, uint64(r.DataLengthHigh))
	t.Uint(fSMBDataLenLow, w+20, 2, uint64(r.DataLength))
	t.Uint(fSMBDataOffset, w+22, 2, uint64(r.DataOffset))
	if b.WordCount == 14 {
		t.Uint(fSMBHighOffset, w+24, 4, uint64(r.OffsetHigh))
	}
	appendByteCount(t, b)
	appendFileData(t, &r.SMBFileData)
}

// appendFileData emits the padding and the data of Read/Write AndX.
func appendFileData(t *Tree, fd *SMBFileData) {
	if len(fd.Padding) > 0 {
		t.Bytes(fSMBPadding, fd.PaddingOff, len(fd.Padding), fd.Padding)
	}
	if len(fd.Data) > 0 {
		t.Bytes(fSMBFileData, fd.DataOff, len(fd.Data), fd.Data)
	}
}

// infoReadAndX appends tshark's ", FID: 0x4002, 4096 bytes at offset 0" to
// a request and ", 4096 bytes" to a response.
func (s *SMB) infoReadAndX(b []byte, blk *SMBCommandBlock) []byte {
	if blk.Form == SMBFormReadAndXRequest {
		r := &blk.ReadAndXRequest
		return appendFIDRange(b, r.FID, r.Length(), r.FileOffset())
	}
	b = append(b, ", "...)
	b = strconv.AppendUint(b, blk.ReadAndXResponse.Length(), 10)
	return append(b, " bytes"...)
}

func (s *SMB) infoWriteAndX(b []byte, blk *SMBCommandBlock) []byte {
	r := &blk.WriteAndXRequest
	return appendFIDRange(b, r.FID, r.Length(), r.FileOffset())
}

// appendFIDRange appends tshark's ", FID: 0x4002, 4096 bytes at offset 0"
// of a read or write.
func appendFIDRange(b []byte, fid uint16, length, offset uint64) []byte {
	b = strconv.AppendUint(append(appendFID(b, fid), ", "...), length, 10)
	return strconv.AppendUint(append(b, " bytes at offset "...), offset, 10)
}
