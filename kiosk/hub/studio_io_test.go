package hub

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/ed25519"
	"errors"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"tramso/kiosk/pack"
	"tramso/kiosk/studio"
)

// The pack the hub assembles from the approved content is byte for byte
// what `tar xzf` of the exported tree and `pack build` of that folder give
// at the same generation: signed offline, the very same pack.
func TestStudioExportBuildsTheAssembledPack(t *testing.T) {
	pub, priv := provinceKey(t)
	var minutes atomic.Int64 // the hub's clock, moved on between a pack and what is approved after it
	clock := func() time.Time { return time.Now().Add(time.Duration(minutes.Load()) * time.Minute) }
	h := runTestHub(t, Options{ProvinceKeys: []ed25519.PublicKey{pub}, Now: clock})
	ctx := context.Background()
	if _, err := h.ApprovedTree(ctx); err != nil { // seeds from the starter
		t.Fatal(err)
	}
	publishEmpty(t, h, 5000, StageTest) // the next generation must be above it
	minutes.Add(1)
	id := mustOpen(t, h, "Lệ phí", "lan")
	mustSave(t, h, id, khaiSinh, edited(t, h, khaiSinh, lateFeeOld, lateFeeNew), "lan")
	mustPropose(t, h, id, "lan")
	r, _ := h.ChangeReview(ctx, id)
	if err := h.AddSource(ctx, id, khaiSinh, sourceFor(r), "lan"); err != nil {
		t.Fatal(err)
	}
	if err := h.Approve(ctx, id, "hoa"); err != nil {
		t.Fatal(err)
	}
	// The pack is named by what it brings, not pack.yaml's one title.
	if got := mustSuggest(t, h); got != "Lệ phí" {
		t.Fatalf("title suggested: %q", got)
	}
	const title = "Lệ phí khai sinh quá hạn"
	p, err := h.AssemblePack(ctx, "tinh", title)
	if err != nil {
		t.Fatal(err)
	}
	if p.Generation <= 5000 || p.UploadedBy != "tinh" || p.Title != title {
		t.Fatalf("assembled %+v", p)
	}
	raw, err := h.PendingManifest(ctx, p.Generation)
	if err != nil {
		t.Fatal(err)
	}
	tree, _ := h.ApprovedTree(ctx)
	var export bytes.Buffer
	if err := h.ExportTree(ctx, tree, &export); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	file := filepath.Join(t.TempDir(), "tree.tar.gz")
	if err := os.WriteFile(file, export.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("tar", "xzf", file, "-C", dir).CombinedOutput(); err != nil {
		t.Fatalf("tar xzf: %v %s", err, out)
	}
	var built bytes.Buffer
	sm, err := pack.Build(os.DirFS(dir), pack.BuildOptions{Generation: p.Generation, Title: title, Keys: []ed25519.PrivateKey{priv}}, &built)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(sm.Raw, raw) {
		t.Fatalf("manifests differ:\n%s\n%s", sm.Raw, raw)
	}
	var attached bytes.Buffer
	if _, err := h.attach(ctx, raw, sm.Sig, &attached); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(attached.Bytes(), built.Bytes()) {
		t.Fatalf("the assembled pack, signed, is %d bytes; pack build's %d", attached.Len(), built.Len())
	}
	// The same content again is refused: it waits for its signature already.
	if q, err := h.AssemblePack(ctx, "tinh", ""); !errors.Is(err, ErrNothingNew) {
		t.Fatalf("second assembly of the same content: %+v, %v", q, err)
	}
	// New approved content assembles above the pending generation, named by
	// what was approved since the first pack.
	minutes.Add(1)
	bé, con, nhỏ := `plain_name: {vi: "Làm giấy khai sinh cho bé"`, `plain_name: {vi: "Làm giấy khai sinh cho con"`, `plain_name: {vi: "Làm giấy khai sinh cho con nhỏ"`
	approveName(t, h, bé, con)
	minutes.Add(1)
	approveName(t, h, con, nhỏ)
	if got, want := mustSuggest(t, h), "Tên: "+con+"; Tên: "+nhỏ; got != want {
		t.Fatalf("title suggested after a pack: %q, want %q: only what was approved since", got, want)
	}
	q, err := h.AssemblePack(ctx, "tinh", "")
	if err != nil || q.Generation <= p.Generation {
		t.Fatalf("assembly after a new approval: %+v, %v", q, err)
	}
	if q.Title != "Nội dung khởi đầu Trạm Số" {
		t.Fatalf("no title given: %q, want pack.yaml's", q.Title)
	}
}

// mustSuggest is the name the console offers for the next pack.
func mustSuggest(t *testing.T, h *Hub) string {
	t.Helper()
	title, err := h.PackTitleSuggestion(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return title
}

// sourceFor backs the review's first missing fact with a valid source.
func sourceFor(r *Review) studio.Source {
	return studio.Source{Key: r.Files[0].Missing[0].Change.Key, Ref: "https://thuvienphapluat.vn/", ReadOn: "2026-12-04"}
}

// tarGz is a tar.gz of the named files, in order.
func tarGz(t *testing.T, names []string, files map[string][]byte) []byte {
	t.Helper()
	var out bytes.Buffer
	zw := gzip.NewWriter(&out)
	tw := tar.NewWriter(zw)
	for _, n := range names {
		if err := tw.WriteHeader(&tar.Header{Name: n, Mode: 0o644, Size: int64(len(files[n])), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		tw.Write(files[n])
	}
	tw.Close()
	zw.Close()
	return out.Bytes()
}

// An imported tree becomes a draft change of what differs; a tree with a
// path outside the folder is refused and makes no change.
func TestStudioImport(t *testing.T) {
	h := runTestHub(t, Options{})
	ctx := context.Background()
	files := starterFiles(t)
	files[khaiSinh] = bytes.Replace(files[khaiSinh], []byte(lateFeeOld), []byte(lateFeeNew), 1)
	delete(files, "search.yaml")
	var names []string
	for _, n := range slices.Sorted(maps.Keys(files)) {
		names = append(names, "./"+n)
		files["./"+n] = files[n]
	}
	count := func() int {
		var n int
		h.DB.QueryRow(`SELECT count(*) FROM content_changes`).Scan(&n)
		return n
	}
	if _, err := h.ApprovedTree(ctx); err != nil {
		t.Fatal(err)
	}
	before := count()
	bad := append(append([]string{}, names...), "../evil.yaml")
	files["../evil.yaml"] = []byte("x: 1\n")
	if _, err := h.ImportTree(ctx, bytes.NewReader(tarGz(t, bad, files)), "Nhập", "lan", true); !errors.Is(err, ErrBadPath) {
		t.Fatalf("importing ../evil.yaml: %v", err)
	}
	if count() != before {
		t.Fatal("a refused import made a change")
	}
	// A file twice in the tar: which copy is meant is not guessed.
	twice := append(append([]string{}, names...), names[0])
	if _, err := h.ImportTree(ctx, bytes.NewReader(tarGz(t, twice, files)), "Nhập", "lan", true); !errors.Is(err, ErrBadPath) || !strings.Contains(err.Error(), "hai lần") {
		t.Fatalf("importing a file twice: %v", err)
	}
	if count() != before {
		t.Fatal("a refused import made a change")
	}
	c, err := h.ImportTree(ctx, bytes.NewReader(tarGz(t, names, files)), "Nhập từ git", "lan", true)
	if err != nil {
		t.Fatal(err)
	}
	vs, _ := h.ChangeVersions(ctx, c.ID)
	if c.State != StateDraft || len(vs) != 2 || vs[0].Path != khaiSinh || vs[1].Path != "search.yaml" || !vs[1].Removed() {
		t.Fatalf("imported change %+v, versions %+v", c, vs)
	}
	// One file fixed in git, imported alone: the others stay.
	one := map[string][]byte{"./" + khaiSinh: files[khaiSinh]}
	c, err = h.ImportTree(ctx, bytes.NewReader(tarGz(t, []string{"./" + khaiSinh}, one)), "Một tệp", "lan", false)
	if err != nil {
		t.Fatal(err)
	}
	if vs, _ := h.ChangeVersions(ctx, c.ID); len(vs) != 1 || vs[0].Path != khaiSinh || vs[0].Removed() {
		t.Fatalf("a one-file import: %+v", vs)
	}
}

// The next pack is named by the editors' changes, never by the studio's own
// note of a pack published from a git folder (outside QA: "Nội dung ban
// đầu: gói đã phát hành, thế hệ …" reached the kiosk's staff panel as the
// content's name).
func TestPackTitleSuggestionLeavesOutTheStudiosOwnChanges(t *testing.T) {
	pub, priv := provinceKey(t)
	var minutes atomic.Int64
	clock := func() time.Time { return time.Now().Add(time.Duration(minutes.Load()) * time.Minute) }
	h := runTestHub(t, Options{ProvinceKeys: []ed25519.PublicKey{pub}, Now: clock})
	ctx := context.Background()
	if _, err := h.ApprovedTree(ctx); err != nil { // seeds from the starter
		t.Fatal(err)
	}
	files := starterFiles(t)
	files[khaiSinh] = bytes.Replace(files[khaiSinh], []byte(lateFeeOld), []byte(lateFeeNew), 1)
	if _, err := h.Publish(ctx, bytes.NewReader(craftPack(t, files, 900, priv)), PublishOptions{Stage: StageEveryone, By: "git"}); err != nil {
		t.Fatal(err)
	}
	minutes.Add(1)
	if _, err := h.ApprovedTree(ctx); err != nil { // the studio takes the git pack in
		t.Fatal(err)
	}
	if len(systemChanges(t, h)) < 2 {
		t.Fatal("the studio took nothing in: the test proves nothing")
	}
	minutes.Add(1)
	approveName(t, h, `plain_name: {vi: "Làm giấy khai sinh cho bé"`, `plain_name: {vi: "Khai sinh"`)
	if got, want := mustSuggest(t, h), `Tên: plain_name: {vi: "Khai sinh"`; got != want {
		t.Fatalf("title suggested: %q, want %q", got, want)
	}
}
