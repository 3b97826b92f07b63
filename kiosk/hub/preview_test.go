package hub

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"

	"tramso/kiosk/content"
)

// starterWith is the starter's files with the given files replaced.
func starterWith(t testing.TB, changed map[string]string) fstest.MapFS {
	t.Helper()
	tree := fstest.MapFS{}
	err := fs.WalkDir(content.Starter(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(content.Starter(), p)
		tree[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for p, body := range changed {
		tree[p] = &fstest.MapFile{Data: []byte(body)}
	}
	return tree
}

// draftBirth is the starter's birth registration under a new name, as an
// editor's draft would have it.
func draftBirth(t testing.TB) fstest.MapFS {
	b, err := fs.ReadFile(content.Starter(), "procedures/khai-sinh.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(b), `plain_name: {vi: "Làm giấy khai sinh cho bé"`, `plain_name: {vi: "Khai sinh cho bé (bản nháp)"`, 1)
	if s == string(b) {
		t.Fatal("the starter's birth registration has changed: update the test")
	}
	return starterWith(t, map[string]string{"procedures/khai-sinh.yaml": s})
}

// kioskFrontend stands in for frontend/dist.
var kioskFrontend = fstest.MapFS{
	"index.html":       {Data: []byte(`<!doctype html><title>Trạm Số</title><script type="module" src="./assets/app.js"></script>`)},
	"assets/app.js":    {Data: []byte(`fetch("api/kiosk")`)},
	"fonts/noto.woff2": {Data: []byte("font")},
}

// hubRows counts the rows of every table of the hub's database.
func hubRows(t *testing.T, h *Hub) map[string]int {
	t.Helper()
	q := `SELECT name FROM sqlite_master WHERE type = 'table'`
	if h.dialect == Postgres {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()`
	}
	rows, err := h.DB.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		names = append(names, n)
	}
	rows.Close()
	counts := map[string]int{}
	for _, n := range names {
		var c int
		if err := h.DB.QueryRow(`SELECT count(*) FROM "` + n + `"`).Scan(&c); err != nil {
			t.Fatal(err)
		}
		counts[n] = c
	}
	return counts
}

func previewHub(t *testing.T, frontend fs.FS) (*Hub, *httptest.Server, *admin) {
	h, srv := startTestHub(t, Options{Frontend: frontend, InsecureHTTP: true})
	if err := h.AddAdminUser(context.Background(), "xem", "mật khẩu đủ dài", RoleViewer); err != nil {
		t.Fatal(err)
	}
	return h, srv, newAdmin(t, srv)
}

// request sends a kiosk API request as the preview page does.
func (a *admin) request(method, path, body, origin string) (int, string, http.Header) {
	a.t.Helper()
	return a.send(method, path, "application/json", body, origin)
}

func TestPreviewOnlyForConsoleUsers(t *testing.T) {
	_, _, a := previewHub(t, kioskFrontend)
	if code, body := a.get(PreviewPrefix + "1/"); code != http.StatusOK || !strings.Contains(body, `action="/admin/login"`) {
		t.Fatalf("the preview page before logging in: %d, want the login page: %.300s", code, body)
	}
	for _, m := range []string{http.MethodGet, http.MethodPost} {
		code, body, _ := a.request(m, PreviewPrefix+"1/api/procedures/1.001193/result?lang=vi", `{"answers":{}}`, a.srv.URL)
		if code != http.StatusUnauthorized || !strings.Contains(body, `"code"`) {
			t.Fatalf("%s to the preview's API before logging in: %d %s", m, code, body)
		}
	}
}

func TestPreviewServesTheTreeAndWritesNothing(t *testing.T) {
	h, srv, a := previewHub(t, kioskFrontend)
	h.preview.tree = func(_ context.Context, change string) (string, fs.FS, error) {
		if change != "7" {
			return "", nil, fmt.Errorf("change %s: %w", change, fs.ErrNotExist)
		}
		return "change 7 v1", draftBirth(t), nil
	}
	if code := a.login("xem", "mật khẩu đủ dài"); code != http.StatusOK {
		t.Fatalf("login: %d", code)
	}
	before := hubRows(t, h)

	code, body, hdr := a.request(http.MethodGet, PreviewPrefix+"7/", "", "")
	if code != http.StatusOK || !strings.Contains(body, `src="./assets/app.js"`) {
		t.Fatalf("the kiosk page: %d %.300s", code, body)
	}
	csp := hdr.Get("Content-Security-Policy")
	if !strings.Contains(csp, "frame-ancestors 'self'") || !strings.Contains(csp, "script-src 'self'") {
		t.Fatalf("the kiosk page's policy: %q", csp)
	}
	if code, body, _ := a.request(http.MethodGet, PreviewPrefix+"7/assets/app.js", "", ""); code != http.StatusOK || body != `fetch("api/kiosk")` {
		t.Fatalf("a frontend file: %d %q", code, body)
	}
	code, body, _ = a.request(http.MethodGet, PreviewPrefix+"7/api/procedures/1.001193?lang=vi", "", "")
	if code != http.StatusOK || !strings.Contains(body, "Khai sinh cho bé (bản nháp)") {
		t.Fatalf("the draft's procedure: %d %.300s", code, body)
	}
	code, body, _ = a.request(http.MethodPost, PreviewPrefix+"7/api/procedures/1.001193/result?lang=vi", `{"answers":{}}`, srv.URL)
	var result struct {
		Title, Next string
		Office      struct{ Name string }
	}
	if err := json.Unmarshal([]byte(body), &result); code != http.StatusOK || err != nil ||
		result.Title != "Khai sinh cho bé (bản nháp)" || result.Next == "" {
		t.Fatalf("the draft's result: %d %.300s", code, body)
	}
	// Where to go reads as on a kiosk, from a sample commune marked as one.
	if result.Office.Name != "Trung tâm Phục vụ hành chính công xã (mẫu)" {
		t.Fatalf("the result's office: %+v", result.Office)
	}
	// What a kiosk page sends as it runs: none of it is kept.
	for _, p := range []string{"api/sessions", "api/alive", "api/events"} {
		a.request(http.MethodPost, PreviewPrefix+"7/"+p, `[]`, srv.URL)
	}
	if code, body, _ := a.request(http.MethodGet, PreviewPrefix+"7/api/kiosk", "", ""); code != http.StatusOK || !strings.Contains(body, `"rad"`) {
		t.Fatalf("the preview kiosk offers every language: %d %.300s", code, body)
	}
	if code, _, _ := a.request(http.MethodPost, PreviewPrefix+"7/api/procedures/1.001193/result?lang=vi", `{"answers":{}}`, "https://evil.example"); code != http.StatusForbidden {
		t.Fatalf("a POST from another site: %d", code)
	}
	if code, body, _ := a.request(http.MethodGet, PreviewPrefix+"8/", "", ""); code != http.StatusNotFound || !strings.Contains(body, "Không có thay đổi") {
		t.Fatalf("no such change: %d %.300s", code, body)
	}
	if after := hubRows(t, h); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Fatalf("the preview wrote to the hub's database:\nbefore %v\nafter  %v", before, after)
	}
}

func TestPreviewShowsContentProblems(t *testing.T) {
	h, _, a := previewHub(t, kioskFrontend)
	broken := starterWith(t, map[string]string{"procedures/khai-sinh.yaml": "code: \"1.001193\"\nname: <b>Khai sinh</b>\n"})
	h.preview.tree = func(context.Context, string) (string, fs.FS, error) { return "broken", broken, nil }
	a.login("xem", "mật khẩu đủ dài")
	code, body := a.get(PreviewPrefix + "3/")
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "còn lỗi") || !strings.Contains(body, "procedures/khai-sinh.yaml") ||
		strings.Contains(body, "<b>Khai") {
		t.Fatalf("a draft that does not load: %d %.1000s", code, body)
	}
	if code, body, _ := a.request(http.MethodGet, PreviewPrefix+"3/api/procedures?lang=vi", "", ""); code != http.StatusUnprocessableEntity || !strings.Contains(body, "content_problems") {
		t.Fatalf("the API of a draft that does not load: %d %.300s", code, body)
	}
}

func TestPreviewWithoutFrontend(t *testing.T) {
	h, _, a := previewHub(t, nil)
	h.preview.tree = func(context.Context, string) (string, fs.FS, error) { return "starter", content.Starter(), nil }
	a.login("xem", "mật khẩu đủ dài")
	if code, body := a.get(PreviewPrefix + "1/"); code != http.StatusServiceUnavailable || !strings.Contains(body, "không kèm giao diện kiosk") {
		t.Fatalf("no frontend: %d %.300s", code, body)
	}
	// The API still answers.
	if code, body, _ := a.request(http.MethodGet, PreviewPrefix+"1/api/procedures/1.001193?lang=vi", "", ""); code != http.StatusOK || !strings.Contains(body, "Làm giấy khai sinh cho bé") {
		t.Fatalf("the starter through the preview: %d %.300s", code, body)
	}
}

// Built previews are kept by key: the tree is loaded once per key, again
// after it changes, and again after enough others pushed it out.
func TestPreviewKeepsBuiltTrees(t *testing.T) {
	h, _, a := previewHub(t, kioskFrontend)
	var loads atomic.Int64
	h.preview.tree = func(_ context.Context, change string) (string, fs.FS, error) {
		return "key " + change, countingFS{FS: content.Starter(), n: &loads}, nil
	}
	a.login("xem", "mật khẩu đủ dài")
	get := func(change string) {
		if code, body, _ := a.request(http.MethodGet, PreviewPrefix+change+"/api/procedures?lang=vi", "", ""); code != http.StatusOK {
			t.Fatalf("change %s: %d %.200s", change, code, body)
		}
	}
	get("a")
	get("a")
	get("a")
	if n := loads.Load(); n != 1 {
		t.Fatalf("one tree asked 3 times was loaded %d times", n)
	}
	for i := range previewKept {
		get(fmt.Sprint("other", i))
	}
	get("a")
	if n := loads.Load(); n != int64(previewKept)+2 {
		t.Fatalf("after %d other trees, loads = %d, want %d", previewKept, n, previewKept+2)
	}
}

// countingFS counts how often pack.yaml is read: once per load.
type countingFS struct {
	fs.FS
	n *atomic.Int64
}

func (c countingFS) Open(name string) (fs.File, error) {
	if name == "pack.yaml" {
		c.n.Add(1)
	}
	return c.FS.Open(name)
}

func TestPreviewPanel(t *testing.T) {
	_, _, a := previewHub(t, kioskFrontend)
	a.login("xem", "mật khẩu đủ dài")
	req, _ := http.NewRequest(http.MethodGet, a.srv.URL+PreviewPrefix+"7?preview=tall&lang=rad", nil)
	resp, err := a.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	page := string(body)
	for _, want := range []string{
		`<iframe src="/admin/content/preview/7/?lang=rad"`,
		`class="preview-box preview-tall"`,
		`href="/admin/content/preview/7?lang=rad">Xoay ngang`,
		`href="/admin/content/preview/7/?lang=rad" target="_blank"`,
		`href="/admin/content/preview/7?lang=mng&amp;preview=tall">Tiếng M&#39;nông`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the preview panel lacks %s:\n%s", want, page)
		}
	}
	if bytes.Contains(body, []byte("style=")) || bytes.Contains(body, []byte("<script")) {
		t.Error("the panel has an inline style or a script, which the console's policy forbids")
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("the console page's policy: %q", csp)
	}
}

// BenchmarkPreviewBuild is the cost of a preview the cache does not hold:
// loading the starter's tree and giving it a kiosk API.
func BenchmarkPreviewBuild(b *testing.B) {
	h := runTestHub(b, Options{})
	for i := 0; b.Loop(); i++ {
		if _, err := h.buildPreview(fmt.Sprint(i), content.Starter()); err != nil {
			b.Fatal(err)
		}
	}
}
