package pack

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tramso/kiosk/content"
)

func TestBuild(t *testing.T) {
	keys := []ed25519.PrivateKey{provinceKey}
	now := time.Date(2026, 11, 27, 13, 0, 0, 0, time.UTC)
	cases := []struct {
		name    string
		prepare func(dir string)
		opts    BuildOptions
		wantErr string // "" = builds
		check   func(t *testing.T, sm *Signed)
	}{
		{"default generation is the build time", nil, BuildOptions{Keys: keys, Now: now}, "", func(t *testing.T, sm *Signed) {
			if sm.Manifest.Generation != now.Unix() {
				t.Fatalf("generation %d", sm.Manifest.Generation)
			}
		}},
		{"dot files are not packed", func(dir string) {
			writeTestFile(filepath.Join(dir, ".git", "config"), []byte("x"))
			writeTestFile(filepath.Join(dir, "media", ".DS_Store"), []byte("x"))
		}, BuildOptions{Keys: keys, Now: now}, "", func(t *testing.T, sm *Signed) {
			for _, f := range sm.Manifest.Files {
				if strings.Contains(f.Path, "/.") || strings.HasPrefix(f.Path, ".") {
					t.Fatalf("packed %s", f.Path)
				}
			}
		}},
		{"two keys sign", nil, BuildOptions{Keys: []ed25519.PrivateKey{provinceKey, otherKey}, Now: now}, "", func(t *testing.T, sm *Signed) {
			if _, err := Verify(sm.Raw, sm.Sig, []ed25519.PublicKey{pub(otherKey)}); err != nil {
				t.Fatal(err)
			}
		}},
		{"clock never set", nil, BuildOptions{Keys: keys, Now: time.Date(1970, 1, 1, 0, 0, 5, 0, time.UTC)}, "clock", nil},
		{"generation 1", nil, BuildOptions{Keys: keys, Now: now, Generation: 1}, "1 is below 2", nil},
		{"generation above 2^53", nil, BuildOptions{Keys: keys, Now: now, Generation: now.UnixNano()}, "outside 1..9007199254740991", nil},
		{"no key", nil, BuildOptions{Now: now, Generation: 5}, "no key", nil},
		{"symlink", func(dir string) { os.Symlink("/etc/passwd", filepath.Join(dir, "media", "x.svg")) },
			BuildOptions{Keys: keys, Now: now}, "media/x.svg: is not a regular file", nil},
		{"content problem", func(dir string) {
			os.WriteFile(filepath.Join(dir, "pack.yaml"), []byte("schema: 1\ngeneration: 1\ntitle: x\nextra: 1\n"), 0o644)
		}, BuildOptions{Keys: keys, Now: now}, "pack.yaml", nil},
		{"advice: a new pack meets every rule, though kiosks show one that breaks a rule of style", func(dir string) {
			file := filepath.Join(dir, "procedures", "khai-sinh.yaml")
			src, _ := os.ReadFile(file)
			os.WriteFile(file, bytes.Replace(src, []byte(`note: {vi: "Có thể làm`), []byte(`note: {vi: "Trên Cổng Dịch vụ công quốc gia; có thể làm`), 1), 0o644)
		}, BuildOptions{Keys: keys, Now: now}, "repeats the way of filing", nil},
		{"oversized file", func(dir string) {
			f, _ := os.Create(filepath.Join(dir, "media", "big.mp3"))
			f.Truncate(MaxFileSize + 1)
			f.Close()
		}, BuildOptions{Keys: keys, Now: now}, "media/big.mp3", nil},
	}
	base := sourceDir(t, nil)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := copyDir(t, base)
			if c.prepare != nil {
				c.prepare(dir)
			}
			var buf bytes.Buffer
			sm, err := Build(os.DirFS(dir), c.opts, &buf)
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("err = %v, want %q", err, c.wantErr)
				}
				var probs content.Problems
				if strings.Contains(c.wantErr, "/") && !errors.As(err, &probs) {
					t.Fatalf("lint problems not returned as content.Problems: %T", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			c.check(t, sm)
			r, err := NewReader(&buf, []ed25519.PublicKey{pub(c.opts.Keys[0])})
			if err != nil || r.Signed().Digest != sm.Digest {
				t.Fatalf("the pack file does not carry the built manifest: %v", err)
			}
		})
	}
}

// FuzzReadPack: whatever a pack file holds, reading it never panics, every
// error is a rejection, and every blob it yields matched the signed manifest.
func FuzzReadPack(f *testing.F) {
	files, blobs := filesOf(map[string]string{"pack.yaml": "schema: 1\n", "media/a.svg": svg(1)})
	m := manifestOf(genA, files)
	raw, _ := m.Marshal()
	sig, _ := Sign(raw, provinceKey)
	for _, members := range [][]member{
		{{manifestName, raw, -1}, {signatureName, sig, -1}, {blobPrefix + files[0].SHA256, blobs[files[0].SHA256], -1}, {blobPrefix + files[1].SHA256, blobs[files[1].SHA256], -1}},
		{{manifestName, raw, -1}, {signatureName, sig, -1}},
		{{manifestName, raw, -1}},
	} {
		data, _ := os.ReadFile(writeRawPack(f, members))
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := NewReader(bytes.NewReader(data), pinned)
		if err != nil {
			if _, ok := AsRejection(err); !ok {
				t.Fatalf("not a rejection: %v", err)
			}
			return
		}
		for {
			bf, body, err := r.Next()
			if err != nil {
				if _, ok := AsRejection(err); !ok && !errors.Is(err, io.EOF) {
					t.Fatalf("not a rejection: %v", err)
				}
				return
			}
			got, err := io.ReadAll(body)
			if err != nil {
				if _, ok := AsRejection(err); !ok {
					t.Fatalf("not a rejection: %v", err)
				}
				return
			}
			if !bytes.Equal(got, blobs[bf.SHA256]) {
				t.Fatalf("blob %s yielded other bytes", bf.Path)
			}
		}
	})
}
