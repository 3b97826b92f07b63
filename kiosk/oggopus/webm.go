package oggopus

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
)

// WebM is what Chromium's MediaRecorder records (it has no Ogg), Matroska
// with the Opus packets as blocks; FromWebM lifts the packets out into Ogg.
// Only what a recording needs is read: the tracks and the blocks.

// EBML element IDs (Matroska specification), marker bits kept.
const (
	idEBML         = 0x1A45DFA3
	idDocType      = 0x4282
	idSegment      = 0x18538067
	idTracks       = 0x1654AE6B
	idTrackEntry   = 0xAE
	idTrackNumber  = 0xD7
	idCodecID      = 0x86
	idCodecPrivate = 0x63A2
	idCodecDelay   = 0x56AA
	idAudio        = 0xE1
	idChannels     = 0x9F
	idCluster      = 0x1F43B675
	idBlockGroup   = 0xA0
	idBlock        = 0xA1
	idSimpleBlock  = 0xA3
)

// masters are the elements whose children FromWebM reads: it steps into
// them rather than over, so their size (often "unknown" while recording
// live) does not matter.
var masters = map[uint32]bool{
	idSegment: true, idTracks: true, idTrackEntry: true, idAudio: true,
	idCluster: true, idBlockGroup: true,
}

// IsWebM says whether b starts like an EBML (WebM, Matroska) file.
func IsWebM(b []byte) bool { return bytes.HasPrefix(b, []byte{0x1A, 0x45, 0xDF, 0xA3}) }

type track struct {
	number     uint64
	codec      string
	private    []byte
	channels   uint64
	codecDelay uint64 // nanoseconds
}

type block struct {
	track uint64
	frame []byte
}

// FromWebM remuxes the Opus track of a WebM file into Ogg Opus: the same
// packets, so the same sound, in the format the kiosk's packs carry.
func FromWebM(b []byte) ([]byte, error) {
	if !IsWebM(b) {
		return nil, formatf("not WebM either")
	}
	var (
		tracks []*track
		blocks []block
	)
	for pos := 0; pos < len(b); {
		id, n, err := readID(b[pos:])
		if err != nil {
			return nil, fmt.Errorf("webm at byte %d: %w", pos, err)
		}
		pos += n
		size, n, err := readSize(b[pos:])
		if err != nil {
			return nil, fmt.Errorf("webm at byte %d: %w", pos, err)
		}
		pos += n
		if masters[id] {
			if id == idTrackEntry {
				tracks = append(tracks, &track{channels: 1})
			}
			continue
		}
		if size < 0 || size > int64(len(b)-pos) {
			return nil, formatf("webm element %x at byte %d runs past the end", id, pos)
		}
		data := b[pos : pos+int(size)]
		pos += int(size)
		var t *track
		if len(tracks) > 0 {
			t = tracks[len(tracks)-1]
		}
		switch {
		case id == idEBML:
			if !bytes.Contains(data, []byte("webm")) && !bytes.Contains(data, []byte("matroska")) {
				return nil, formatf("an EBML file that is not WebM")
			}
		case id == idSimpleBlock || id == idBlock:
			bl, err := readBlock(data)
			if err != nil {
				return nil, fmt.Errorf("webm block at byte %d: %w", pos-len(data), err)
			}
			blocks = append(blocks, bl)
		case t == nil:
		case id == idTrackNumber:
			t.number = readUint(data)
		case id == idCodecID:
			t.codec = string(bytes.TrimRight(data, "\x00"))
		case id == idCodecPrivate:
			t.private = data
		case id == idChannels:
			t.channels = readUint(data)
		case id == idCodecDelay:
			t.codecDelay = readUint(data)
		}
	}
	var opus *track
	for _, t := range tracks {
		if t.codec == "A_OPUS" {
			opus = t
			break
		}
	}
	if opus == nil {
		return nil, formatf("the WebM file has no Opus track")
	}
	var audio [][]byte
	for _, bl := range blocks {
		if bl.track == opus.number {
			audio = append(audio, bl.frame)
		}
	}
	return Write(opusHead(opus), audio, "tramso")
}

// opusHead is the track's identification header: its CodecPrivate, which
// Matroska defines as exactly that, or one made from the channel count and
// codec delay when a muxer left it out.
func opusHead(t *track) []byte {
	if bytes.HasPrefix(t.private, []byte("OpusHead")) {
		return t.private
	}
	h := append([]byte("OpusHead"), 1, byte(t.channels))
	h = binary.LittleEndian.AppendUint16(h, uint16(t.codecDelay*48000/1e9))
	h = binary.LittleEndian.AppendUint32(h, 48000) // the input's rate, informational
	return append(h, 0, 0, 0)                      // no gain, mapping family 0
}

// readBlock reads a (Simple)Block: track number, relative time, flags and
// one frame. Laced blocks (several frames) are refused: MediaRecorder
// writes one Opus packet per block.
func readBlock(data []byte) (block, error) {
	num, n, err := readSize(data)
	if err != nil || num < 0 || len(data) < n+3 {
		return block{}, errors.New("block header cut short")
	}
	if lacing := data[n+2] >> 1 & 3; lacing != 0 {
		return block{}, errors.New("laced blocks are not supported")
	}
	return block{track: uint64(num), frame: data[n+3:]}, nil
}

// vint is the first n bytes of b, an EBML variable-length integer whose
// length the leading zero bits of its first byte give: at most `most` bytes.
func vint(b []byte, most int, what string) ([]byte, error) {
	if len(b) == 0 || b[0] < 0x80>>(most-1) {
		return nil, formatf("bad element %s", what)
	}
	n := 1
	for m := byte(0x80); b[0]&m == 0; m >>= 1 {
		n++
	}
	if len(b) < n {
		return nil, formatf("element %s cut short", what)
	}
	return b[:n], nil
}

// readID reads an element ID, 1 to 4 bytes, its length marker kept.
func readID(b []byte) (uint32, int, error) {
	raw, err := vint(b, 4, "ID")
	if err != nil {
		return 0, 0, err
	}
	var id uint32
	for _, x := range raw {
		id = id<<8 | uint32(x)
	}
	return id, len(raw), nil
}

// readSize reads a variable-length size, 1 to 8 bytes, without its marker;
// all value bits set means unknown, returned as -1.
func readSize(b []byte) (int64, int, error) {
	raw, err := vint(b, 8, "size")
	if err != nil {
		return 0, 0, err
	}
	n := len(raw)
	v := uint64(b[0]) & (0xFF >> n)
	all := v == 0xFF>>n
	for _, x := range raw[1:] {
		v = v<<8 | uint64(x)
		all = all && x == 0xFF
	}
	if all {
		return -1, n, nil
	}
	if v > 1<<40 {
		return 0, 0, formatf("element size %d", v)
	}
	return int64(v), n, nil
}

func readUint(b []byte) uint64 {
	var v uint64
	for _, x := range b {
		v = v<<8 | uint64(x)
	}
	return v
}
