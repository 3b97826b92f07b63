package hub

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
)

// TestPublishRefusesAPackThatUndoesStudioEdits is outside QA s24's finding
// 1: a technician built a pack from `pack export-starter` after the studio
// had been used and published it; every kiosk, and then the studio, lost
// the edits a reviewer had approved there. Such a publish is refused, naming
// the edits, unless it says replacing them is meant; a pack from git that
// carries the studio's edits, or leaves their files alone, publishes.
func TestPublishRefusesAPackThatUndoesStudioEdits(t *testing.T) {
	h, priv, gen := hubWithStudioEdit(t)
	ctx := context.Background()
	studioFile := approvedBytes(t, h, khaiSinh)

	publish := func(files map[string][]byte, opts PublishOptions) error {
		gen++
		opts.Stage, opts.By = StageEveryone, "git"
		_, err := h.Publish(ctx, bytes.NewReader(craftPack(t, files, gen, priv)), opts)
		return err
	}
	// From the starter, as export-starter gives it: refused, nothing published.
	err := publish(starterFiles(t), PublishOptions{})
	var se *StudioEditsError
	if !errors.As(err, &se) || len(se.Edits) != 1 {
		t.Fatalf("a pack of the starter: %v, want the studio's edit named", err)
	}
	if e := se.Edits[0]; e.Path != khaiSinh || e.Author != "lan" || e.Reviewer != "hoa" || !e.Shown ||
		!strings.HasPrefix(e.Title, "Tên: ") || !strings.Contains(err.Error(), "replaces 1 edit(s) approved in the content studio") {
		t.Fatalf("a pack of the starter: %+v (%v)", e, err)
	}
	if highest, _ := highestGeneration(ctx, h.DB); highest != gen-1 {
		t.Fatalf("a refused pack was published: highest %d", highest)
	}
	// From the studio's approved content, with a change of its own: published.
	files := starterFiles(t)
	files[khaiSinh] = studioFile
	const other = "procedures/khai-tu.yaml"
	files[other] = append(append([]byte(nil), files[other]...), "\n# sửa ở git\n"...)
	if err := publish(files, PublishOptions{}); err != nil {
		t.Fatalf("a pack carrying the studio's edit: %v", err)
	}
	// An approval not yet published (of the file the git pack changed): a
	// pack that changes it otherwise is refused; one that leaves it as
	// kiosks have it is not.
	id := mustOpen(t, h, "Ghi chú khai tử", "lan")
	mustSave(t, h, id, other, append(approvedBytes(t, h, other), "# sửa ở xưởng\n"...), "lan")
	mustPropose(t, h, id, "lan")
	if err := h.Approve(ctx, id, "hoa"); err != nil {
		t.Fatal(err)
	}
	changed := map[string][]byte{}
	for p, b := range files {
		changed[p] = b
	}
	changed[other] = append(append([]byte(nil), files[other]...), "# sửa ở git lần nữa\n"...)
	err = publish(changed, PublishOptions{})
	if !errors.As(err, &se) || len(se.Edits) != 1 || se.Edits[0].Path != other || se.Edits[0].Shown ||
		!strings.Contains(err.Error(), "not yet published") {
		t.Fatalf("a pack over an approval not yet published: %v", err)
	}
	if err := publish(files, PublishOptions{}); err != nil {
		t.Fatalf("a pack leaving the approved file as kiosks have it: %v", err)
	}
	// Said to be meant: published, and the studio follows it.
	if err := publish(starterFiles(t), PublishOptions{ReplaceStudioEdits: true}); err != nil {
		t.Fatalf("replacing the studio's edits on purpose: %v", err)
	}
	if got := approvedBytes(t, h, khaiSinh); !bytes.Equal(got, starterFiles(t)[khaiSinh]) {
		t.Fatalf("the studio did not follow the pack published over its edits:\n%.300s", got)
	}
}

// TestConsoleUploadOverStudioEdits: the console's upload of such a pack is
// refused in Vietnamese, naming the edit and the way to build from the
// approved content, and offers the box that says it is meant; with the box
// ticked the pack is published.
func TestConsoleUploadOverStudioEdits(t *testing.T) {
	pub, priv := provinceKey(t)
	h, srv := startTestHub(t, Options{ProvinceKeys: []ed25519.PublicKey{pub}})
	if err := h.CreateAdmin(context.Background(), "tinh", testPassword); err != nil {
		t.Fatal(err)
	}
	a := newAdmin(t, srv)
	a.login("tinh", testPassword)
	approveName(t, h, `plain_name: {vi: "Làm giấy khai sinh cho bé"`, `plain_name: {vi: "Khai sinh (bản xưởng)"`)
	gen := buildStudioPack(t, h, priv)()
	file := craftPack(t, starterFiles(t), gen+1, priv)
	upload := func(replace bool) (int, string) {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		mw.WriteField("csrf", a.csrf("/admin/packs"))
		mw.WriteField("stage", "everyone")
		if replace {
			mw.WriteField("replace_studio_edits", "yes")
		}
		fw, _ := mw.CreateFormFile("pack", "starter.tspack")
		fw.Write(file)
		mw.Close()
		resp, err := a.client.Post(srv.URL+"/admin/packs", mw.FormDataContentType(), &body)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		page, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(page)
	}
	code, page := upload(false)
	if code != http.StatusBadRequest || !strings.Contains(page, "gói này thay 1 sửa đổi đã được duyệt trong xưởng nội dung, nên xưởng và kiosk nào đang hiện chúng sẽ mất chúng: "+
		khaiSinh+" (thay đổi #") || !strings.Contains(page, "“Dựng gói từ nội dung đã duyệt”") ||
		!strings.Contains(page, `name="replace_studio_edits" value="yes"`) {
		t.Fatalf("the refused upload: %d\n%.5000s", code, page)
	}
	if _, page := a.get("/admin/packs"); strings.Contains(page, `name="replace_studio_edits"`) {
		t.Fatal("the packs page offers to replace studio edits before any refusal")
	}
	if highest, _ := highestGeneration(context.Background(), h.DB); highest != gen {
		t.Fatalf("the refused upload published generation %d", highest)
	}
	if code, page := upload(true); code != http.StatusOK {
		t.Fatalf("the upload said to be meant: %d\n%.3000s", code, page)
	}
	if highest, _ := highestGeneration(context.Background(), h.DB); highest != gen+1 {
		t.Fatalf("the upload said to be meant was not published (highest %d)", highest)
	}
}

// TestPublishGuardJudgesAsTheStudioFollows (a review of s24): a folder
// exported from the studio when it held edit E1, published after E2
// replaced E1 there and on kiosks, is refused (the studio's own older edit
// is no pass); and after a pack published over the studio's edit on purpose,
// with nobody opening the studio since, the next pack from git is not
// refused for an edit kiosks no longer show.
func TestPublishGuardJudgesAsTheStudioFollows(t *testing.T) {
	pub, priv := provinceKey(t)
	h := runTestHub(t, Options{ProvinceKeys: []ed25519.PublicKey{pub}})
	ctx := context.Background()
	approveName(t, h, `plain_name: {vi: "Làm giấy khai sinh cho bé"`, `plain_name: {vi: "Khai sinh E1"`)
	buildStudioPack(t, h, priv)()
	stale := starterFiles(t)
	stale[khaiSinh] = approvedBytes(t, h, khaiSinh) // the export, with E1
	approveName(t, h, `plain_name: {vi: "Khai sinh E1"`, `plain_name: {vi: "Khai sinh E2"`)
	gen := buildStudioPack(t, h, priv)()
	e2 := approvedBytes(t, h, khaiSinh)
	_, err := h.Publish(ctx, bytes.NewReader(craftPack(t, stale, gen+1, priv)), PublishOptions{Stage: StageEveryone, By: "git"})
	var se *StudioEditsError
	if !errors.As(err, &se) || len(se.Edits) != 1 || !se.Edits[0].Shown || !strings.Contains(se.Edits[0].Title, "Khai sinh E2") {
		t.Fatalf("the stale export: %v", err)
	}
	if got := approvedBytes(t, h, khaiSinh); !bytes.Equal(got, e2) {
		t.Fatalf("the studio lost E2:\n%.300s", got)
	}

	files := starterFiles(t)
	if _, err := h.Publish(ctx, bytes.NewReader(craftPack(t, files, gen+2, priv)),
		PublishOptions{Stage: StageEveryone, By: "git", ReplaceStudioEdits: true}); err != nil {
		t.Fatal(err)
	}
	files[khaiSinh] = append(append([]byte(nil), files[khaiSinh]...), "\n# sửa ở git lần nữa\n"...)
	if _, err := h.Publish(ctx, bytes.NewReader(craftPack(t, files, gen+3, priv)), PublishOptions{Stage: StageEveryone, By: "git"}); err != nil {
		t.Fatalf("the next pack from git, over content kiosks have from git: %v", err)
	}
}
