package pack

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"tramso/kiosk/content"
	"tramso/kiosk/store"
)

const genA, genB = 1764250000, 1764260000

// appliedA is a kiosk that has applied generation A from a pack file.
func appliedA(t testing.TB) (*kiosk, string) {
	t.Helper()
	src := sourceDir(t, map[string]string{"media/test/a.svg": svg(1), "media/test/same.svg": svg(1)})
	file, _ := buildPack(t, src, genA)
	k := openKiosk(t, t.TempDir())
	k.shows(t, 0)
	if _, err := k.packs.ApplyFile(context.Background(), file, pinned, "usb"); err != nil {
		t.Fatalf("apply A: %v", err)
	}
	k.shows(t, genA)
	return k, src
}

func TestApplyAndRestart(t *testing.T) {
	k, _ := appliedA(t)
	k.st.Close()
	again := openKiosk(t, k.dir) // a restart serves the applied pack
	again.shows(t, genA)
	status, err := again.packs.Status(context.Background())
	if err != nil || status.Source != "pack" || status.Applied == nil || status.Applied.Generation != genA ||
		status.Applied.AppliedVia != "usb" || len(status.Rejections) != 0 {
		t.Fatalf("status = %+v, %v", status, err)
	}
}

// TestPackNamedByItsManifest: a pack built with a title of its own is named
// by it in its manifest, on the staff panel and on the home screen; built
// without, by pack.yaml's.
func TestPackNamedByItsManifest(t *testing.T) {
	src := sourceDir(t, nil)
	var buf bytes.Buffer
	const title = "Lệ phí khai sinh quá hạn; Bài QR"
	sm, err := Build(os.DirFS(src), BuildOptions{Generation: genA, Title: "  " + title + " ", Keys: []ed25519.PrivateKey{provinceKey}}, &buf)
	if err != nil || sm.Manifest.Title != title {
		t.Fatalf("manifest title %q, %v", sm.Manifest.Title, err)
	}
	file := filepath.Join(t.TempDir(), "titled.tspack")
	if err := os.WriteFile(file, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	k := openKiosk(t, t.TempDir())
	if _, err := k.packs.ApplyFile(context.Background(), file, []ed25519.PublicKey{pub(provinceKey)}, "usb"); err != nil {
		t.Fatal(err)
	}
	if status, err := k.packs.Status(context.Background()); err != nil || status.Title != title {
		t.Fatalf("staff panel title %q, %v", status.Title, err)
	}
	if shown := k.live.Get().Pack.Meta.Title; shown != title {
		t.Fatalf("the home screen's title %q, want the manifest's", shown)
	}
	_, plain := buildPack(t, src, genA+1)
	yaml, err := content.Load(os.DirFS(src))
	if err != nil || plain.Manifest.Title != yaml.Meta.Title {
		t.Fatalf("without a title: %q, want pack.yaml's (%v)", plain.Manifest.Title, err)
	}
}

// TestRejections: every kind of bad pack is refused with its kind, recorded
// for staff mode, and the kiosk keeps serving generation A, complete.
func TestRejections(t *testing.T) {
	starter := starterFiles(t)
	goodFiles, goodBlobs := filesOf(starter)
	good := func() *Manifest { return manifestOf(genB, append([]File(nil), goodFiles...)) }
	withFile := func(f File) *Manifest { m := good(); m.Files = append(m.Files, f); return m }
	sha := goodFiles[0].SHA256
	cases := []struct {
		name string
		pack func(t *testing.T, src string) string
		want Kind
	}{
		{"garbage file", func(t *testing.T, _ string) string { return writeFileT(t, []byte("not a tar at all")) }, KindBadPackFile},
		{"truncated file", func(t *testing.T, src string) string {
			p, _ := buildPack(t, src, genB)
			data, _ := os.ReadFile(p)
			return writeFileT(t, data[:len(data)/2])
		}, KindBadPackFile},
		{"file cut at an entry's edge", func(t *testing.T, src string) string {
			p, _ := buildPack(t, src, genB)
			data, _ := os.ReadFile(p)
			return writeFileT(t, cutAtLastEntry(t, data))
		}, KindBadPackFile},
		{"missing signature", func(t *testing.T, _ string) string {
			raw := marshal(t, good())
			return writeRawPack(t, []member{{manifestName, raw, -1}, {blobPrefix + sha, goodBlobs[sha], -1}})
		}, KindMissingSignature},
		{"empty signature", func(t *testing.T, _ string) string {
			return writeRawPack(t, []member{{manifestName, marshal(t, good()), -1}, {signatureName, nil, -1}})
		}, KindMissingSignature},
		{"bad signature", func(t *testing.T, _ string) string {
			raw := marshal(t, good())
			sig, _ := Sign(raw, provinceKey)
			raw = bytes.Replace(raw, []byte(`"title":"test"`), []byte(`"title":"evil"`), 1)
			return writeRawPack(t, []member{{manifestName, raw, -1}, {signatureName, sig, -1}})
		}, KindBadSignature},
		{"unknown key", func(t *testing.T, src string) string { p, _ := buildPack(t, src, genB, otherKey); return p }, KindUnknownKey},
		{"older generation", func(t *testing.T, src string) string { p, _ := buildPack(t, src, genA-1); return p }, KindNotNewer},
		{"different manifest for a seen generation", func(t *testing.T, _ string) string {
			src := sourceDir(t, map[string]string{"media/test/a.svg": svg(99)})
			p, _ := buildPack(t, src, genA)
			return p
		}, KindConflict},
		{"hash mismatch", func(t *testing.T, _ string) string {
			m := good()
			blobs := cloneBlobs(goodBlobs)
			b := blobs[sha]
			b[len(b)-1] ^= 1
			return craftPack(t, m, blobs, provinceKey)
		}, KindHashMismatch},
		{"size mismatch", func(t *testing.T, _ string) string {
			m := good()
			blobs := cloneBlobs(goodBlobs)
			blobs[sha] = append(blobs[sha], '\n')
			return craftPack(t, m, blobs, provinceKey)
		}, KindSizeMismatch},
		{"missing file", func(t *testing.T, _ string) string {
			m := good()
			raw := marshal(t, m)
			sig, _ := Sign(raw, provinceKey)
			return writeRawPack(t, []member{{manifestName, raw, -1}, {signatureName, sig, -1}})
		}, KindMissingFile},
		{"extra entry", func(t *testing.T, _ string) string {
			m := good()
			raw := marshal(t, m)
			sig, _ := Sign(raw, provinceKey)
			return writeRawPack(t, []member{{manifestName, raw, -1}, {signatureName, sig, -1}, {"blobs/../../evil", []byte("x"), -1}})
		}, KindBadPackFile},
		{"path ..", func(t *testing.T, _ string) string {
			return craftPack(t, withFile(File{"../escape.svg", goodFiles[0].Size, sha}), goodBlobs, provinceKey)
		}, KindBadPath},
		{"path absolute", func(t *testing.T, _ string) string {
			return craftPack(t, withFile(File{"/etc/cron.d/x", goodFiles[0].Size, sha}), goodBlobs, provinceKey)
		}, KindBadPath},
		{"path backslash", func(t *testing.T, _ string) string {
			return craftPack(t, withFile(File{`media\..\..\x`, goodFiles[0].Size, sha}), goodBlobs, provinceKey)
		}, KindBadPath},
		{"path NUL", func(t *testing.T, _ string) string {
			return craftPack(t, withFile(File{"media/x\x00.svg", goodFiles[0].Size, sha}), goodBlobs, provinceKey)
		}, KindBadPath},
		{"path empty", func(t *testing.T, _ string) string {
			return craftPack(t, withFile(File{"", goodFiles[0].Size, sha}), goodBlobs, provinceKey)
		}, KindBadPath},
		{"path duplicate", func(t *testing.T, _ string) string {
			return craftPack(t, withFile(goodFiles[0]), goodBlobs, provinceKey)
		}, KindBadPath},
		{"oversized manifest", func(t *testing.T, _ string) string {
			m := good()
			m.Title = ""
			raw := marshal(t, m)
			raw = append(raw, bytes.Repeat([]byte(" "), MaxManifestSize)...)
			return craftRaw(t, raw, m.Files, goodBlobs, provinceKey)
		}, KindTooLarge},
		{"oversized file", func(t *testing.T, _ string) string {
			return craftPack(t, withFile(File{"media/huge.mp3", MaxFileSize + 1, strings.Repeat("d", 64)}), goodBlobs, provinceKey)
		}, KindTooLarge},
		{"unknown manifest schema", func(t *testing.T, _ string) string {
			m := good()
			m.Schema = 2
			return craftPack(t, m, goodBlobs, provinceKey)
		}, KindUnknownSchema},
		{"unknown content schema", func(t *testing.T, _ string) string {
			m := good()
			m.ContentSchema = 2
			return craftPack(t, m, goodBlobs, provinceKey)
		}, KindUnknownSchema},
		{"content that does not load", func(t *testing.T, _ string) string {
			files := starterFiles(t)
			files["pack.yaml"] += "unknown_field: 1\n"
			fs, blobs := filesOf(files)
			return craftPack(t, manifestOf(genB, fs), blobs, provinceKey)
		}, KindBadContent},
	}
	// One kiosk on generation A, copied for each case: applying A is the slow part.
	template, src := appliedA(t)
	template.st.Close()
	next, _ := buildPack(t, src, genB+1)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			k := openKiosk(t, copyDir(t, template.dir))
			file := c.pack(t, src)
			_, err := k.packs.ApplyFile(context.Background(), file, pinned, "usb")
			r, ok := AsRejection(err)
			if !ok || r.Kind != c.want {
				t.Fatalf("err = %v, want a %s rejection", err, c.want)
			}
			k.shows(t, genA)
			state, _ := k.packs.State(context.Background())
			if state.Highest != genA {
				t.Fatalf("highest = %d after a refused pack", state.Highest)
			}
			rej, _ := k.st.RecentContentRejections(context.Background(), 5)
			if len(rej) != 1 || rej[0].Kind != string(c.want) || rej[0].Source != "usb" || rej[0].Detail == "" {
				t.Fatalf("recorded rejections = %+v", rej)
			}
			assertTidy(t, k)
			// The refused pack leaves the kiosk able to take the next good one.
			if _, err := k.packs.ApplyFile(context.Background(), next, pinned, "usb"); err != nil {
				t.Fatalf("good pack after a refused one: %v", err)
			}
			k.shows(t, genB+1)
		})
	}
}

func writeFileT(t *testing.T, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "x.tspack")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func cloneBlobs(in map[string][]byte) map[string][]byte {
	out := map[string][]byte{}
	for k, v := range in {
		out[k] = append([]byte(nil), v...)
	}
	return out
}

// assertTidy checks that nothing of a refused pack is left in the store:
// no staging, no extra generation.
func assertTidy(t *testing.T, k *kiosk) {
	t.Helper()
	staged, _ := os.ReadDir(filepath.Join(k.packs.Dir(), "staging"))
	gens, _ := os.ReadDir(filepath.Join(k.packs.Dir(), "generations"))
	if len(staged) != 0 || len(gens) != 1 {
		t.Fatalf("store after refusal: %d staged, %d generations", len(staged), len(gens))
	}
}

func TestRollback(t *testing.T) {
	ctx := context.Background()
	k, src := appliedA(t)
	fileB, _ := buildPack(t, src, genB)
	if _, err := k.packs.ApplyFile(ctx, fileB, pinned, "usb"); err != nil {
		t.Fatal(err)
	}
	k.shows(t, genB)
	state, err := k.packs.Rollback(ctx)
	if err != nil || state.Current != genA || state.Highest != genB {
		t.Fatalf("rollback = %+v, %v", state, err)
	}
	k.shows(t, genA)
	// B is not re-applied: the kiosk moves forward only to something newer.
	if _, err := k.packs.ApplyFile(ctx, fileB, pinned, "usb"); !isKind(err, KindNotNewer) {
		t.Fatalf("re-apply B after rollback: %v", err)
	}
	if state, err = k.packs.Rollback(ctx); err != nil || state.Current != 0 {
		t.Fatalf("second rollback = %+v, %v", state, err)
	}
	k.shows(t, 0)
	if _, err := k.packs.Rollback(ctx); !errors.Is(err, store.ErrNothingToRestore) {
		t.Fatalf("rollback past the starter: %v", err)
	}
}

func isKind(err error, kind Kind) bool {
	r, ok := AsRejection(err)
	return ok && r.Kind == kind
}

// TestUpdateTransfersOnlyChanges: after A, a B that changes one file needs
// only that blob; a republished A needs none.
func TestUpdateTransfersOnlyChanges(t *testing.T) {
	ctx := context.Background()
	k, src := appliedA(t)
	if err := os.WriteFile(filepath.Join(src, "media/test/a.svg"), []byte(svg(2)), 0o644); err != nil {
		t.Fatal(err)
	}
	_, smB := buildPack(t, src, genB)
	missing := k.packs.Missing(smB.Manifest)
	if len(missing) != 1 || missing[0].Path != "media/test/a.svg" {
		t.Fatalf("missing = %+v", missing)
	}
	_, m, err := k.packs.LoadCurrent(ctx)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := Republish(m, genB+5, m.Created)
	if err != nil {
		t.Fatal(err)
	}
	sig, err := Sign(raw, provinceKey)
	if err != nil {
		t.Fatal(err)
	}
	sm, err := k.packs.Accept(ctx, raw, sig, pinned, "hub")
	if err != nil {
		t.Fatal(err)
	}
	if missing := k.packs.Missing(sm.Manifest); len(missing) != 0 {
		t.Fatalf("republished pack needs %d blobs", len(missing))
	}
	if _, err := k.packs.Apply(ctx, sm, "hub"); err != nil {
		t.Fatal(err)
	}
	k.shows(t, genB+5)
}

// TestResumeBlob: a cut transfer keeps its bytes; the rest completes it; a
// wrong byte anywhere is caught at the end and the partial is dropped.
func TestResumeBlob(t *testing.T) {
	k := openKiosk(t, t.TempDir())
	data := bytes.Repeat([]byte("trạm số "), 5000)
	files, _ := filesOf(map[string]string{"media/x.mp3": string(data)})
	f := files[0]
	w, err := k.packs.ResumeBlob(f)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(data[:12345])
	w.Close() // the link drops
	w, err = k.packs.ResumeBlob(f)
	if err != nil || w.Offset() != 12345 {
		t.Fatalf("resume offset %d, %v", w.Offset(), err)
	}
	if err := w.Commit(); !isKind(err, KindSizeMismatch) {
		t.Fatalf("commit of a short blob: %v", err)
	}
	w.Write(data[12345:])
	if _, err := w.Write([]byte("more")); !isKind(err, KindSizeMismatch) {
		t.Fatalf("write past the end: %v", err)
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	if !k.packs.HasBlob(f) || len(k.packs.Missing(manifestOf(2, files))) != 0 {
		t.Fatal("committed blob is not held")
	}

	// Corruption in the part held from before the cut.
	other := append([]byte(nil), data...)
	other[0] = 'X'
	files, _ = filesOf(map[string]string{"media/y.mp3": string(data) + "y"})
	g := files[0]
	w, _ = k.packs.ResumeBlob(g)
	w.Write(other[:100])
	w.Close()
	w, _ = k.packs.ResumeBlob(g)
	w.Write(append(other[100:], 'y'))
	if err := w.Commit(); !isKind(err, KindHashMismatch) {
		t.Fatalf("commit of a corrupt blob: %v", err)
	}
	if k.packs.HasBlob(g) {
		t.Fatal("corrupt blob stored")
	}
	if _, err := os.Stat(k.packs.blobPath(g.SHA256) + ".partial"); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("corrupt partial kept")
	}
	if err := k.packs.PutBlob(g, bytes.NewReader(other)); !isKind(err, KindSizeMismatch) && !isKind(err, KindHashMismatch) {
		t.Fatalf("PutBlob of wrong bytes: %v", err)
	}
}

// TestFallbackToStarter: an applied generation that no longer loads (disk
// damage) is reported, and the kiosk shows the starter instead of nothing.
func TestFallbackToStarter(t *testing.T) {
	k, _ := appliedA(t)
	k.st.Close()
	if err := os.Remove(filepath.Join(k.dir, "content", "generations", "1764250000", "files", "pack.yaml")); err != nil {
		t.Fatal(err)
	}
	again := openKiosk(t, k.dir)
	if got := again.live.Get(); got.Source != content.SourceEmbedded {
		t.Fatalf("source %s", got.Source)
	}
	status, err := again.packs.Status(context.Background())
	if err != nil || !strings.Contains(status.Fallback, "does not load") || status.State.Current != genA {
		t.Fatalf("status = %+v, %v", status, err)
	}
}

func TestVerifyFile(t *testing.T) {
	src := sourceDir(t, nil)
	file, sm := buildPack(t, src, genA)
	got, err := VerifyFile(file, pinned)
	if err != nil || got.Digest != sm.Digest {
		t.Fatalf("VerifyFile = %v, %v", got, err)
	}
	if _, err := VerifyFile(file, nil); !isKind(err, KindUnknownKey) {
		t.Fatalf("no keys: %v", err)
	}
}

// TestHubFlow follows the update client: accept the manifest, fetch what is
// missing blob by blob, apply. Applying early is refused and changes nothing.
func TestHubFlow(t *testing.T) {
	ctx := context.Background()
	k, src := appliedA(t)
	os.WriteFile(filepath.Join(src, "media/test/a.svg"), []byte(svg(3)), 0o644)
	os.WriteFile(filepath.Join(src, "media/test/new.svg"), []byte(svg(4)), 0o644)
	file, built := buildPack(t, src, genB)
	blobs := readBlobs(t, file)

	sm, err := k.packs.Accept(ctx, built.Raw, built.Sig, pinned, "hub")
	if err != nil {
		t.Fatal(err)
	}
	missing := k.packs.Missing(sm.Manifest)
	if len(missing) != 2 {
		t.Fatalf("missing %+v", missing)
	}
	if err := k.packs.PutBlob(missing[0], bytes.NewReader(blobs[missing[0].SHA256])); err != nil {
		t.Fatal(err)
	}
	if _, err := k.packs.Apply(ctx, sm, "hub"); !isKind(err, KindMissingFile) {
		t.Fatalf("apply with a blob missing: %v", err)
	}
	k.shows(t, genA)
	if err := k.packs.PutBlob(missing[1], bytes.NewReader(blobs[missing[1].SHA256])); err != nil {
		t.Fatal(err)
	}
	if _, err := k.packs.Apply(ctx, sm, "hub"); err != nil {
		t.Fatal(err)
	}
	k.shows(t, genB)
	// Only the blobs of the current and previous generations are kept.
	_, mA, _ := k.packs.LoadCurrent(ctx)
	if n := countBlobs(t, k); n > len(mA.Blobs())+2 {
		t.Fatalf("%d blobs kept", n)
	}
}

func readBlobs(t *testing.T, file string) map[string][]byte {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := NewReader(f, pinned)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for {
		bf, body, err := r.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out[bf.SHA256], _ = io.ReadAll(body)
	}
}

func countBlobs(t *testing.T, k *kiosk) int {
	entries, err := os.ReadDir(filepath.Join(k.packs.Dir(), "blobs"))
	if err != nil {
		t.Fatal(err)
	}
	return len(entries)
}

// TestFallbackToPrevious: when the current generation no longer loads but
// the one before it is whole and signed, the kiosk shows that one, the
// province's content of yesterday, not the starter; staff are told why.
func TestFallbackToPrevious(t *testing.T) {
	k, src := appliedA(t)
	fileB, _ := buildPack(t, src, genB)
	if _, err := k.packs.ApplyFile(context.Background(), fileB, pinned, "usb"); err != nil {
		t.Fatal(err)
	}
	k.st.Close()
	if err := os.RemoveAll(filepath.Join(k.dir, "content", "generations", strconv.Itoa(genB))); err != nil {
		t.Fatal(err)
	}
	again := openKiosk(t, k.dir)
	if got := again.live.Get(); got.Source != content.SourcePack || got.Pack.Meta.Generation != genA {
		t.Fatalf("serving %s generation %d, want the previous pack %d", got.Source, got.Pack.Meta.Generation, genA)
	}
	status, err := again.packs.Status(context.Background())
	if err != nil || !strings.Contains(status.Fallback, "showing the previous one (generation 1764250000)") || status.State.Current != genB {
		t.Fatalf("status = %+v, %v", status, err)
	}
}

// TestFallbackNamesThePackShown: staff read the name of the pack the kiosk
// shows, as the hub's console names it — the previous pack's own, when the
// applied one cannot show — not pack.yaml's title, the same in every pack
// (outside QA R17).
func TestFallbackNamesThePackShown(t *testing.T) {
	src := sourceDir(t, map[string]string{"media/test/a.svg": svg(1)})
	k := openKiosk(t, t.TempDir())
	for _, p := range []struct {
		gen   int64
		title string
	}{{genA, "Gói A (lệ phí 2026)"}, {genB, "Gói B (khóa mới)"}} {
		var buf bytes.Buffer
		if _, err := Build(os.DirFS(src), BuildOptions{Generation: p.gen, Title: p.title, Keys: []ed25519.PrivateKey{provinceKey},
			Now: time.Unix(1764250000, 0)}, &buf); err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(t.TempDir(), "p.tspack")
		if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := k.packs.ApplyFile(context.Background(), file, pinned, "usb"); err != nil {
			t.Fatal(err)
		}
	}
	if status, err := k.packs.Status(context.Background()); err != nil || status.Title != "Gói B (khóa mới)" {
		t.Fatalf("the applied pack shown: title %q, %v", status.Title, err)
	}
	k.st.Close()
	if err := os.RemoveAll(filepath.Join(k.dir, "content", "generations", strconv.Itoa(genB))); err != nil {
		t.Fatal(err)
	}
	status, err := openKiosk(t, k.dir).packs.Status(context.Background())
	if err != nil || status.Generation != genA || status.Title != "Gói A (lệ phí 2026)" {
		t.Fatalf("the previous pack shown: generation %d, title %q, %v; want %d, its own title", status.Generation, status.Title, err, genA)
	}
}

// TestHandNumberedPackHasNoBuildDate: the record staff mode reads gives a
// pack's build time, and none for a generation numbered by hand (its
// manifest's "created" reads as 1970, which the staff API used to return).
func TestHandNumberedPackHasNoBuildDate(t *testing.T) {
	src := sourceDir(t, nil)
	k := openKiosk(t, t.TempDir())
	ctx := context.Background()
	for _, c := range []struct {
		gen     int64
		created string
	}{{4101, ""}, {genA, "2025-11-27T13:26:40Z"}} {
		file, _ := buildPack(t, src, c.gen)
		if _, err := k.packs.ApplyFile(ctx, file, pinned, "usb"); err != nil {
			t.Fatalf("apply %d: %v", c.gen, err)
		}
		status, err := k.packs.Status(ctx)
		if err != nil || status.Applied == nil || status.Applied.Generation != c.gen || status.Applied.Created != c.created {
			t.Fatalf("generation %d: applied %+v, %v; want created %q", c.gen, status.Applied, err, c.created)
		}
	}
	// A row an earlier release recorded for a hand-numbered generation
	// holds 1970: staff mode gives no build date for it either.
	if _, err := k.st.DB.ExecContext(ctx, `UPDATE content_generations SET created = '1970-01-01T01:08:21Z' WHERE generation = ?`, genA); err != nil {
		t.Fatal(err)
	}
	if status, err := k.packs.Status(ctx); err != nil || status.Applied == nil || status.Applied.Created != "" {
		t.Fatalf("an old row's 1970 build date: %+v, %v", status.Applied, err)
	}
}
