package oggopus

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"testing"
	"time"
)

// testdata/chromium-156.webm is 1.5 s of Chromium 156's fake microphone
// recorded by MediaRecorder as audio/webm;codecs=opus, the only audio type
// it records: unknown-size segment and clusters, one packet per SimpleBlock.
func chromiumWebM(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/chromium-156.webm")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestFromWebMChromium(t *testing.T) {
	ogg, err := FromWebM(chromiumWebM(t))
	if err != nil {
		t.Fatal(err)
	}
	info, err := Check(ogg)
	if err != nil {
		t.Fatal(err)
	}
	// 1.5 s were asked for; the recorder's start and stop add a little.
	if info.Channels != 1 || info.Duration < 1400*time.Millisecond || info.Duration > 1800*time.Millisecond {
		t.Fatalf("info %+v", info)
	}
}

// opusPacket is a 20 ms CELT packet (configuration 19, one frame) of n+1 bytes.
func opusPacket(n int) []byte {
	return append([]byte{19 << 3}, bytes.Repeat([]byte{0x55}, n)...)
}

func head(preskip uint16) []byte {
	h := append([]byte("OpusHead"), 1, 1)
	h = binary.LittleEndian.AppendUint16(h, preskip)
	h = binary.LittleEndian.AppendUint32(h, 48000)
	return append(h, 0, 0, 0)
}

func TestWriteAndCheck(t *testing.T) {
	audio := [][]byte{}
	for i := range 120 { // 2.4 s; packets of 0 to 600 bytes cross lacing edges
		audio = append(audio, opusPacket(i*5%600))
	}
	audio = append(audio, opusPacket(254), opusPacket(509)) // lacing exactly 255, 510
	ogg, err := Write(head(312), audio, "test")
	if err != nil {
		t.Fatal(err)
	}
	info, err := Check(ogg)
	if err != nil {
		t.Fatal(err)
	}
	want := time.Duration(122*960-312) * time.Second / 48000
	if info.Duration != want || info.PreSkip != 312 || info.Packets != 122 {
		t.Fatalf("info %+v, want duration %v", info, want)
	}
}

func TestCheckRefuses(t *testing.T) {
	good, err := Write(head(0), [][]byte{opusPacket(10), opusPacket(10)}, "test")
	if err != nil {
		t.Fatal(err)
	}
	flip := func(i int) []byte {
		b := bytes.Clone(good)
		b[i] ^= 1
		return b
	}
	noAudio, _ := Write(head(0), [][]byte{opusPacket(1)}, "t")
	cases := map[string][]byte{
		"empty":          nil,
		"garbage":        []byte("this is not audio at all, just words"),
		"wav":            append([]byte("RIFF\x24\x00\x00\x00WAVEfmt "), make([]byte, 40)...),
		"webm unremuxed": chromiumWebM(t),
		"cut short":      good[:len(good)-3],
		"trailing bytes": append(bytes.Clone(good), 0),
		"bad checksum":   flip(len(good) - 1),
		"not opus":       bytes.Replace(bytes.Clone(good), []byte("OpusHead"), []byte("OpusHeaX"), 1),
		"two streams":    append(bytes.Clone(good), good...),
		"header only":    noAudio[:len(noAudio)-pageHeader-2],
	}
	for name, b := range cases {
		if _, err := Check(b); !errors.Is(err, ErrFormat) {
			t.Errorf("%s: %v, want ErrFormat", name, err)
		}
	}
}

func TestFromWebMRefuses(t *testing.T) {
	webm := chromiumWebM(t)
	cases := map[string][]byte{
		"garbage":   []byte("hello"),
		"cut short": webm[:len(webm)-5],
		"no opus":   bytes.Replace(bytes.Clone(webm), []byte("A_OPUS"), []byte("A_VORB"), 1),
	}
	for name, b := range cases {
		if _, err := FromWebM(b); err == nil {
			t.Errorf("%s: remuxed", name)
		}
	}
}

func TestPacketSamples(t *testing.T) {
	cases := []struct {
		p    []byte
		want int
	}{
		{[]byte{0 << 3}, 480},           // SILK 10 ms
		{[]byte{3<<3 | 1}, 2 * 2880},    // SILK 60 ms, two frames
		{[]byte{13<<3 | 2}, 2 * 960},    // hybrid 20 ms, two frames
		{[]byte{16<<3 | 3, 3}, 3 * 120}, // CELT 2.5 ms, three frames
		{[]byte{31<<3 | 3, 6}, 6 * 960}, // 120 ms, the most a packet holds
		{[]byte{31<<3 | 3, 7}, 0},       // too long
		{[]byte{31<<3 | 3}, 0},          // no count
		{nil, 0},
	}
	for _, c := range cases {
		got, err := packetSamples(c.p)
		if got != c.want || (err != nil) != (c.want == 0) {
			t.Errorf("%x: %d %v, want %d", c.p, got, err, c.want)
		}
	}
}

// Uploads are untrusted: whatever the bytes, Check and FromWebM answer
// with a value or an error, never a panic, and what FromWebM makes checks.
func FuzzFromWebM(f *testing.F) {
	webm, err := os.ReadFile("testdata/chromium-156.webm")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(webm)
	f.Add(webm[:300])
	f.Fuzz(func(t *testing.T, b []byte) {
		ogg, err := FromWebM(b)
		if err != nil {
			return
		}
		if _, err := Check(ogg); err != nil && !errors.Is(err, ErrFormat) {
			t.Fatalf("remuxed file: %v", err)
		}
	})
}

func FuzzCheck(f *testing.F) {
	good, err := Write(head(312), [][]byte{opusPacket(300), opusPacket(3)}, "fuzz")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Fuzz(func(t *testing.T, b []byte) {
		if _, err := Check(b); err != nil && !errors.Is(err, ErrFormat) {
			t.Fatalf("%v is not ErrFormat", err)
		}
	})
}
