//go:build !desktop

package cli

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tramso/kiosk/content"
	"tramso/kiosk/hub"
	"tramso/kiosk/pack"
)

// TestHubRollbackRefusesContentThatDoesNotLoad is the upgrade tester's
// finding 3 on the command line: `hub rollback --to G` where G was published
// by an older release whose content this release's rules refuse says so and
// what to do instead, exits 1 and publishes nothing.
func TestHubRollbackRefusesContentThatDoesNotLoad(t *testing.T) {
	f := newHubFolders(t)
	mustRun(t, "hub", "publish", "--data", f.data, "--pub", f.pub, f.pack)
	const broken = "procedures/khai-sinh.yaml"
	src := os.DirFS(f.src)
	h, err := hub.Open(hub.Options{Dir: f.data, Database: f.db})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	m := &pack.Manifest{Format: pack.FormatName, Schema: pack.FormatVersion, ContentSchema: content.SchemaVersion,
		Generation: 200, Created: time.Unix(200, 0).UTC(), Title: "gói của phiên bản trước"}
	err = fs.WalkDir(src, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(src, p)
		if err != nil {
			return err
		}
		if p == broken {
			b = bytes.Replace(b, []byte(`code: "1.001193"`), []byte(`code: "khai sinh"`), 1)
		}
		sum := sha256.Sum256(b)
		file := pack.File{Path: p, Size: int64(len(b)), SHA256: hex.EncodeToString(sum[:])}
		m.Files = append(m.Files, file)
		return h.Blobs().Put(ctx, file.SHA256, file.Size, bytes.NewReader(b))
	})
	if err != nil {
		t.Fatal(err)
	}
	key, err := pack.ReadPrivateKey(f.key)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := m.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	sig, err := pack.Sign(raw, key)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.PublishManifest(ctx, raw, sig, m, hub.PublishOptions{Stage: hub.StageEveryone, By: "old release"}); err != nil {
		t.Fatal(err)
	}
	h.Close()

	exit, out, errOut := tramso(t, "hub", "rollback", "--data", f.data, "--pub", f.pub, "--key", f.key, "--to", "200")
	t.Logf("refused: %s", errOut)
	if exit != 1 || out != "" || !strings.Contains(errOut, "generation 200 does not load under this release's content rules, so every kiosk of this release would refuse it") ||
		!strings.Contains(errOut, broken) || !strings.Contains(errOut, "build a new pack from the source folder instead") {
		t.Fatalf("rollback to content that does not load: exit %d, %s %s", exit, out, errOut)
	}
	if h, err = hub.Open(hub.Options{Dir: f.data, Database: f.db}); err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	if rs, err := h.Rollouts(ctx); err != nil || len(rs) != 2 || rs[0].Generation != 200 {
		t.Fatalf("a refused rollback published: %+v %v", rs, err)
	}
	if out := mustRun(t, "hub", "rollback", "--data", f.data, "--pub", f.pub, "--key", f.key, "--to", "100"); !strings.Contains(out, "again as generation") {
		t.Fatalf("rollback to content that loads: %s", out)
	}
}

// TestHubPublishOverStudioEdits is outside QA s24's finding 1 on the command
// line: a pack built from a folder that changes a file the studio has an
// approved edit of is refused, naming it and the way out, and publishes
// with --replace-studio-edits.
func TestHubPublishOverStudioEdits(t *testing.T) {
	f := newHubFolders(t)
	mustRun(t, "hub", "publish", "--data", f.data, "--pub", f.pub, "--stage", "everyone", f.pack)
	const path = "procedures/khai-sinh.yaml"
	h, err := hub.Open(hub.Options{Dir: f.data, Database: f.db})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	c, err := h.OpenChange(ctx, "Tên gọi khai sinh", "lan")
	if err != nil {
		t.Fatal(err)
	}
	approved, err := os.ReadFile(filepath.Join(f.src, path))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.SaveFile(ctx, c.ID, path, append(approved, "# sửa trong xưởng\n"...), "lan"); err != nil {
		t.Fatal(err)
	}
	if err := h.Propose(ctx, c.ID, "lan"); err != nil {
		t.Fatal(err)
	}
	if err := h.Approve(ctx, c.ID, "hoa"); err != nil {
		t.Fatal(err)
	}
	h.Close()
	if err := os.WriteFile(filepath.Join(f.src, path), append(approved, "# sửa ở thư mục\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	next := filepath.Join(f.tmp, "two.tspack")
	mustRun(t, "pack", "build", "--src", f.src, "--key", f.key, "--out", next, "--generation", "200")
	exit, out, errOut := tramso(t, "hub", "publish", "--data", f.data, "--pub", f.pub, next)
	if exit != 1 || out != "" || !strings.Contains(errOut, "replaces 1 edit(s) approved in the content studio") ||
		!strings.Contains(errOut, path+` (change #`) || !strings.Contains(errOut, "publish again with --replace-studio-edits") {
		t.Fatalf("publish over a studio edit: exit %d, %s %s", exit, out, errOut)
	}
	if out := mustRun(t, "hub", "publish", "--data", f.data, "--pub", f.pub, "--replace-studio-edits", next); !strings.Contains(out, "published generation 200") {
		t.Fatalf("publish with --replace-studio-edits: %s", out)
	}
}
