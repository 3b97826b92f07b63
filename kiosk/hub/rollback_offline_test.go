package hub

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"tramso/kiosk/pack"
)

// TestConsoleRollbackWithTheKeyOffline is province finding 9: a hub whose
// signing key is kept offline could not roll back from the console. Now
// "Quay lại nội dung này" asks first, then makes a pack waiting for its
// signature (nothing reaches a kiosk), listed as a rollback of the
// generation kiosks have to the one it brings back; signed offline, it is
// published as a rollback: its note, the old content under a new generation.
func TestConsoleRollbackWithTheKeyOffline(t *testing.T) {
	pub, priv := provinceKey(t)
	h, srv := startTestHub(t, Options{ProvinceKeys: []ed25519.PublicKey{pub}})
	a, token := signerSession(t, h, srv)
	ctx := context.Background()
	if _, err := h.Publish(ctx, bytes.NewReader(buildPack(t, 500, priv)), PublishOptions{Stage: StageEveryone, By: "test"}); err != nil {
		t.Fatal(err)
	}
	files := starterFiles(t)
	files[khaiSinh] = append(append([]byte(nil), files[khaiSinh]...), "\n# sửa sau\n"...)
	if _, err := h.Publish(ctx, bytes.NewReader(craftPack(t, files, 600, priv)), PublishOptions{Stage: StageEveryone, By: "test"}); err != nil {
		t.Fatal(err)
	}
	if _, page := a.get("/admin/packs"); !strings.Contains(packsRow(t, page, 500), `value="rollback"`) ||
		!strings.Contains(page, "Quay lại nội dung này (tạo gói chờ ký)") {
		t.Fatalf("a hub without the key offers no rollback: %.4000s", page)
	}
	roll := url.Values{"csrf": {token}, "action": {"rollback"}}
	code, page := a.post("/admin/packs/500", roll, srv.URL)
	if code != http.StatusOK || !strings.Contains(page, "Có, tạo gói quay lại chờ ký") || !strings.Contains(page, `name="confirm" value="yes"`) ||
		len(pendingGens(t, h)) != 0 {
		t.Fatalf("the rollback did not ask first: %d %v %.2000s", code, pendingGens(t, h), page)
	}
	// Confirmed as a browser does: the confirmation form's own fields.
	code, page = a.post("/admin/packs/500", hiddenFields(page), srv.URL)
	gens := pendingGens(t, h)
	if code != http.StatusOK || len(gens) != 1 || gens[0] <= 600 || !strings.Contains(page, "Đã tạo gói quay lại nội dung cũ, chờ ký") {
		t.Fatalf("the rollback on a hub without the key: %d pending %v %.3000s", code, gens, page)
	}
	gen := gens[0]
	if got := published(t, h); !slices.Equal(got, []int64{600, 500}) {
		t.Fatalf("a rollback waiting for its signature was published: %v", got)
	}
	p, err := h.PendingPackOf(ctx, gen)
	if err != nil || p.RollbackTo != 500 || p.RollbackFrom != 600 || p.Note != "rollback to 500" || p.UploadedBy != "tinh" ||
		!strings.HasSuffix(p.Title, rollbackMark) {
		t.Fatalf("the pending rollback: %+v %v", p, err)
	}
	if !strings.Contains(page, `data-testid="pending-rollback"`) || !strings.Contains(page, "thay thế hệ 600 “crafted”") ||
		!strings.Contains(page, "bằng nội dung của thế hệ 500") || !strings.Contains(page, `value="everyone" selected`) {
		t.Fatalf("the pending list does not say it is a rollback of 600 to 500: %.5000s", page)
	}
	if _, log := a.get("/admin/audit"); !strings.Contains(log, "Quay lại nội dung cũ (gói chờ ký ngoài máy chủ)") {
		t.Fatalf("the audit log lacks the pending rollback: %.3000s", log)
	}

	// Signed on the offline machine, over the manifest the page serves.
	_, raw := a.get("/admin/packs/pending/" + strconv.FormatInt(gen, 10) + "/manifest.json")
	code, page = a.postFile("/admin/packs/pending/"+strconv.FormatInt(gen, 10), map[string]string{"csrf": token, "action": "sign", "stage": "everyone"},
		"sig", "manifest.sig", signManifest(t, []byte(raw), priv))
	if code != http.StatusOK || !strings.Contains(page, "Chữ ký hợp lệ") {
		t.Fatalf("signing the rollback: %d %.3000s", code, page)
	}
	rs, _ := h.Rollouts(ctx)
	if len(rs) != 3 || rs[0].Generation != gen || rs[0].Note != "rollback to 500" || rs[0].Stage != StageEveryone || len(pendingGens(t, h)) != 0 {
		t.Fatalf("the signed rollback: %+v, pending %v", rs, pendingGens(t, h))
	}
	back, _, _ := h.manifest(ctx, gen)
	old, _, _ := h.manifest(ctx, 500)
	bm, _ := pack.ParseManifest(back)
	om, _ := pack.ParseManifest(old)
	if !slices.Equal(bm.Files, om.Files) {
		t.Fatal("the rollback does not bring back generation 500's files")
	}
	if _, page := a.get("/admin/packs"); !strings.Contains(packsRow(t, page, gen), "Quay lại nội dung thế hệ 500") {
		t.Fatalf("the packs page does not call it a rollback: %.3000s", packsRow(t, page, gen))
	}
}

// TestPendingRollbackPassesTheStudioGuard: a rollback made while the key is
// offline brings back content from before an edit approved in the studio;
// signed, it is published as the signed rollback is — the guard, which would
// refuse the same files from anywhere else, lets it through — and the studio
// follows it as a rollback.
func TestPendingRollbackPassesTheStudioGuard(t *testing.T) {
	pub, priv := provinceKey(t)
	h := runTestHub(t, Options{ProvinceKeys: []ed25519.PublicKey{pub}})
	ctx := context.Background()
	if _, err := h.Publish(ctx, bytes.NewReader(buildPack(t, 500, priv)), PublishOptions{Stage: StageEveryone, By: "git"}); err != nil {
		t.Fatal(err)
	}
	approveName(t, h, `plain_name: {vi: "Làm giấy khai sinh cho bé"`, `plain_name: {vi: "Khai sinh (bản xưởng)"`)
	studioGen := buildStudioPack(t, h, priv)()

	p, err := h.RollbackPending(ctx, 500, PublishOptions{By: "tinh"})
	if err != nil {
		t.Fatal(err)
	}
	if p.Generation <= studioGen || p.RollbackTo != 500 || p.RollbackFrom != studioGen {
		t.Fatalf("the pending rollback: %+v (studio pack %d)", p, studioGen)
	}
	raw, err := h.PendingManifest(ctx, p.Generation)
	if err != nil {
		t.Fatal(err)
	}
	m, _ := pack.ParseManifest(raw)
	if err := h.checkStudioEdits(ctx, m); !errors.As(err, new(*StudioEditsError)) {
		t.Fatalf("the guard would not refuse these files from elsewhere: %v", err)
	}
	if _, err := h.PublishPending(ctx, p.Generation, signManifest(t, raw, priv), PublishOptions{Stage: StageEveryone, By: "tinh"}); err != nil {
		t.Fatalf("the signed rollback was refused: %v", err)
	}
	if got := approvedBytes(t, h, khaiSinh); !bytes.Equal(got, starterFiles(t)[khaiSinh]) {
		t.Fatalf("the studio did not follow the rollback:\n%.300s", got)
	}
	if sys := systemChanges(t, h); len(sys) == 0 || !strings.HasPrefix(sys[0].Title, "Quay lại nội dung thế hệ 500 (phát hành lại thành thế hệ ") {
		t.Fatalf("the studio took the rollback in as: %+v", sys)
	}
}

// A rollback waiting for its signature goes above every generation
// published or waiting, and one refused (its content does not load here)
// leaves nothing waiting.
func TestPendingRollbackGeneration(t *testing.T) {
	pub, priv := provinceKey(t)
	h := runTestHub(t, Options{ProvinceKeys: []ed25519.PublicKey{pub}, Now: func() time.Time { return time.Unix(1000, 0) }})
	ctx := context.Background()
	if _, err := h.Publish(ctx, bytes.NewReader(buildPack(t, 500, priv)), PublishOptions{Stage: StageEveryone, By: "git"}); err != nil {
		t.Fatal(err)
	}
	unsigned, _ := unsignedPack(t, 2000)
	if _, err := h.StorePending(ctx, bytes.NewReader(unsigned), "tinh", false); err != nil {
		t.Fatal(err)
	}
	p, err := h.RollbackPending(ctx, 500, PublishOptions{By: "tinh"})
	if err != nil || p.Generation != 2001 {
		t.Fatalf("a rollback beside a pack waiting at 2000: %+v %v", p, err)
	}
	if _, err := h.RollbackPending(ctx, 77, PublishOptions{By: "tinh"}); err == nil || len(pendingGens(t, h)) != 2 {
		t.Fatalf("a rollback to a generation never published: %v, pending %v", err, pendingGens(t, h))
	}
}

// replacingBlobs runs during once, the first time a blob is opened after it
// is set: something another admin does while a signature is attached.
type replacingBlobs struct {
	BlobStore
	during atomic.Pointer[func()]
}

func (b *replacingBlobs) Open(ctx context.Context, sha string) (io.ReadSeekCloser, int64, time.Time, error) {
	if f := b.during.Swap(nil); f != nil {
		(*f)()
	}
	return b.BlobStore.Open(ctx, sha)
}

// Two uploads of one generation waiting for a signature: while the signed
// rollback is being attached, another admin replaces it with a pack of the
// same generation. The rollback signed is published with its own note, and
// only it is forgotten: the other upload stays waiting, as that admin's
// (it was discarded with the rollback, by generation).
func TestPendingReplacedWhileItsSignatureIsAttached(t *testing.T) {
	pub, priv := provinceKey(t)
	blobs := &replacingBlobs{BlobStore: &DirBlobs{Dir: t.TempDir()}}
	h := runTestHub(t, Options{ProvinceKeys: []ed25519.PublicKey{pub}, Blobs: blobs})
	ctx := context.Background()
	for _, gen := range []int64{500, 600} {
		if _, err := h.Publish(ctx, bytes.NewReader(buildPack(t, gen, priv)), PublishOptions{Stage: StageEveryone, By: "git"}); err != nil {
			t.Fatal(err)
		}
	}
	p, err := h.RollbackPending(ctx, 500, PublishOptions{By: "tinh"})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := h.PendingManifest(ctx, p.Generation)
	if err != nil {
		t.Fatal(err)
	}
	other, otherRaw := unsignedPack(t, p.Generation)
	if pack.Digest(otherRaw) == p.Digest {
		t.Fatal("the other upload is the rollback's very manifest")
	}
	replace := func() {
		if _, err := h.StorePending(ctx, bytes.NewReader(other), "huyen", false); err != nil {
			t.Errorf("the other admin's upload: %v", err)
		}
	}
	blobs.during.Store(&replace)
	sm, err := h.PublishPending(ctx, p.Generation, signManifest(t, raw, priv), PublishOptions{Stage: StageEveryone, By: "tinh"})
	if err != nil {
		t.Fatalf("the signed rollback: %v", err)
	}
	if blobs.during.Load() != nil {
		t.Fatal("no blob was opened while the signature was attached")
	}
	rs, err := h.Rollouts(ctx)
	if err != nil || pack.Digest(sm.Raw) != p.Digest || rs[0].Generation != p.Generation || rs[0].Digest != p.Digest ||
		rs[0].Note != "rollback to 500" || rs[0].PublishedBy != "tinh" {
		t.Fatalf("published %+v (%v); want the rollback, digest %s, with its note", rs, err, p.Digest)
	}
	left, err := h.PendingPacks(ctx)
	if err != nil || len(left) != 1 || left[0].Digest != pack.Digest(otherRaw) || left[0].UploadedBy != "huyen" || left[0].RollbackTo != 0 {
		t.Fatalf("waiting after the publish: %+v (%v); want the other admin's upload still there", left, err)
	}
}
