package pack

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"tramso/kiosk/content"
)

const hashA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
const hashB = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
const hashC = "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"

func validManifest() *Manifest {
	return manifestOf(5, []File{{Path: "pack.yaml", Size: 10, SHA256: hashA}, {Path: "media/a.svg", Size: 3, SHA256: hashB}})
}

func marshal(t *testing.T, m *Manifest) []byte {
	t.Helper()
	raw, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func TestParseManifestRejects(t *testing.T) {
	withFile := func(f File) func(*Manifest) {
		return func(m *Manifest) { m.Files = append(m.Files, f) }
	}
	cases := []struct {
		name  string
		alter func(*Manifest)
		want  Kind
	}{
		{"dot-dot", withFile(File{"../etc/passwd", 1, hashC}), KindBadPath},
		{"dot-dot inside", withFile(File{"media/../../x", 1, hashC}), KindBadPath},
		{"absolute", withFile(File{"/etc/passwd", 1, hashC}), KindBadPath},
		{"backslash", withFile(File{`media\..\x`, 1, hashC}), KindBadPath},
		{"NUL", withFile(File{"media/a\x00.svg", 1, hashC}), KindBadPath},
		{"control", withFile(File{"media/a\n.svg", 1, hashC}), KindBadPath},
		{"empty path", withFile(File{"", 1, hashC}), KindBadPath},
		{"empty segment", withFile(File{"media//a.svg", 1, hashC}), KindBadPath},
		{"dot segment", withFile(File{"./a.svg", 1, hashC}), KindBadPath},
		{"trailing slash", withFile(File{"media/", 1, hashC}), KindBadPath},
		{"duplicate", withFile(File{"pack.yaml", 10, hashA}), KindBadPath},
		{"duplicate other hash", withFile(File{"media/a.svg", 1, hashC}), KindBadPath},
		{"file and folder", withFile(File{"pack.yaml/x", 1, hashC}), KindBadPath},
		{"too long", withFile(File{strings.Repeat("a/", 300) + "x", 1, hashC}), KindBadPath},
		{"oversized file", withFile(File{"media/big.mp3", MaxFileSize + 1, hashA + ""}), KindBadManifest},
		{"negative size", withFile(File{"media/n.svg", -1, hashB}), KindTooLarge},
		{"pack too large", func(m *Manifest) {
			for i := range 11 {
				m.Files = append(m.Files, File{strings.Repeat("x", i+1), MaxFileSize, strings.Repeat(string(rune('0'+i%10)), 64)})
			}
		}, KindTooLarge},
		{"bad hash", withFile(File{"media/c.svg", 1, "abc"}), KindBadManifest},
		{"uppercase hash", withFile(File{"media/c.svg", 1, strings.ToUpper(hashA)}), KindBadManifest},
		{"same hash other size", withFile(File{"media/c.svg", 11, hashA}), KindBadManifest},
		{"format", func(m *Manifest) { m.Format = "zip" }, KindBadManifest},
		{"schema", func(m *Manifest) { m.Schema = 2 }, KindUnknownSchema},
		{"content schema", func(m *Manifest) { m.ContentSchema = 99 }, KindUnknownSchema},
		{"content schema newer than this release's", func(m *Manifest) { m.ContentSchema = content.SchemaVersion + 1 }, KindUnknownSchema},
		{"content schema 0", func(m *Manifest) { m.ContentSchema = 0 }, KindUnknownSchema},
		{"generation 1", func(m *Manifest) { m.Generation = 1 }, KindBadManifest},
		{"negative generation", func(m *Manifest) { m.Generation = -7 }, KindBadManifest},
		{"generation 2^53", func(m *Manifest) { m.Generation = 1 << 53 }, KindBadManifest},
		{"generation in nanoseconds", func(m *Manifest) { m.Generation = 1764250000123456789 }, KindBadManifest},
		{"no files", func(m *Manifest) { m.Files = nil }, KindBadManifest},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := validManifest()
			c.alter(m)
			_, err := ParseManifest(marshal(t, m))
			r, ok := AsRejection(err)
			if !ok {
				t.Fatalf("err = %v, want a %s rejection", err, c.want)
			}
			// Oversized file sizes are reported as too_large even when the hash is also odd.
			if r.Kind != c.want && !(c.name == "oversized file" && r.Kind == KindTooLarge) {
				t.Fatalf("kind %s (%v), want %s", r.Kind, err, c.want)
			}
		})
	}
}

func TestParseManifestRejectsRaw(t *testing.T) {
	good := marshal(t, validManifest())
	cases := []struct {
		name string
		raw  []byte
		want Kind
	}{
		{"empty", nil, KindBadManifest},
		{"not json", []byte("{"), KindBadManifest},
		{"unknown field", bytes.Replace(good, []byte(`"title"`), []byte(`"exec":"rm -rf /","title"`), 1), KindBadManifest},
		{"trailing data", append(append([]byte{}, good...), []byte(`{}`)...), KindBadManifest},
		{"generation as string", bytes.Replace(good, []byte(`"generation":5`), []byte(`"generation":"5"`), 1), KindBadManifest},
		{"generation overflow", bytes.Replace(good, []byte(`"generation":5`), []byte(`"generation":99999999999999999999`), 1), KindBadManifest},
		{"not UTF-8", append([]byte{0xff}, good...), KindBadManifest},
		{"no created", bytes.Replace(good, []byte(`"created"`), []byte(`"created_at"`), 1), KindBadManifest},
		{"zero created", bytes.Replace(good, []byte(`"created":"2025-11-27T13:26:40Z"`), []byte(`"created":"0001-01-01T00:00:00Z"`), 1), KindBadManifest},
		{"oversized", append(good, bytes.Repeat([]byte(" "), MaxManifestSize)...), KindTooLarge},
		{"too many files", manyFiles(MaxFiles + 1), KindTooLarge},
		// A signed manifest with a key twice means two things to two readers.
		{"duplicate generation", bytes.Replace(good, []byte(`"generation":5`), []byte(`"generation":5,"generation":6`), 1), KindBadManifest},
		{"duplicate case-folded", bytes.Replace(good, []byte(`"generation":5`), []byte(`"generation":5,"GENERATION":6`), 1), KindBadManifest},
		{"duplicate inside a file entry", bytes.Replace(good, []byte(`"path":"media/a.svg"`), []byte(`"path":"media/a.svg","path":"../x"`), 1), KindBadManifest},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseManifest(c.raw)
			if r, ok := AsRejection(err); !ok || r.Kind != c.want {
				t.Fatalf("err = %v, want a %s rejection", err, c.want)
			}
		})
	}
	if _, err := ParseManifest(good); err != nil {
		t.Fatalf("valid manifest refused: %v", err)
	}
}

func manyFiles(n int) []byte {
	m := validManifest()
	m.Files = nil
	for i := range n {
		m.Files = append(m.Files, File{Path: fmt.Sprintf("media/%d.svg", i), Size: 1, SHA256: hashA})
	}
	raw, _ := json.Marshal(m)
	return raw
}

func TestCheckPathNonUTF8(t *testing.T) {
	// JSON cannot carry invalid UTF-8 (it decodes as U+FFFD), but source folders can.
	if CheckPath("media/\xff.svg") == nil {
		t.Fatal("non-UTF-8 path accepted")
	}
}

func TestBlobsDistinct(t *testing.T) {
	m := manifestOf(2, []File{{"a", 1, hashA}, {"b", 1, hashA}, {"c", 2, hashB}})
	if got := m.Blobs(); len(got) != 2 || got[0].Path != "a" || got[1].Path != "c" {
		t.Fatalf("Blobs = %v", got)
	}
	if m.TotalSize() != 3 {
		t.Fatalf("TotalSize = %d", m.TotalSize())
	}
}

// FuzzParseManifest: whatever the bytes, the parser never panics, and what it
// accepts satisfies every rule a kiosk relies on when it lays files out.
func FuzzParseManifest(f *testing.F) {
	good, _ := validManifest().Marshal()
	f.Add(good)
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"format":"tramso-pack","schema":1,"content_schema":1,"generation":2,"created":"2026-01-01T00:00:00Z","files":[{"path":"../x","size":1,"sha256":"` + hashA + `"}]}`))
	f.Add([]byte(`{"format":"tramso-pack","schema":1,"content_schema":1,"generation":2,"created":"2026-01-01T00:00:00Z","files":[{"path":"a","size":1,"sha256":"` + hashA + `"},{"path":"a/b","size":1,"sha256":"` + hashB + `"}]}`))
	f.Add(bytes.Replace(good, []byte("media/a.svg"), []byte(`media\\a.svg`), 1))
	f.Add(bytes.Replace(good, []byte("media/a.svg"), []byte(`media/\u0000.svg`), 1))
	f.Fuzz(func(t *testing.T, raw []byte) {
		m, err := ParseManifest(raw)
		if err != nil {
			if _, ok := AsRejection(err); !ok {
				t.Fatalf("error is not a rejection: %v", err)
			}
			return
		}
		if CheckGeneration(m.Generation) != nil || len(m.Files) == 0 || len(m.Files) > MaxFiles {
			t.Fatalf("accepted %+v", m)
		}
		seen := map[string]bool{}
		var total int64
		for _, f := range m.Files {
			if CheckPath(f.Path) != nil || seen[f.Path] || !validHash(f.SHA256) || f.Size < 0 || f.Size > MaxFileSize {
				t.Fatalf("accepted bad file %+v", f)
			}
			seen[f.Path] = true
			total += f.Size
		}
		if total > MaxPackSize {
			t.Fatalf("accepted %d bytes", total)
		}
		// Re-encoding an accepted manifest gives one that is accepted again.
		again, err := m.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ParseManifest(again); err != nil {
			t.Fatalf("re-encoded manifest refused: %v", err)
		}
	})
}
