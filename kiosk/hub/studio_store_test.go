package hub

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"io/fs"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"tramso/kiosk/content"
	"tramso/kiosk/pack"
	"tramso/kiosk/studio"
)

const khaiSinh = "procedures/khai-sinh.yaml"

// lateFeeOld and lateFeeNew are the late birth registration's fee rule
// before and after an editor gives it an amount (test data: the real amount
// is the HĐND tỉnh's to set).
const (
	lateFeeOld = "  - if: [late]\n    kind: province\n"
	lateFeeNew = "  - if: [late]\n    kind: amount\n    amount: 8000\n"
)

// approvedBytes is path as the approved tree has it.
func approvedBytes(t *testing.T, h *Hub, path string) []byte {
	t.Helper()
	tree, err := h.ApprovedTree(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	b, err := fs.ReadFile(h.TreeFS(context.Background(), tree), path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// edited is path of the approved tree with old replaced by new, once.
func edited(t *testing.T, h *Hub, path, old, new string) []byte {
	t.Helper()
	b := approvedBytes(t, h, path)
	if !bytes.Contains(b, []byte(old)) {
		t.Fatalf("%s lacks %q", path, old)
	}
	return bytes.Replace(b, []byte(old), []byte(new), 1)
}

func mustOpen(t *testing.T, h *Hub, title, author string) int64 {
	t.Helper()
	c, err := h.OpenChange(context.Background(), title, author)
	if err != nil {
		t.Fatal(err)
	}
	return c.ID
}

func mustSave(t *testing.T, h *Hub, change int64, path string, body []byte, author string) *Version {
	t.Helper()
	v, err := h.SaveFile(context.Background(), change, path, body, author)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func mustPropose(t *testing.T, h *Hub, change int64, by string) {
	t.Helper()
	if err := h.Propose(context.Background(), change, by); err != nil {
		t.Fatal(err)
	}
}

// The first use seeds the approved tree from the starter, once, as one
// approved change by "hệ thống".
func TestStudioSeedsFromStarter(t *testing.T) {
	h := runTestHub(t, Options{})
	ctx := context.Background()
	tree, err := h.ApprovedTree(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := starterFiles(t)
	if len(tree) != len(want) {
		t.Fatalf("%d files, the starter has %d", len(tree), len(want))
	}
	fsys := h.TreeFS(ctx, tree)
	for p, b := range want {
		got, err := fs.ReadFile(fsys, p)
		if err != nil || !bytes.Equal(got, b) {
			t.Fatalf("%s: %d bytes, %v", p, len(got), err)
		}
	}
	if _, err := content.Load(fsys); err != nil {
		t.Fatalf("the seeded tree does not load: %v", err)
	}
	if _, err := h.ApprovedTree(ctx); err != nil {
		t.Fatal(err)
	}
	cs, err := h.Changes(ctx, 10, StateApproved, StateDraft)
	if err != nil || len(cs) != 1 || cs[0].Author != systemAuthor || !strings.Contains(cs[0].Title, "gói có sẵn") {
		t.Fatalf("changes after two reads: %+v, %v", cs, err)
	}
}

// With a pack published, the seed is its files, read from the blob store.
func TestStudioSeedsFromPublishedPack(t *testing.T) {
	pub, priv := provinceKey(t)
	h := runTestHub(t, Options{ProvinceKeys: []ed25519.PublicKey{pub}})
	ctx := context.Background()
	files := starterFiles(t)
	files[khaiSinh] = bytes.Replace(files[khaiSinh], []byte(lateFeeOld), []byte(lateFeeNew), 1)
	delete(files, "search.yaml")
	if _, err := h.Publish(ctx, bytes.NewReader(craftPack(t, files, 900, priv)), PublishOptions{Stage: StageEveryone, By: "test"}); err != nil {
		t.Fatal(err)
	}
	tree, err := h.ApprovedTree(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(tree) != len(files) {
		t.Fatalf("%d files, the pack has %d", len(tree), len(files))
	}
	if got := approvedBytes(t, h, khaiSinh); !bytes.Equal(got, files[khaiSinh]) {
		t.Fatal("khai-sinh.yaml is not the published one")
	}
	cs, _ := h.Changes(ctx, 10, StateApproved)
	if len(cs) != 1 || !strings.Contains(cs[0].Title, "thế hệ 900") {
		t.Fatalf("seed change: %+v", cs)
	}
}

// An editor's fee change: summarised in words, proposed; the editor and
// anyone who saved in it cannot approve; without a source no one can;
// with one, another reviewer approves and the approved tree has it.
func TestStudioApproveRules(t *testing.T) {
	h := runTestHub(t, Options{})
	ctx := context.Background()
	id := mustOpen(t, h, "Lệ phí khai sinh quá hạn", "lan")
	v := mustSave(t, h, id, khaiSinh, edited(t, h, khaiSinh, lateFeeOld, lateFeeNew), "lan")
	if want := `Lệ phí khi "Đã quá 60 ngày": "hỏi cán bộ" (HĐND tỉnh quy định) → 8.000 đ`; v.Summary != want {
		t.Fatalf("summary %q, want %q", v.Summary, want)
	}
	// Mai fixes a comment: a version of hers, which bars her from approving.
	body := append(edited(t, h, khaiSinh, lateFeeOld, lateFeeNew), "# sửa bởi Mai\n"...)
	if v := mustSave(t, h, id, khaiSinh, body, "mai"); v.Summary != summaryLayoutOnly {
		t.Fatalf("comment-only summary %q", v.Summary)
	}
	if err := h.Approve(ctx, id, "hoa"); !errors.Is(err, ErrNotProposed) {
		t.Fatalf("approving a draft: %v", err)
	}
	mustPropose(t, h, id, "lan")
	if _, err := h.SaveFile(ctx, id, khaiSinh, body, "lan"); !errors.Is(err, ErrNotEditable) {
		t.Fatalf("saving into a proposed change: %v", err)
	}
	for _, who := range []string{"lan", "mai"} {
		if err := h.Approve(ctx, id, who); !errors.Is(err, ErrOwnChange) {
			t.Fatalf("%s approving: %v", who, err)
		}
	}
	r, err := h.ChangeReview(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Files) != 1 || len(r.Files[0].Missing) != 1 || !r.Files[0].Missing[0].Change.Fact || len(r.Problems) != 0 {
		t.Fatalf("review: %+v", r)
	}
	key := r.Files[0].Missing[0].Change.Key
	if err := h.Approve(ctx, id, "hoa"); !errors.Is(err, ErrUnsourced) {
		t.Fatalf("approving without a source: %v", err)
	}
	// What is neither a web address nor a document's number is refused,
	// not kept in the change's record (outside QA, 2026-12-06).
	for _, ref := range []string{"abc", "javascript:alert(1)", "https://"} {
		bad := studio.Source{Key: key, Ref: ref, ReadOn: "2026-12-04"}
		if err := h.AddSource(ctx, id, khaiSinh, bad, "lan"); !errors.Is(err, ErrBadSource) || !strings.Contains(err.Error(), "địa chỉ trang web") {
			t.Fatalf("source %q: %v", ref, err)
		}
	}
	if err := h.AddSource(ctx, id, khaiSinh, studio.Source{Key: key, Ref: "https://example.gov.vn/a"}, "lan"); !errors.Is(err, ErrBadSource) {
		t.Fatalf("source without a reading date: %v", err)
	}
	// One given by mistake is taken back while the change is open.
	if err := h.AddSource(ctx, id, khaiSinh, studio.Source{Key: key, Ref: "https://nham.example/", ReadOn: "2026-12-04"}, "lan"); err != nil {
		t.Fatal(err)
	}
	if srcs, _ := h.Sources(ctx, id); len(srcs) != 1 {
		t.Fatalf("sources %+v", srcs)
	} else if err := h.RemoveSource(ctx, id, srcs[0].ID); err != nil {
		t.Fatal(err)
	}
	if srcs, _ := h.Sources(ctx, id); len(srcs) != 0 {
		t.Fatalf("a removed source is still there: %+v", srcs)
	}
	if err := h.RemoveSource(ctx, id, 999999); !errors.Is(err, ErrNoSource) {
		t.Fatalf("removing a source the change does not have: %v", err)
	}
	// A source for another file backs nothing here.
	src := studio.Source{Key: key, Ref: "Nghị quyết 12/2025/NQ-HĐND", ReadOn: "2026-12-04"}
	if err := h.AddSource(ctx, id, "procedures/khai-tu.yaml", src, "lan"); err != nil {
		t.Fatal(err)
	}
	if err := h.Approve(ctx, id, "hoa"); !errors.Is(err, ErrUnsourced) {
		t.Fatalf("approving with a source for another file: %v", err)
	}
	if err := h.AddSource(ctx, id, khaiSinh, src, "lan"); err != nil {
		t.Fatal(err)
	}
	if err := h.Approve(ctx, id, "hoa"); err != nil {
		t.Fatalf("approving with a source: %v", err)
	}
	if got := approvedBytes(t, h, khaiSinh); !bytes.Equal(got, body) {
		t.Fatal("the approved tree does not have the change")
	}
	if err := h.Approve(ctx, id, "hoa"); !errors.Is(err, ErrNotProposed) {
		t.Fatalf("approving twice: %v", err)
	}
	c, _ := h.GetChange(ctx, id)
	cs, _ := h.Comments(ctx, id)
	if c.State != StateApproved || c.Reviewer != "hoa" || len(cs) != 2 || cs[0].Action != "proposed" || cs[1].Action != "approved" {
		t.Fatalf("change %+v, decisions %+v", c, cs)
	}
	// An approved change keeps the sources it was approved on.
	srcs, _ := h.Sources(ctx, id)
	if err := h.RemoveSource(ctx, id, srcs[len(srcs)-1].ID); !errors.Is(err, ErrNotEditable) {
		t.Fatalf("removing a source of an approved change: %v", err)
	}
}

// A change whose content the kiosk would refuse cannot be approved; a file
// that does not decode still saves, its summary saying so.
func TestStudioLintBlocksApproval(t *testing.T) {
	h := runTestHub(t, Options{})
	ctx := context.Background()
	id := mustOpen(t, h, "Hỏng", "lan")
	body := append(approvedBytes(t, h, khaiSinh), "not_a_field: 1\n"...)
	v := mustSave(t, h, id, khaiSinh, body, "lan")
	if !strings.HasPrefix(v.Summary, summaryUnreadable) {
		t.Fatalf("summary of a file that does not decode: %q", v.Summary)
	}
	mustPropose(t, h, id, "lan")
	err := h.Approve(ctx, id, "hoa")
	var se *StudioError
	if !errors.Is(err, ErrLintProblems) || !errors.As(err, &se) || !strings.Contains(strings.Join(se.Detail, " "), khaiSinh) {
		t.Fatalf("approving content that does not load: %v", err)
	}
}

// Two changes to one file: once one is approved, the other is stale.
func TestStudioStaleRefused(t *testing.T) {
	h := runTestHub(t, Options{})
	ctx := context.Background()
	const lesson = "tutorials/course.yaml"
	a, b := mustOpen(t, h, "A", "lan"), mustOpen(t, h, "B", "mai")
	mustSave(t, h, a, lesson, append(approvedBytes(t, h, lesson), "# A\n"...), "lan")
	mustSave(t, h, b, lesson, append(approvedBytes(t, h, lesson), "# B\n"...), "mai")
	mustPropose(t, h, a, "lan")
	mustPropose(t, h, b, "mai")
	if err := h.Approve(ctx, a, "hoa"); err != nil {
		t.Fatal(err)
	}
	r, _ := h.ChangeReview(ctx, b)
	if !r.Files[0].Stale {
		t.Fatal("the review does not show B stale")
	}
	if err := h.Approve(ctx, b, "hoa"); !errors.Is(err, ErrStale) {
		t.Fatalf("approving a stale change: %v", err)
	}
}

// Sending back needs a comment; the change is editable again and can be
// proposed again.
func TestStudioSendBack(t *testing.T) {
	h := runTestHub(t, Options{})
	ctx := context.Background()
	id := mustOpen(t, h, "Tên", "lan")
	if err := h.Propose(ctx, id, "lan"); !errors.Is(err, ErrEmptyChange) {
		t.Fatalf("proposing nothing: %v", err)
	}
	mustSave(t, h, id, "pack.yaml", append(approvedBytes(t, h, "pack.yaml"), "# x\n"...), "lan")
	mustPropose(t, h, id, "lan")
	if err := h.SendBack(ctx, id, "hoa", "  "); !errors.Is(err, ErrNeedComment) {
		t.Fatalf("sending back without a comment: %v", err)
	}
	if err := h.SendBack(ctx, id, "hoa", "Ghi rõ nguồn."); err != nil {
		t.Fatal(err)
	}
	c, _ := h.GetChange(ctx, id)
	if c.State != StateReturned || c.Comment != "Ghi rõ nguồn." {
		t.Fatalf("returned change: %+v", c)
	}
	mustSave(t, h, id, "pack.yaml", append(approvedBytes(t, h, "pack.yaml"), "# y\n"...), "lan")
	mustPropose(t, h, id, "lan")
	if err := h.Approve(ctx, id, "hoa"); err != nil {
		t.Fatal(err)
	}
}

// Every save is in a file's history; restoring an old version saves it
// again as a new version in an open change.
func TestStudioHistoryRestore(t *testing.T) {
	h := runTestHub(t, Options{})
	ctx := context.Background()
	const p = "tutorials/course.yaml"
	orig := approvedBytes(t, h, p)
	id := mustOpen(t, h, "A", "lan")
	mustSave(t, h, id, p, append(orig, "# A\n"...), "lan")
	mustPropose(t, h, id, "lan")
	if err := h.Approve(ctx, id, "hoa"); err != nil {
		t.Fatal(err)
	}
	hist, err := h.FileHistory(ctx, p)
	if err != nil || len(hist) != 2 || hist[0].Change != id || hist[1].Author != systemAuthor {
		t.Fatalf("history: %+v, %v", hist, err)
	}
	back := mustOpen(t, h, "Quay lại", "mai")
	v, err := h.Restore(ctx, hist[1].ID, back, "mai")
	if err != nil || v.Path != p || v.SHA256 != hist[1].SHA256 || v.ID <= hist[0].ID {
		t.Fatalf("restore: %+v, %v", v, err)
	}
	tree, _ := h.ChangeTree(ctx, back)
	if got, _ := fs.ReadFile(h.TreeFS(ctx, tree), p); !bytes.Equal(got, orig) {
		t.Fatal("the change's tree lacks the restored version")
	}
	if _, err := h.RemoveFile(ctx, back, "search.yaml", "mai"); err != nil {
		t.Fatal(err)
	}
	tree, _ = h.ChangeTree(ctx, back)
	if _, ok := tree["search.yaml"]; ok {
		t.Fatal("a removed file is still in the change's tree")
	}
	if _, err := h.SaveFile(ctx, back, "../x.yaml", []byte("x"), "mai"); !errors.Is(err, ErrBadPath) {
		t.Fatalf("saving ../x.yaml: %v", err)
	}
}

// Hubs (here: goroutines) reading the approved tree for the first time at
// once seed it once; two reviewers approving changes to one file at once
// approve one, and the other is stale.
func TestStudioRaces(t *testing.T) {
	h := runTestHub(t, Options{})
	ctx := context.Background()
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			if _, err := h.ApprovedTree(ctx); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if cs, _ := h.Changes(ctx, 10, StateApproved); len(cs) != 1 {
		t.Fatalf("%d seed changes", len(cs))
	}
	const p = "tutorials/course.yaml"
	ids := []int64{mustOpen(t, h, "A", "lan"), mustOpen(t, h, "B", "mai")}
	for i, id := range ids {
		mustSave(t, h, id, p, append(approvedBytes(t, h, p), "# "+strconv.Itoa(i)+"\n"...), "lan")
		mustPropose(t, h, id, "lan")
	}
	errs := make([]error, len(ids))
	for i, id := range ids {
		wg.Go(func() { errs[i] = h.Approve(ctx, id, "hoa") })
	}
	wg.Wait()
	if (errs[0] == nil) == (errs[1] == nil) {
		t.Fatalf("both or neither approved: %v", errs)
	}
	for _, err := range errs {
		if err != nil && !errors.Is(err, ErrStale) {
			t.Fatalf("the other approval: %v", err)
		}
	}
}

// TestSaveFilesIsAllOrNothing: several files saved at once (a translation
// page's content YAML and catalogue) become versions together or not at all.
func TestSaveFilesIsAllOrNothing(t *testing.T) {
	h := runTestHub(t, Options{})
	ctx := context.Background()
	c, err := h.OpenChange(ctx, "Bản dịch", "lan")
	if err != nil {
		t.Fatal(err)
	}
	good := map[string][]byte{
		"i18n/rad/shell.json":       []byte(`{"shell": {"home": {"title": "(thử)"}}}`),
		"procedures/khai-sinh.yaml": starterFiles(t)["procedures/khai-sinh.yaml"],
	}
	bad := maps.Clone(good)
	bad["../ngoai.yaml"] = []byte("x")
	if _, err := h.SaveFiles(ctx, c.ID, bad, "lan"); err == nil {
		t.Fatal("a bad path among the files was saved")
	}
	tooBig := maps.Clone(good)
	tooBig["media/lon.ogg"] = make([]byte, pack.MaxFileSize+1)
	if _, err := h.SaveFiles(ctx, c.ID, tooBig, "lan"); err == nil {
		t.Fatal("a file over the limit among the files was saved")
	}
	if vs, _ := h.ChangeVersions(ctx, c.ID); len(vs) != 0 {
		t.Fatalf("a refused save left %d versions", len(vs))
	}

	vs, err := h.SaveFiles(ctx, c.ID, good, "lan")
	if err != nil || len(vs) != 2 || vs[0].Path != "i18n/rad/shell.json" || vs[1].Path != "procedures/khai-sinh.yaml" || vs[0].ID == 0 {
		t.Fatalf("two files: %v %+v", err, vs)
	}
	if err := h.Propose(ctx, c.ID, "lan"); err != nil {
		t.Fatal(err)
	}
	if _, err := h.SaveFiles(ctx, c.ID, good, "lan"); err == nil {
		t.Fatal("saved into a proposed change")
	}
	if got, _ := h.ChangeVersions(ctx, c.ID); len(got) != 2 {
		t.Fatalf("%d versions after a save into a proposed change", len(got))
	}
}

// SaveFileOver saves only over the version the edit was made on: the
// change's view of the file (approved, then the change's own), or 0 for a
// file not there yet; any other base is refused and nothing is saved.
func TestStudioSaveFileOverItsBase(t *testing.T) {
	h := runTestHub(t, Options{})
	ctx := context.Background()
	tree, err := h.ApprovedTree(ctx)
	if err != nil {
		t.Fatal(err)
	}
	id := mustOpen(t, h, "Hai thẻ", "lan")
	body := edited(t, h, khaiSinh, `plain_name: {vi: "Làm giấy khai sinh cho bé"`, `plain_name: {vi: "Khai sinh"`)
	first, err := h.SaveFileOver(ctx, id, khaiSinh, body, "lan", tree[khaiSinh].Version)
	if err != nil {
		t.Fatalf("a save on the approved version: %v", err)
	}
	// The other tab still stands on the approved version.
	if _, err := h.SaveFileOver(ctx, id, khaiSinh, []byte("x: 1\n"), "lan", tree[khaiSinh].Version); !errors.Is(err, ErrSavedSince) {
		t.Fatalf("a save on a version saved over: %v", err)
	}
	if vs, _ := h.ChangeVersions(ctx, id); len(vs) != 1 {
		t.Fatalf("the refused save was stored: %d versions", len(vs))
	}
	if _, err := h.SaveFileOver(ctx, id, khaiSinh, []byte("x: 2\n"), "lan", first.ID); err != nil {
		t.Fatalf("a save on the newest version: %v", err)
	}
	if _, err := h.SaveFileOver(ctx, id, "procedures/moi.yaml", []byte("x: 3\n"), "lan", 0); err != nil {
		t.Fatalf("a new file: %v", err)
	}
	if _, err := h.SaveFileOver(ctx, id, "procedures/moi.yaml", []byte("x: 4\n"), "lan", 0); !errors.Is(err, ErrSavedSince) {
		t.Fatalf("a second new file of the same name: %v", err)
	}
}

// A fee is doubted against the approved one, which kiosks show, not the
// save before (outside QA, finding 14: 2.000 → 22.000 → 2.000.000 said
// "gấp 90 lần mức cũ", a thousand times what residents pay). The line says
// which fee it compared with.
func TestStudioFeeDoubtComparesWithTheApprovedFee(t *testing.T) {
	h := runTestHub(t, Options{})
	const p = "procedures/ban-sao-trich-luc.yaml" // 8.000 đ a copy
	const approved = "    amount: 8000\n"
	id := mustOpen(t, h, "Lệ phí bản sao", "lan")
	for _, step := range []struct {
		amount, want string
	}{
		{"30000", ""},
		{"600000", "gấp 75 lần mức đã duyệt (8.000 đ), kiểm tra số chữ số 0"}, // ×20 the save before
		{"90000", "gấp 11 lần mức đã duyệt (8.000 đ), kiểm tra số chữ số 0"},  // less than the save before
	} {
		v := mustSave(t, h, id, p, edited(t, h, p, approved, "    amount: "+step.amount+"\n"), "lan")
		if step.want == "" && strings.Contains(v.Summary, "xem lại") || !strings.Contains(v.Summary, step.want) {
			t.Errorf("saving %s đ: summary %q, want %q", step.amount, v.Summary, step.want)
		}
	}
}

// TestFeeDoubtWithAnApprovedFileThatDoesNotDecode: the fee is not compared
// with the save before and called "mức đã duyệt" when the approved file
// does not decode (one an older release wrote); it is doubted for its size
// alone.
func TestFeeDoubtWithAnApprovedFileThatDoesNotDecode(t *testing.T) {
	const p = "procedures/ban-sao-trich-luc.yaml"
	good, err := fs.ReadFile(content.Starter(), p)
	if err != nil || !bytes.Contains(good, []byte("    amount: 8000\n")) {
		t.Fatalf("%s: %v", p, err)
	}
	at := func(amount string) []byte {
		return bytes.Replace(good, []byte("    amount: 8000\n"), []byte("    amount: "+amount+"\n"), 1)
	}
	unreadable := append(slices.Clone(good), []byte("field_of_a_later_release: x\n")...)
	for _, c := range []struct{ approved, after, want string }{
		{"readable", "800000", "gấp 100 lần mức đã duyệt (8.000 đ)"},
		{"unreadable", "800000", ""},
		{"unreadable", "3000000", "trên 1.000.000 đ, cao bất thường"},
	} {
		approved := good
		if c.approved == "unreadable" {
			approved = unreadable
		}
		changes, why := diffSave(p, approved, at("8000"), at(c.after))
		var doubts []string
		for _, ch := range changes {
			if ch.Doubt != "" {
				doubts = append(doubts, ch.Doubt)
			}
		}
		if why != "" || len(doubts) > 1 || (c.want == "") != (len(doubts) == 0) || c.want != "" && !strings.Contains(doubts[0], c.want) {
			t.Errorf("approved %s, saved %s đ: doubts %q (%s), want %q", c.approved, c.after, doubts, why, c.want)
		}
	}
}
