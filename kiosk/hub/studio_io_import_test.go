package hub

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// An import with "Xoá các tệp không có trong tệp nhập" that would remove
// more than a few files asks first, saying how many it adds, changes and
// removes (outside QA: a tarball of one file removed 207 with no word);
// "Có, …" then imports it without the file sent again. Every import's
// change says what it did.
func TestStudioImportAsksBeforeRemovingMany(t *testing.T) {
	h, srv := startTestHub(t, Options{})
	ctx := context.Background()
	lan := loginAs(t, h, srv, "lan", RoleEditor)
	files := starterFiles(t)
	fixed := map[string][]byte{khaiSinh: []byte(strings.Replace(string(files[khaiSinh]), lateFeeOld, lateFeeNew, 1))}
	fields := map[string]string{"csrf": lan.csrf("/admin/content/changes"), "title": "Một tệp", "remove_missing": "yes"}
	code, body := lan.postFile("/admin/content/import", fields, "tree", "x.tar.gz", tarGz(t, []string{khaiSinh}, fixed))
	removes := len(files) - 1
	for _, want := range []string{
		"thêm 0 tệp, sửa 1 tệp và xoá " + strconv.Itoa(removes) + " tệp",
		"Có, nhập và xoá " + strconv.Itoa(removes) + " tệp",
		`name="tree_sha256"`,
		"… và " + strconv.Itoa(removes-20) + " tệp khác",
	} {
		if code != http.StatusOK || !strings.Contains(body, want) {
			t.Fatalf("import of one file, removing the rest: %d, want %q: %.3000s", code, want, body)
		}
	}
	if cs, _ := h.Changes(ctx, 10, StateDraft); len(cs) != 0 {
		t.Fatalf("asking made changes: %+v", cs)
	}
	// "Có, …": the confirmation form, posted as it is.
	vals := hiddenFields(body)
	code, body = lan.post("/admin/content/import", vals, srv.URL)
	if code != http.StatusOK || !strings.Contains(body, "Nhập từ tệp .tar.gz: thêm 0 tệp, sửa 1 tệp, xoá "+strconv.Itoa(removes)+" tệp.") {
		t.Fatalf("confirmed import: %d %.3000s", code, body)
	}
	cs, _ := h.Changes(ctx, 10, StateDraft)
	if vs, _ := h.ChangeVersions(ctx, cs[0].ID); len(cs) != 1 || len(vs) != len(files) {
		t.Fatalf("confirmed import: %d changes, %d versions", len(cs), len(vs))
	}
	// A few removals do not ask, and still say what they do.
	some := starterFiles(t)
	delete(some, "search.yaml")
	names := make([]string, 0, len(some))
	for n := range some {
		names = append(names, n)
	}
	code, body = lan.postFile("/admin/content/import", fields, "tree", "x.tar.gz", tarGz(t, names, some))
	if code != http.StatusOK || !strings.Contains(body, "Nhập từ tệp .tar.gz: thêm 0 tệp, sửa 0 tệp, xoá 1 tệp.") {
		t.Fatalf("import removing one file: %d %.3000s", code, body)
	}
}

// hiddenFields are the fields of a page's confirmation form.
func hiddenFields(page string) url.Values {
	_, form, _ := strings.Cut(page, `class="confirm"`)
	vals := url.Values{}
	for _, m := range hiddenRe.FindAllStringSubmatch(form, -1) {
		vals.Set(html.UnescapeString(m[1]), html.UnescapeString(m[2]))
	}
	return vals
}

var hiddenRe = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)
