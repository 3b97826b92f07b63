package hub

// The console's preview is the kiosk itself — its frontend and its API —
// over a content tree that is not published yet, so an editor answers a
// procedure's questions and sees the tailored result and its QR exactly as a
// resident will, at a kiosk's two screen shapes, in any language and text
// size. It writes nothing anywhere: no usage is logged, nothing reaches the
// hub's database, and the kiosk API's own small state (staff lockouts, with
// no staff PIN set) lives in memory.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"

	"tramso/kiosk/api"
	"tramso/kiosk/buildinfo"
	"tramso/kiosk/config"
	"tramso/kiosk/content"
	"tramso/kiosk/httpjson"
	"tramso/kiosk/lang"
	"tramso/kiosk/store"
)

// PreviewPrefix is where the preview of a change lives: the kiosk's page at
// PreviewPrefix+change+"/", its API below that at "api/…".
const PreviewPrefix = "/admin/content/preview/"

// PreviewTree gives the content tree the preview of change shows and a key
// naming that tree's content: the same key for the same files, a new one when
// any file changes, since built previews are kept by key. The tree is read
// after the request that asked for it has ended (media files, later
// requests), so it must not depend on that request's context. An error that
// is fs.ErrNotExist means there is no such change (404).
type PreviewTree func(ctx context.Context, change string) (key string, tree fs.FS, err error)

// previewKept is how many built previews are kept: building one from the
// starter's tree takes about 30 ms and 8 MB of allocations on the 2-core
// test machine (BenchmarkPreviewBuild), a page makes a dozen API requests,
// and a few editors have a change or two open.
const previewKept = 4

// preview is the hub's state for previews.
type preview struct {
	// tree gives a change's content: the studio's (studio_preview.go).
	tree PreviewTree

	mu    sync.Mutex
	sites []*previewSite // most recently used first
	store *store.Store   // in memory, shared by every preview; opened with the first
}

// previewSite is one tree, ready to serve.
type previewSite struct {
	key      string
	api      http.Handler     // nil when the tree does not load
	problems content.Problems // why it does not
}

func (p *preview) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.store != nil {
		p.store.Close()
		p.store = nil
	}
	p.sites = nil
}

// previewSite returns the built preview of change's tree, building it when
// its key is new. Building holds the lock: the page's first requests come
// together and must not load the same tree a dozen times.
func (h *Hub) previewSite(ctx context.Context, change string) (*previewSite, error) {
	key, fsys, err := h.preview.tree(ctx, change)
	if err != nil {
		return nil, err
	}
	p := &h.preview
	p.mu.Lock()
	defer p.mu.Unlock()
	if i := slices.IndexFunc(p.sites, func(s *previewSite) bool { return s.key == key }); i >= 0 {
		site := p.sites[i]
		p.sites = slices.Insert(slices.Delete(p.sites, i, i+1), 0, site)
		return site, nil
	}
	site, err := h.buildPreview(key, fsys)
	if err != nil {
		return nil, err
	}
	p.sites = slices.Insert(p.sites, 0, site)
	if len(p.sites) > previewKept {
		p.sites = p.sites[:previewKept]
	}
	return site, nil
}

// buildPreview loads a tree and gives it a kiosk API of its own. Call it
// with h.preview.mu held.
func (h *Hub) buildPreview(key string, fsys fs.FS) (*previewSite, error) {
	p := &h.preview
	pk, err := content.Load(fsys)
	if err != nil {
		var probs content.Problems
		if errors.As(err, &probs) {
			return &previewSite{key: key, problems: probs}, nil
		}
		return nil, err
	}
	if p.store == nil {
		if p.store, err = store.OpenMemory(); err != nil {
			return nil, fmt.Errorf("preview: %w", err)
		}
	}
	srv := &api.Server{Version: buildinfo.AppVersion(), Config: previewConfig(), Store: p.store, Screens: h.opts.Frontend,
		Content: content.NewLive(pk, content.SourcePack), Log: h.log}
	return &previewSite{key: key, api: srv.Handler()}, nil
}

// previewConfig is a kiosk with no commune, no hub, no staff PIN and no
// voice of its own (recordings in the tree still play), that offers every
// language, translated or not: the editor checks a language before it is
// ready for kiosks.
func previewConfig() config.Config {
	c := config.Default()
	c.OfferUntranslated = slices.Clone(lang.Known)
	c.Commune = previewCommune
	return c
}

// previewCommune stands in for a kiosk's own commune, so that a result shows
// where to go and when as a kiosk shows it, marked as a sample: each kiosk
// names its offices in its config (build/config.example.yaml), under the ids
// procedures use.
var previewCommune = config.Commune{Name: "Xã mẫu (xem trước)", Offices: []config.Office{
	{ID: "pvhcc", Name: "Trung tâm Phục vụ hành chính công xã (mẫu)", Address: "Địa chỉ của xã (mỗi kiosk ghi địa chỉ của mình)",
		Hours: []string{"Thứ Hai–Thứ Sáu 07:00–11:30, 13:30–17:00"}},
	{ID: "police", Name: "Công an xã (mẫu)", Address: "Địa chỉ của công an xã (mỗi kiosk ghi địa chỉ của mình)",
		Hours: []string{"Thứ Hai–Thứ Sáu 07:00–11:30, 13:30–17:00"}},
}}

func (h *Hub) previewRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET "+PreviewPrefix+"{change}", h.allow(permRead, h.previewPage))
	mux.HandleFunc("GET "+PreviewPrefix+"{change}/{path...}", h.previewAllow(h.previewServe))
	mux.HandleFunc("POST "+PreviewPrefix+"{change}/{path...}", h.previewAllow(h.previewServe))
}

// previewAllow admits logged-in console users. The kiosk page's own API
// requests are JSON, not forms: they carry no CSRF field, and a refusal is a
// JSON error the page understands rather than the login page. A POST must
// still come from this site; it changes nothing of the hub's (the preview
// writes nothing), so the origin check and SameSite cookies are enough.
func (h *Hub) previewAllow(next http.HandlerFunc) http.HandlerFunc {
	page := h.allow(permRead, func(w http.ResponseWriter, r *http.Request, _ session) { next(w, r) })
	return func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.PathValue("path"), "api/") {
			if r.Method != http.MethodGet {
				http.Error(w, "only the kiosk API takes a POST", http.StatusMethodNotAllowed)
				return
			}
			page(w, r)
			return
		}
		s, ok := h.session(r)
		switch {
		case !ok:
			httpjson.Error(w, http.StatusUnauthorized, codeUnauthorized, "log in to the console to see the preview")
		case !s.Role.may(permRead):
			httpjson.Error(w, http.StatusForbidden, codeUnauthorized, "this account may not see the preview")
		case r.Method != http.MethodGet && !sameOrigin(r):
			httpjson.Error(w, http.StatusForbidden, codeUnauthorized, "a preview request must come from the console's own pages")
		default:
			next(w, r)
		}
	}
}

// previewServe answers the kiosk page and its API over the change's tree.
func (h *Hub) previewServe(w http.ResponseWriter, r *http.Request) {
	api.PageHeaders(w.Header(), "'self'")
	rest := r.PathValue("path")
	site, err := h.previewSite(r.Context(), r.PathValue("change"))
	isAPI := strings.HasPrefix(rest, "api/")
	switch {
	case err != nil && isAPI:
		status := http.StatusInternalServerError
		if errors.Is(err, fs.ErrNotExist) {
			status = http.StatusNotFound
		}
		httpjson.Error(w, status, codeInternal, "preview: "+err.Error())
	case err != nil:
		h.previewMessage(w, r, err)
	case isAPI && site.api == nil:
		httpjson.Error(w, http.StatusUnprocessableEntity, "content_problems", site.problems.Error())
	case isAPI:
		r2 := r.Clone(r.Context())
		r2.URL.Path, r2.URL.RawPath = "/"+rest, ""
		site.api.ServeHTTP(w, r2)
	case site.api == nil:
		h.previewMessage(w, r, site.problems)
	default:
		h.previewFrontend(w, r, rest)
	}
}

// previewFrontend serves the kiosk's frontend files; any other path is the
// page itself, as on a kiosk.
func (h *Hub) previewFrontend(w http.ResponseWriter, r *http.Request, rest string) {
	files := h.opts.Frontend
	if files == nil || !exists(files, "index.html") {
		h.previewMessage(w, r, errNoFrontend)
		return
	}
	r2 := r.Clone(r.Context())
	r2.URL.Path, r2.URL.RawPath = "/", ""
	if rest != "" && exists(files, rest) {
		r2.URL.Path = "/" + rest
	}
	w.Header().Set("Cache-Control", "no-store")
	http.FileServerFS(files).ServeHTTP(w, r2)
}

var errNoFrontend = errors.New("this hub was built without the kiosk's frontend")

// previewMessage says, inside the preview's frame, why there is no kiosk to
// show: the tree's content problems, no such change, or no frontend.
func (h *Hub) previewMessage(w http.ResponseWriter, r *http.Request, cause error) {
	msg := previewText{Status: http.StatusInternalServerError, Detail: cause.Error()}
	var probs content.Problems
	switch {
	case errors.As(cause, &probs):
		msg.Status, msg.Title, msg.Detail = http.StatusUnprocessableEntity,
			"Nội dung này chưa xem trước được vì còn lỗi. Hãy sửa các lỗi dưới đây rồi tải lại.", ""
		for _, p := range probs {
			msg.Problems = append(msg.Problems, p.String())
		}
	case errors.Is(cause, errNoFrontend):
		msg.Status, msg.Title = http.StatusServiceUnavailable,
			"Máy chủ này được dựng không kèm giao diện kiosk (frontend/dist), nên không xem trước được. Hãy dùng bản tramso dựng đầy đủ."
	case errors.Is(cause, fs.ErrNotExist):
		msg.Status, msg.Title = http.StatusNotFound, "Không có thay đổi nội dung này."
	default:
		h.log.Error("content preview", "path", r.URL.Path, "err", cause)
		msg.Title = "Máy chủ không dựng được bản xem trước; lỗi đã được ghi vào nhật ký."
	}
	var buf bytes.Buffer
	if err := templates.ExecuteTemplate(&buf, "previewMessage", msg); err != nil {
		http.Error(w, msg.Title, msg.Status)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(msg.Status)
	_, _ = w.Write([]byte(neutralise(buf.String(), true)))
}

type previewText struct {
	Status   int
	Title    string
	Detail   string
	Problems []string
}

// PreviewPanel is what the "previewPanel" template shows: the kiosk in a
// frame at a kiosk's size, scaled down to fit the console, with links to
// turn it, to start it in another language and to open it full size. Embed
// it in a console page with {{template "previewPanel" .Data.Preview}}, made
// by NewPreviewPanel.
type PreviewPanel struct {
	URL   string // the kiosk page (with ?lang= when given)
	Tall  bool   // 1080×1920 (portrait) rather than 1920×1080
	Turn  string // this console page, the other way round
	Langs []PreviewLang
}

// PreviewLang is a link to this console page with the kiosk starting in a
// language.
type PreviewLang struct {
	Label, Href string
	Current     bool
}

// NewPreviewPanel makes the panel for change on the console page r shows.
// The page's query says the shape (?preview=tall) and the kiosk's starting
// language (?lang=rad); the links keep the rest of the page's query.
func NewPreviewPanel(r *http.Request, change string) PreviewPanel {
	q := r.URL.Query()
	p := PreviewPanel{Tall: q.Get("preview") == "tall", URL: PreviewPrefix + url.PathEscape(change) + "/"}
	start := q.Get("lang")
	if !lang.IsKnown(start) {
		start = "vi"
	}
	if start != "vi" {
		p.URL += "?lang=" + start
	}
	turn := "tall"
	if p.Tall {
		turn = ""
	}
	p.Turn = withQuery(r, "preview", turn)
	for _, l := range lang.Known {
		p.Langs = append(p.Langs, PreviewLang{Label: labelOr(usageKeys, l), Href: withQuery(r, "lang", l), Current: l == start})
	}
	return p
}

// withQuery is r's path and query with key set to value ("" removes it).
func withQuery(r *http.Request, key, value string) string {
	q := r.URL.Query()
	if value == "" {
		q.Del(key)
	} else {
		q.Set(key, value)
	}
	if len(q) == 0 {
		return r.URL.Path
	}
	return r.URL.Path + "?" + q.Encode()
}

// exists says whether name is a file of fsys.
func exists(fsys fs.FS, name string) bool {
	if !fs.ValidPath(name) {
		return false
	}
	st, err := fs.Stat(fsys, name)
	return err == nil && !st.IsDir()
}

// previewPage is the console page of a change's preview: the panel alone.
func (h *Hub) previewPage(w http.ResponseWriter, r *http.Request, s session) {
	change := r.PathValue("change")
	h.render(w, r, http.StatusOK, "preview", s.page("Xem trước nội dung", NewPreviewPanel(r, change)))
}
