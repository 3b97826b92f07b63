package hub

import (
	"archive/tar"
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"sort"
	"testing"
	"time"

	"tramso/kiosk/content"
	"tramso/kiosk/pack"
)

// provinceKey is a fresh province signing key.
func provinceKey(t testing.TB) (ed25519.PublicKey, ed25519.PrivateKey) {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return pub, priv
}

// starterFiles is the embedded starter content as path → bytes, for packs
// that tests then break on purpose.
func starterFiles(t testing.TB) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := fs.WalkDir(content.Starter(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(content.Starter(), p)
		files[p] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// craftPack writes a correctly signed pack file holding files at gen, the
// way a `tramso pack build` without today's checks (an older release, or a
// hostile signer with the key) would: nothing is checked but the format.
func craftPack(t testing.TB, files map[string][]byte, gen int64, key ed25519.PrivateKey) []byte {
	t.Helper()
	return craftPackBuilt(t, files, gen, time.Now(), key)
}

// craftPackBuilt is craftPack with the manifest's build time.
func craftPackBuilt(t testing.TB, files map[string][]byte, gen int64, created time.Time, key ed25519.PrivateKey) []byte {
	t.Helper()
	m := pack.Manifest{Format: pack.FormatName, Schema: pack.FormatVersion, ContentSchema: content.SchemaVersion,
		Generation: gen, Created: created, Title: "crafted"}
	blobs := map[string][]byte{}
	for p, b := range files {
		sum := sha256.Sum256(b)
		sha := hex.EncodeToString(sum[:])
		m.Files = append(m.Files, pack.File{Path: p, Size: int64(len(b)), SHA256: sha})
		blobs[sha] = b
	}
	sort.Slice(m.Files, func(i, j int) bool { return m.Files[i].Path < m.Files[j].Path })
	raw, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	sig, err := pack.Sign(raw, key)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	tw := tar.NewWriter(&out)
	add := func(name string, body []byte) {
		hdr := &tar.Header{Name: name, Mode: 0o644, Size: int64(len(body)), ModTime: time.Now(), Typeflag: tar.TypeReg}
		if err := tw.WriteHeader(hdr); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(body); err != nil {
			t.Fatal(err)
		}
	}
	add("manifest.json", raw)
	add("manifest.sig", sig)
	for _, f := range m.Blobs() {
		add("blobs/"+f.SHA256, blobs[f.SHA256])
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// buildPack is a pack of the starter content as `tramso pack build` makes it.
func buildPack(t testing.TB, gen int64, key ed25519.PrivateKey) []byte {
	t.Helper()
	var file bytes.Buffer
	if _, err := pack.Build(content.Starter(), pack.BuildOptions{Generation: gen, Keys: []ed25519.PrivateKey{key}}, &file); err != nil {
		t.Fatal(err)
	}
	return file.Bytes()
}
