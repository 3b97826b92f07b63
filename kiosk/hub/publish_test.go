package hub

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"tramso/kiosk/pack"
)

// TestPublishRefusesContentThatDoesNotLoad is attack 9: a correctly signed
// pack whose content a kiosk cannot load (a procedure that fails validation)
// is refused by the hub, naming the file, and nothing is published.
func TestPublishRefusesContentThatDoesNotLoad(t *testing.T) {
	pub, priv := provinceKey(t)
	h, _ := startTestHub(t, Options{ProvinceKeys: []ed25519.PublicKey{pub}})
	ctx := context.Background()
	files := starterFiles(t)
	const broken = "procedures/khai-sinh.yaml"
	files[broken] = bytes.Replace(files[broken], []byte(`code: "1.001193"`), []byte(`code: "khai sinh"`), 1)
	_, err := h.Publish(ctx, bytes.NewReader(craftPack(t, files, 1_764_800_000, priv)), PublishOptions{Stage: StageEveryone, By: "test"})
	if err == nil || !strings.Contains(err.Error(), "does not load") || !strings.Contains(err.Error(), broken) {
		t.Fatalf("published broken content, or did not say what failed: %v", err)
	}
	t.Logf("refused: %v", err)
	delete(files, "pack.yaml")
	_, err = h.Publish(ctx, bytes.NewReader(craftPack(t, files, 1_764_800_001, priv)), PublishOptions{Stage: StageEveryone, By: "test"})
	if err == nil || !strings.Contains(err.Error(), "pack.yaml") {
		t.Fatalf("published a pack without pack.yaml: %v", err)
	}
	if rs, _ := h.Rollouts(ctx); len(rs) != 0 {
		t.Fatalf("published: %+v", rs)
	}
	// The same generation, mended, is still free to publish.
	if _, err := h.Publish(ctx, bytes.NewReader(craftPack(t, starterFiles(t), 1_764_800_000, priv)), PublishOptions{Stage: StageEveryone, By: "test"}); err != nil {
		t.Fatal(err)
	}
}

// TestManifestFSIsAFileSystem: the view the hub loads content through
// behaves as an fs.FS (folders, listings, reads) over the blob store.
func TestManifestFSIsAFileSystem(t *testing.T) {
	h, _ := startTestHub(t, Options{})
	files := map[string]string{"pack.yaml": "title: x\n", "a/b/c.yaml": "c", "a/d.txt": "d", "e/f/g/h.png": "h", "e/i": ""}
	m := &pack.Manifest{}
	var names []string
	for p, body := range files {
		sum := sha256.Sum256([]byte(body))
		f := pack.File{Path: p, Size: int64(len(body)), SHA256: hex.EncodeToString(sum[:])}
		if err := h.blobs.Put(context.Background(), f.SHA256, f.Size, strings.NewReader(body)); err != nil {
			t.Fatal(err)
		}
		m.Files = append(m.Files, f)
		names = append(names, p)
	}
	if err := fstest.TestFS(newManifestFS(context.Background(), h.blobs, m), names...); err != nil {
		t.Fatal(err)
	}
}

// TestRollbackRefusesContentThatDoesNotLoad is the upgrade tester's finding
// 3: a generation published by an older release whose content does not load
// under this release's rules is not re-signed and sent to every kiosk (each
// would refuse it while the console called it current). Rollback — the CLI
// and the console both call it — refuses with the reason and the way out,
// and publishes nothing; a generation that loads still rolls back.
func TestRollbackRefusesContentThatDoesNotLoad(t *testing.T) {
	pub, priv := provinceKey(t)
	h, srv := startTestHub(t, Options{ProvinceKeys: []ed25519.PublicKey{pub}, SigningKey: priv})
	ctx := context.Background()
	const good, old = 1_764_800_000, 1_764_800_100
	if _, err := h.Publish(ctx, bytes.NewReader(craftPack(t, starterFiles(t), good, priv)), PublishOptions{Stage: StageEveryone, By: "test"}); err != nil {
		t.Fatal(err)
	}
	// An older release took this content; this one's rules refuse it.
	files := starterFiles(t)
	const broken = "procedures/khai-sinh.yaml"
	files[broken] = bytes.Replace(files[broken], []byte(`code: "1.001193"`), []byte(`code: "khai sinh"`), 1)
	rd, err := pack.NewReader(bytes.NewReader(craftPack(t, files, old, priv)), []ed25519.PublicKey{pub})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.storeBlobs(ctx, rd); err != nil {
		t.Fatal(err)
	}
	sm := rd.Signed()
	if err := h.PublishManifest(ctx, sm.Raw, sm.Sig, sm.Manifest, PublishOptions{Stage: StageEveryone, By: "old release"}); err != nil {
		t.Fatal(err)
	}
	before := published(t, h)

	_, err = h.Rollback(ctx, old, priv, PublishOptions{Stage: StageEveryone, By: "cli"})
	if !errors.Is(err, errOldContent) || !strings.Contains(err.Error(), "generation 1764800100 does not load under this release's content rules") ||
		!strings.Contains(err.Error(), broken) || !strings.Contains(err.Error(), "build a new pack from the source folder") {
		t.Fatalf("rollback to content that does not load: %v", err)
	}
	if after := published(t, h); !slices.Equal(after, before) {
		t.Fatalf("a refused rollback published: %v, was %v", after, before)
	}

	a, token := signerSession(t, h, srv)
	code, page := a.post("/admin/packs/1764800100", url.Values{"csrf": {token}, "action": {"rollback"}, "confirm": {"yes"}}, "")
	if code != http.StatusBadRequest || !strings.Contains(page, "nội dung của thế hệ 1764800100 không mở được theo quy tắc nội dung của phiên bản này") ||
		!strings.Contains(page, "Hãy dựng gói mới từ thư mục nội dung nguồn") || !strings.Contains(page, broken) {
		t.Fatalf("console rollback to content that does not load: %d %.4000s", code, page)
	}
	if after := published(t, h); !slices.Equal(after, before) {
		t.Fatalf("a refused console rollback published: %v, was %v", after, before)
	}
	// The packs page says so beforehand, and offers no rollback to it.
	_, page = a.get("/admin/packs")
	oldRow, goodRow := packsRow(t, page, old), packsRow(t, page, good)
	if !strings.Contains(oldRow, "kiosk phiên bản này không đọc được") || strings.Contains(oldRow, `value="rollback"`) {
		t.Fatalf("the packs page on generation %d:\n%s", old, oldRow)
	}
	if strings.Contains(goodRow, "không đọc được") || !strings.Contains(goodRow, `value="rollback"`) {
		t.Fatalf("the packs page on generation %d:\n%s", good, goodRow)
	}

	if gen, err := h.Rollback(ctx, good, priv, PublishOptions{Stage: StageEveryone, By: "cli"}); err != nil || gen <= old {
		t.Fatalf("rollback to content that loads: %d, %v", gen, err)
	}
}

// packsRow is the row of the packs page for generation gen.
func packsRow(t *testing.T, page string, gen int64) string {
	t.Helper()
	start := strings.Index(page, `action="/admin/packs/`+strconv.FormatInt(gen, 10)+`"`)
	if start < 0 {
		t.Fatalf("no row for generation %d:\n%.4000s", gen, page)
	}
	row := page[:start]
	row = row[strings.LastIndex(row, "<tr"):]
	end := strings.Index(page[start:], "</tr>")
	return row + page[start:start+end]
}
