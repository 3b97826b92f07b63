package pack

import (
	"archive/tar"
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"tramso/kiosk/content"
	"tramso/kiosk/store"
)

// testKey is a fixed province key, so test packs are reproducible.
func testKey(seed byte) ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, ed25519.SeedSize))
}

func pub(k ed25519.PrivateKey) ed25519.PublicKey { return k.Public().(ed25519.PublicKey) }

var (
	provinceKey = testKey(1)
	otherKey    = testKey(2)
	pinned      = []ed25519.PublicKey{pub(provinceKey)}
)

// sourceDir writes the embedded starter to a new folder, plus extra files
// (path → bytes), and checks that it lints clean.
func sourceDir(t testing.TB, extra map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	src := content.Starter()
	err := fs.WalkDir(src, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(src, p)
		if err != nil {
			return err
		}
		return writeTestFile(filepath.Join(dir, p), data)
	})
	if err != nil {
		t.Fatal(err)
	}
	for p, data := range extra {
		if err := writeTestFile(filepath.Join(dir, p), []byte(data)); err != nil {
			t.Fatal(err)
		}
	}
	if probs := LintSource(os.DirFS(dir)); len(probs) > 0 {
		t.Fatalf("test source does not lint clean: %v", probs)
	}
	return dir
}

func writeTestFile(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

// svg is a small valid illustration whose bytes depend on n.
func svg(n int) string {
	return fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><title>test %d</title></svg>`, n)
}

// buildPack builds src with generation gen into a file and returns its path.
func buildPack(t testing.TB, src string, gen int64, keys ...ed25519.PrivateKey) (string, *Signed) {
	t.Helper()
	if len(keys) == 0 {
		keys = []ed25519.PrivateKey{provinceKey}
	}
	path := filepath.Join(t.TempDir(), fmt.Sprintf("pack-%d.tspack", gen))
	var buf bytes.Buffer
	sm, err := Build(os.DirFS(src), BuildOptions{Generation: gen, Keys: keys, Now: time.Unix(1764250000, 0)}, &buf)
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, sm
}

// member is one entry of a hand-made pack file.
type member struct {
	name string
	data []byte
	size int64 // header size; -1: len(data)
}

// writeRawPack writes a tar with exactly the given members, for packs that
// Build would never make.
func writeRawPack(t testing.TB, members []member) string {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, m := range members {
		size := m.size
		if size < 0 {
			size = int64(len(m.data))
		}
		if err := tw.WriteHeader(&tar.Header{Name: m.name, Mode: 0o644, Size: size, Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(m.data); err != nil && size >= int64(len(m.data)) {
			t.Fatal(err)
		}
	}
	// A short member is left short on purpose; tar.Writer.Close would refuse it.
	tw.Flush()
	buf.Write(make([]byte, 1024))
	path := filepath.Join(t.TempDir(), "raw.tspack")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// filesOf makes manifest entries and blobs for path → content.
func filesOf(files map[string]string) ([]File, map[string][]byte) {
	var out []File
	blobs := map[string][]byte{}
	for p, data := range files {
		sum := sha256.Sum256([]byte(data))
		sha := hex.EncodeToString(sum[:])
		out = append(out, File{Path: p, Size: int64(len(data)), SHA256: sha})
		blobs[sha] = []byte(data)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, blobs
}

// starterFiles is the starter content as path → content.
func starterFiles(t testing.TB) map[string]string {
	t.Helper()
	out := map[string]string{}
	src := content.Starter()
	err := fs.WalkDir(src, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(src, p)
		out[p] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// manifestOf returns a valid manifest for files, to be altered by a test.
func manifestOf(gen int64, files []File) *Manifest {
	return &Manifest{Format: FormatName, Schema: FormatVersion, ContentSchema: content.SchemaVersion,
		Generation: gen, Created: time.Unix(1764250000, 0).UTC(), Title: "test", Files: files}
}

// craftPack signs a (possibly hostile) manifest with key and writes a pack
// file holding it and blobs, in manifest order.
func craftPack(t testing.TB, m *Manifest, blobs map[string][]byte, key ed25519.PrivateKey) string {
	t.Helper()
	raw, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return craftRaw(t, raw, m.Files, blobs, key)
}

func craftRaw(t testing.TB, raw []byte, files []File, blobs map[string][]byte, key ed25519.PrivateKey) string {
	t.Helper()
	sig, err := Sign(raw, key)
	if err != nil {
		t.Fatal(err)
	}
	members := []member{{manifestName, raw, -1}, {signatureName, sig, -1}}
	seen := map[string]bool{}
	for _, f := range files {
		if !seen[f.SHA256] {
			seen[f.SHA256] = true
			members = append(members, member{blobPrefix + f.SHA256, blobs[f.SHA256], -1})
		}
	}
	return writeRawPack(t, members)
}

// kiosk is an opened data folder with its content store serving.
type kiosk struct {
	dir   string
	st    *store.Store
	packs *Store
	live  *content.Live
}

func openKiosk(t testing.TB, dir string) *kiosk {
	t.Helper()
	return openKioskPinning(t, dir, pub(provinceKey))
}

// openKioskPinning opens the kiosk on dir as a start does, its config
// pinning keys.
func openKioskPinning(t testing.TB, dir string, keys ...ed25519.PublicKey) *kiosk {
	t.Helper()
	st, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	packs, err := OpenStore(context.Background(), st)
	if err != nil {
		t.Fatal(err)
	}
	live, err := packs.Serve(context.Background(), nil, keys)
	if err != nil {
		t.Fatal(err)
	}
	return &kiosk{dir: dir, st: st, packs: packs, live: live}
}

// shows checks that the kiosk serves generation gen (0: the starter), that it
// loads from disk as such after a restart-like reload, and that every file on
// disk matches the manifest the kiosk trusted for it.
func (k *kiosk) shows(t testing.TB, gen int64) {
	t.Helper()
	got := k.live.Get()
	if gen == 0 {
		if got.Source != content.SourceEmbedded {
			t.Fatalf("serving %s generation %d, want the embedded starter", got.Source, got.Pack.Meta.Generation)
		}
	} else if got.Source != content.SourcePack || got.Pack.Meta.Generation != gen {
		t.Fatalf("serving %s generation %d, want pack generation %d", got.Source, got.Pack.Meta.Generation, gen)
	}
	if err := checkApplied(k.packs, gen); err != nil {
		t.Fatal(err)
	}
}

// checkApplied loads the current generation from disk with content.Load and
// compares generation and every file's sha256 with its manifest.
func checkApplied(s *Store, gen int64) error {
	ctx := context.Background()
	state, err := s.State(ctx)
	if err != nil {
		return err
	}
	if state.Current != gen {
		return fmt.Errorf("current generation %d, want %d", state.Current, gen)
	}
	p, m, err := s.LoadCurrent(ctx)
	if err != nil {
		return err
	}
	if gen == 0 {
		if p != nil {
			return fmt.Errorf("a pack loads although none is current")
		}
		return nil
	}
	if p == nil || p.Meta.Generation != gen || m.Generation != gen {
		return fmt.Errorf("loaded %v, want generation %d", p, gen)
	}
	for _, f := range m.Files {
		data, err := fs.ReadFile(p.Files, f.Path)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		if hex.EncodeToString(sum[:]) != f.SHA256 || int64(len(data)) != f.Size {
			return fmt.Errorf("%s does not match the manifest of generation %d", f.Path, gen)
		}
	}
	return nil
}

// copyDir copies a closed kiosk's data folder, so a test can start from a
// prepared state without applying it again.
func copyDir(t testing.TB, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.MkdirAll(target, info.Mode().Perm()|0o700)
		}
		// Content files are never written in place (only added and removed),
		// so the copy may share them; the database is copied.
		if strings.HasPrefix(rel, "content"+string(filepath.Separator)) && os.Link(p, target) == nil {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, info.Mode().Perm())
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}
