package hub

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
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
