package pack

import (
	"archive/tar"
	"bytes"
	"crypto/ed25519"
	"io"
	"os"
	"strings"
	"testing"
	"time"
)

// buildUnsigned builds src without a key and returns the unsigned pack and
// its manifest.
func buildUnsigned(t testing.TB, src string, opts BuildOptions) (pack, raw []byte) {
	t.Helper()
	var buf bytes.Buffer
	raw, err := BuildUnsigned(os.DirFS(src), opts, &buf)
	if err != nil {
		t.Fatalf("build unsigned: %v", err)
	}
	return buf.Bytes(), raw
}

// TestSignOfflineIsBuild is the promise of offline signing: build without a
// key, sign the manifest elsewhere, attach the signature, and the pack is the
// very bytes `pack build --key` makes of the same folder and generation,
// whatever the clock says and wherever the folder was copied to.
func TestSignOfflineIsBuild(t *testing.T) {
	base := sourceDir(t, map[string]string{"media/extra.svg": svg(1)})
	now := time.Date(2026, 12, 4, 9, 30, 15, 123456789, time.UTC)
	cases := []struct {
		name     string
		signed   BuildOptions
		unsigned BuildOptions
		keys     []ed25519.PrivateKey
	}{
		{"explicit generation, other clocks",
			BuildOptions{Generation: 1764800000, Now: now},
			BuildOptions{Generation: 1764800000, Now: now.Add(37 * time.Hour)},
			[]ed25519.PrivateKey{provinceKey}},
		{"default generation, then the same one given",
			BuildOptions{Now: now},
			BuildOptions{Generation: now.Unix()},
			[]ed25519.PrivateKey{provinceKey}},
		{"small hand-picked generation", BuildOptions{Generation: 7}, BuildOptions{Generation: 7}, []ed25519.PrivateKey{provinceKey}},
		{"key rotation: two keys", BuildOptions{Generation: 1764800001}, BuildOptions{Generation: 1764800001},
			[]ed25519.PrivateKey{provinceKey, otherKey}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.signed.Keys = c.keys
			var want bytes.Buffer
			built, err := Build(os.DirFS(copyDir(t, base)), c.signed, &want)
			if err != nil {
				t.Fatal(err)
			}
			unsigned, raw := buildUnsigned(t, copyDir(t, base), c.unsigned)
			if !bytes.Equal(raw, built.Raw) {
				t.Fatalf("the manifest to sign differs from the one build signed:\n%s\n%s", raw, built.Raw)
			}
			signed, err := SignManifest(raw, c.keys...)
			if err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			sm, err := Attach(bytes.NewReader(unsigned), signed.Sig, []ed25519.PublicKey{pub(c.keys[len(c.keys)-1])}, &got)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), want.Bytes()) {
				t.Fatalf("attached pack (%d bytes) differs from the built one (%d bytes)", got.Len(), want.Len())
			}
			if sm.Digest != built.Digest || sm.Manifest.Created != time.Unix(sm.Manifest.Generation, 0).UTC() {
				t.Fatalf("digest %s, built %s; created %s for generation %d", sm.Digest, built.Digest, sm.Manifest.Created, sm.Manifest.Generation)
			}
			if _, err := NewReader(bytes.NewReader(got.Bytes()), pinned); err != nil {
				t.Fatalf("a kiosk refuses the attached pack: %v", err)
			}
		})
	}
}

// TestUnsignedPackIsRefusedByKiosks: an unsigned pack that escapes to a USB
// stick or a hub is refused for what it is.
func TestUnsignedPackIsRefusedByKiosks(t *testing.T) {
	unsigned, _ := buildUnsigned(t, sourceDir(t, nil), BuildOptions{Generation: 5})
	_, err := NewReader(bytes.NewReader(unsigned), pinned)
	if r, ok := AsRejection(err); !ok || r.Kind != KindMissingSignature {
		t.Fatalf("err = %v, want %s", err, KindMissingSignature)
	}
	if _, err := BuildUnsigned(os.DirFS(sourceDir(t, nil)), BuildOptions{Generation: 5, Keys: []ed25519.PrivateKey{provinceKey}}, io.Discard); err == nil {
		t.Fatal("BuildUnsigned took a key and did not say so")
	}
}

func TestAttachRefuses(t *testing.T) {
	src := sourceDir(t, nil)
	unsigned, raw := buildUnsigned(t, src, BuildOptions{Generation: 1764800000})
	_, otherRaw := buildUnsigned(t, src, BuildOptions{Generation: 1764800001})
	sig := mustSign(t, raw, provinceKey)
	var signedPack bytes.Buffer
	if _, err := Build(os.DirFS(src), BuildOptions{Generation: 1764800000, Keys: []ed25519.PrivateKey{provinceKey}}, &signedPack); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name     string
		unsigned []byte
		sig      []byte
		keys     []ed25519.PublicKey
		kind     Kind
		words    string
	}{
		{"signed by a key not pinned", unsigned, mustSign(t, raw, otherKey), pinned, KindUnknownKey, "none of which is pinned"},
		{"signature over another manifest", unsigned, mustSign(t, otherRaw, provinceKey), pinned, KindBadSignature, "does not verify"},
		{"signature file cut short", unsigned, sig[:len(sig)/2], pinned, KindBadSignature, "not valid"},
		{"signature cut inside the base64", unsigned, cutSignature(t, sig), pinned, KindBadSignature, "does not verify"},
		{"empty signature file", unsigned, nil, pinned, KindMissingSignature, "not signed"},
		{"no key given", unsigned, sig, nil, KindUnknownKey, "pins no province key"},
		{"pack already signed", signedPack.Bytes(), sig, pinned, KindBadPackFile, "already holds a manifest.sig"},
		{"blob edited", bytes.Replace(unsigned, []byte("generation: 1"), []byte("generation: 7"), 1), sig, pinned, KindHashMismatch, "pack.yaml"},
		{"unsigned pack cut short", unsigned[:len(unsigned)/2], sig, pinned, KindBadPackFile, "unsigned pack"},
		{"a blob missing", dropLastBlob(t, unsigned), sig, pinned, KindMissingFile, "lacks"},
		{"unsigned pack cut at an entry's edge", cutAtLastEntry(t, unsigned), sig, pinned, KindBadPackFile, "cut short"},
		{"unsigned pack without its end mark", unsigned[:len(unsigned)-1024], sig, pinned, KindBadPackFile, "cut short"},
		{"an entry after the blobs", appendEntry(t, unsigned, "blobs/extra"), sig, pinned, KindBadPackFile, "goes on after"},
		{"not a pack", []byte("hello"), sig, pinned, KindBadPackFile, "not a pack file"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Attach(bytes.NewReader(c.unsigned), c.sig, c.keys, io.Discard)
			r, ok := AsRejection(err)
			if !ok || r.Kind != c.kind || !strings.Contains(err.Error(), c.words) {
				t.Fatalf("err = %v, want %s saying %q", err, c.kind, c.words)
			}
		})
	}
}

func TestSignManifestRefuses(t *testing.T) {
	_, raw := buildUnsigned(t, sourceDir(t, nil), BuildOptions{Generation: 5})
	cases := []struct {
		name  string
		raw   []byte
		keys  []ed25519.PrivateKey
		words string
	}{
		{"no key", raw, nil, "no key"},
		{"not a manifest", []byte(`{"hello":1}`), []ed25519.PrivateKey{provinceKey}, "kiosks would refuse"},
		{"generation 1", bytes.Replace(raw, []byte(`"generation":5`), []byte(`"generation":1`), 1), []ed25519.PrivateKey{provinceKey}, "below 2"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := SignManifest(c.raw, c.keys...); err == nil || !strings.Contains(err.Error(), c.words) {
				t.Fatalf("err = %v, want %q", err, c.words)
			}
		})
	}
}

func mustSign(t testing.TB, raw []byte, keys ...ed25519.PrivateKey) []byte {
	t.Helper()
	sm, err := SignManifest(raw, keys...)
	if err != nil {
		t.Fatal(err)
	}
	return sm.Sig
}

// cutSignature shortens the base64 of the signature itself, leaving valid
// JSON: a signature of the wrong length.
func cutSignature(t testing.TB, sig []byte) []byte {
	t.Helper()
	i := bytes.Index(sig, []byte(`"sig": "`))
	if i < 0 {
		t.Fatalf("no sig field in %s", sig)
	}
	start := i + len(`"sig": "`)
	return append(append([]byte{}, sig[:start]...), sig[start+8:]...)
}

// retar rewrites a tar's entries through edit.
func retar(t testing.TB, data []byte, edit func([]member) []member) []byte {
	t.Helper()
	tr := tar.NewReader(bytes.NewReader(data))
	var members []member
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(tr)
		if err != nil {
			t.Fatal(err)
		}
		members = append(members, member{hdr.Name, body, -1})
	}
	out, err := os.ReadFile(writeRawPack(t, edit(members)))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func dropLastBlob(t testing.TB, data []byte) []byte {
	return retar(t, data, func(m []member) []member { return m[:len(m)-1] })
}

// cutAtLastEntry is data cut where its last entry starts: every entry before
// it whole, the file stopping at an entry's edge as a copy cut short may.
func cutAtLastEntry(t testing.TB, data []byte) []byte {
	t.Helper()
	r := bytes.NewReader(data)
	tr := tar.NewReader(r)
	last := -1
	for {
		_, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		last = len(data) - r.Len() - 512 // the names are short: one header block
		if _, err := io.Copy(io.Discard, tr); err != nil {
			t.Fatal(err)
		}
	}
	if last < 0 {
		t.Fatal("no entries")
	}
	return data[:last]
}

func appendEntry(t testing.TB, data []byte, name string) []byte {
	return retar(t, data, func(m []member) []member { return append(m, member{name, []byte("x"), -1}) })
}
