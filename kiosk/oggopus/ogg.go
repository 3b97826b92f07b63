// Package oggopus reads and writes Ogg Opus audio (RFC 7845), the format of
// a person's recording of a screen line in a content pack: it checks that a
// file really is one and how long it plays, and remuxes the WebM/Opus that
// browsers' MediaRecorder produce into it, without decoding the sound.
package oggopus

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"time"
)

// Info is what Check learns of a valid file.
type Info struct {
	Channels int
	PreSkip  int           // samples at 48 kHz the decoder drops at the start
	Duration time.Duration // how long it plays
	Packets  int           // audio packets
}

// ErrFormat is wrapped by every reason a file is not Ogg Opus.
var ErrFormat = errors.New("not Ogg Opus")

func formatf(f string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrFormat, fmt.Sprintf(f, a...))
}

// Page header flags (RFC 3533).
const (
	flagContinued = 0x01
	flagFirst     = 0x02 // beginning of stream
	flagLast      = 0x04 // end of stream
)

const pageHeader = 27

var crcTable = func() (t [256]uint32) {
	for i := range t {
		r := uint32(i) << 24
		for range 8 {
			if r&0x80000000 != 0 {
				r = r<<1 ^ 0x04c11db7
			} else {
				r <<= 1
			}
		}
		t[i] = r
	}
	return t
}()

// crc is Ogg's CRC-32: polynomial 0x04c11db7, not reflected, starting at 0.
func crc(b []byte) uint32 {
	var c uint32
	for _, x := range b {
		c = c<<8 ^ crcTable[byte(c>>24)^x]
	}
	return c
}

// Check reads b as one Ogg Opus stream, verifying every page's checksum and
// sequence and every packet's Opus table of contents, and returns how long
// it plays. A file with more than one stream, or anything after its last
// page, is refused.
func Check(b []byte) (Info, error) {
	var (
		info    Info
		serial  uint32
		packets [][]byte
		partial []byte // a packet continuing on the next page
		granule int64
		samples int64
	)
	for pos, seq := 0, uint32(0); pos < len(b); seq++ {
		if len(b)-pos < pageHeader || string(b[pos:pos+4]) != "OggS" || b[pos+4] != 0 {
			return Info{}, formatf("no Ogg page at byte %d", pos)
		}
		h := b[pos : pos+pageHeader]
		nseg := int(h[26])
		if len(b)-pos < pageHeader+nseg {
			return Info{}, formatf("page %d cut short", seq)
		}
		lacing := b[pos+pageHeader : pos+pageHeader+nseg]
		size := 0
		for _, l := range lacing {
			size += int(l)
		}
		end := pos + pageHeader + nseg + size
		if end > len(b) {
			return Info{}, formatf("page %d cut short", seq)
		}
		page := bytes.Clone(b[pos:end])
		binary.LittleEndian.PutUint32(page[22:], 0)
		if crc(page) != binary.LittleEndian.Uint32(h[22:]) {
			return Info{}, formatf("page %d has a wrong checksum", seq)
		}
		if s := binary.LittleEndian.Uint32(h[14:]); seq == 0 {
			serial = s
		} else if s != serial {
			return Info{}, formatf("more than one stream")
		}
		if binary.LittleEndian.Uint32(h[18:]) != seq {
			return Info{}, formatf("page %d out of sequence", seq)
		}
		if (h[5]&flagFirst != 0) != (seq == 0) {
			return Info{}, formatf("page %d: beginning-of-stream flag misplaced", seq)
		}
		if (h[5]&flagContinued != 0) != (partial != nil) {
			return Info{}, formatf("page %d: continuation flag wrong", seq)
		}
		body := b[pos+pageHeader+nseg : end]
		for _, l := range lacing {
			partial = append(partial, body[:l]...)
			body = body[l:]
			if l < 255 {
				packets = append(packets, partial)
				partial = nil
			}
		}
		if g := int64(binary.LittleEndian.Uint64(h[6:])); g != -1 {
			granule = g
		}
		pos = end
	}
	if partial != nil {
		return Info{}, formatf("the last packet is cut short")
	}
	if len(packets) < 3 {
		return Info{}, formatf("no audio")
	}
	if err := readHead(packets[0], &info); err != nil {
		return Info{}, err
	}
	if !bytes.HasPrefix(packets[1], []byte("OpusTags")) {
		return Info{}, formatf("no OpusTags")
	}
	for i, p := range packets[2:] {
		n, err := packetSamples(p)
		if err != nil {
			return Info{}, formatf("audio packet %d: %v", i, err)
		}
		samples += int64(n)
	}
	info.Packets = len(packets) - 2
	if granule < int64(info.PreSkip) || granule > samples {
		return Info{}, formatf("end position %d outside the %d samples the stream holds", granule, samples)
	}
	info.Duration = time.Duration(granule-int64(info.PreSkip)) * time.Second / 48000
	return info, nil
}

// readHead reads the identification header (RFC 7845 §5.1).
func readHead(p []byte, info *Info) error {
	if len(p) < 19 || string(p[:8]) != "OpusHead" {
		return formatf("no OpusHead")
	}
	if p[8]>>4 != 0 {
		return formatf("OpusHead version %d", p[8])
	}
	info.Channels = int(p[9])
	info.PreSkip = int(binary.LittleEndian.Uint16(p[10:]))
	if info.Channels == 0 || info.Channels > 2 && p[18] == 0 {
		return formatf("OpusHead says %d channels", info.Channels)
	}
	return nil
}

// frameSamples is the length at 48 kHz of one frame for each of the 32
// configurations of an Opus packet's table of contents (RFC 6716 §3.1).
var frameSamples = [32]int{
	480, 960, 1920, 2880, 480, 960, 1920, 2880, 480, 960, 1920, 2880, // SILK
	480, 960, 480, 960, // hybrid
	120, 240, 480, 960, 120, 240, 480, 960, 120, 240, 480, 960, 120, 240, 480, 960, // CELT
}

// packetSamples is how many samples at 48 kHz an Opus packet decodes to.
func packetSamples(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, errors.New("empty packet")
	}
	frames := 1
	switch p[0] & 3 {
	case 1, 2:
		frames = 2
	case 3:
		if len(p) < 2 {
			return 0, errors.New("no frame count")
		}
		frames = int(p[1] & 0x3f)
	}
	n := frames * frameSamples[p[0]>>3]
	if n == 0 || n > 5760 { // at most 120 ms
		return 0, fmt.Errorf("%d frames of %d samples", frames, frameSamples[p[0]>>3])
	}
	return n, nil
}

// writer lays packets out in Ogg pages of one stream.
type writer struct {
	out    bytes.Buffer
	serial uint32
	seq    uint32
}

// page writes packets, each whole, as one page ending at granule.
func (w *writer) page(flags byte, granule int64, packets [][]byte) {
	var lacing, body []byte
	for _, p := range packets {
		for n := len(p); ; n -= 255 {
			if n < 255 {
				lacing = append(lacing, byte(n))
				break
			}
			lacing = append(lacing, 255)
		}
		body = append(body, p...)
	}
	h := make([]byte, pageHeader, pageHeader+len(lacing)+len(body))
	copy(h, "OggS")
	h[5] = flags
	binary.LittleEndian.PutUint64(h[6:], uint64(granule))
	binary.LittleEndian.PutUint32(h[14:], w.serial)
	binary.LittleEndian.PutUint32(h[18:], w.seq)
	h[26] = byte(len(lacing))
	page := append(append(h, lacing...), body...)
	binary.LittleEndian.PutUint32(page[22:], crc(page))
	w.out.Write(page)
	w.seq++
}

// segments is how many lacing values a packet takes.
func segments(p []byte) int { return len(p)/255 + 1 }

// perPage bounds the audio packets of a page: about a second of 20 ms
// packets, so a player seeks without reading far.
const perPage = 50

// Write makes an Ogg Opus file of an identification header (OpusHead) and
// audio packets, with tags naming vendor.
func Write(head []byte, audio [][]byte, vendor string) ([]byte, error) {
	var info Info
	if err := readHead(head, &info); err != nil {
		return nil, err
	}
	if len(audio) == 0 {
		return nil, formatf("no audio")
	}
	tags := binary.LittleEndian.AppendUint32([]byte("OpusTags"), uint32(len(vendor)))
	tags = binary.LittleEndian.AppendUint32(append(tags, vendor...), 0) // no comments
	w := writer{serial: crc(head) | 1}
	w.page(flagFirst, 0, [][]byte{head})
	w.page(0, 0, [][]byte{tags})
	// A page's granule counts every sample decoded so far, the pre-skip
	// ones included (RFC 7845 §4).
	var granule int64
	for len(audio) > 0 {
		var batch [][]byte
		segs := 0
		for len(audio) > 0 && len(batch) < perPage && segs+segments(audio[0]) <= 255 {
			n, err := packetSamples(audio[0])
			if err != nil {
				return nil, formatf("audio packet: %v", err)
			}
			granule += int64(n)
			segs += segments(audio[0])
			batch, audio = append(batch, audio[0]), audio[1:]
		}
		if len(batch) == 0 {
			return nil, formatf("an audio packet of %d bytes", len(audio[0]))
		}
		var flags byte
		if len(audio) == 0 {
			flags = flagLast
		}
		w.page(flags, granule, batch)
	}
	return w.out.Bytes(), nil
}
