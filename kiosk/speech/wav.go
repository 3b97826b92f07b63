package speech

import (
	"encoding/binary"
	"errors"
	"time"
)

// Format describes a PCM WAV file.
type Format struct {
	Channels      int
	SampleRate    int
	BitsPerSample int
	DataBytes     int // length of the samples
}

// Duration is how long the samples play.
func (f Format) Duration() time.Duration {
	perSecond := f.SampleRate * f.Channels * f.BitsPerSample / 8
	if perSecond <= 0 {
		return 0
	}
	return time.Duration(int64(f.DataBytes) * int64(time.Second) / int64(perSecond))
}

// ParseWAV reads the header of a PCM WAV file and finds its samples.
func ParseWAV(b []byte) (Format, error) {
	f, _, err := parseWAV(b)
	return f, err
}

// parseWAV returns the format and where the data chunk's samples start. A
// data chunk that claims more than the file holds (a streamed header) is
// taken to run to the end of the file.
func parseWAV(b []byte) (Format, int, error) {
	var f Format
	if len(b) < 12 || string(b[0:4]) != "RIFF" || string(b[8:12]) != "WAVE" {
		return f, 0, errors.New("not a RIFF/WAVE file")
	}
	haveFmt := false
	for pos := 12; pos+8 <= len(b); {
		id, size := string(b[pos:pos+4]), int(binary.LittleEndian.Uint32(b[pos+4:pos+8]))
		body := pos + 8
		switch id {
		case "fmt ":
			if size < 16 || body+16 > len(b) {
				return f, 0, errors.New("short fmt chunk")
			}
			if tag := binary.LittleEndian.Uint16(b[body:]); tag != 1 {
				return f, 0, errors.New("not PCM audio")
			}
			f.Channels = int(binary.LittleEndian.Uint16(b[body+2:]))
			f.SampleRate = int(binary.LittleEndian.Uint32(b[body+4:]))
			f.BitsPerSample = int(binary.LittleEndian.Uint16(b[body+14:]))
			if f.Channels < 1 || f.SampleRate < 1 || f.BitsPerSample < 8 || f.BitsPerSample%8 != 0 {
				return f, 0, errors.New("unusable fmt chunk")
			}
			haveFmt = true
		case "data":
			if !haveFmt {
				return f, 0, errors.New("data chunk before fmt chunk")
			}
			if size > len(b)-body {
				size = len(b) - body
			}
			frame := f.Channels * f.BitsPerSample / 8
			f.DataBytes = size - size%frame
			if f.DataBytes == 0 {
				return f, 0, errors.New("no samples")
			}
			return f, body, nil
		}
		pos = body + size + size%2 // chunks are padded to even lengths
	}
	return f, 0, errors.New("no data chunk")
}

// fixWAV checks the engine's output and rewrites the sizes in its header:
// espeak-ng --stdout streams, so it writes placeholder sizes (~2 GB) that
// make players misjudge the length and break seeking with Range requests.
// The file is cut after the samples.
func fixWAV(b []byte) ([]byte, error) {
	f, start, err := parseWAV(b)
	if err != nil {
		return nil, err
	}
	b = b[:start+f.DataBytes]
	binary.LittleEndian.PutUint32(b[4:8], uint32(len(b)-8))
	binary.LittleEndian.PutUint32(b[start-4:start], uint32(f.DataBytes))
	return b, nil
}
