package hub

import (
	_ "embed"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"tramso/kiosk/httpjson"
	"tramso/kiosk/lang"
	"tramso/kiosk/oggopus"
	"tramso/kiosk/speech"
	"tramso/kiosk/translate"
)

// The recording studio: a native speaker reads each line a kiosk shows in
// their language, records it with the browser's microphone, listens, and
// saves it into a change at the path the kiosk looks for a person's
// recording of that exact text (speech.RecordingPath), so the next pack
// carries it and the kiosk plays it instead of its synthetic voice. The page
// lists the lines of one screen or file at a time; it is the one console
// page with script (static/record.js: MediaRecorder), and still lets anyone
// listen to what is recorded without it.

//go:embed static/record.js
var recordJS []byte

func (h *Hub) studioRecordRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /admin/content/record/{lang}", h.allow(permRead, h.recordPage))
	mux.HandleFunc("POST /admin/content/record/{lang}", h.allow(permEdit, h.recordAction))
	mux.HandleFunc("GET /admin/static/record.js", serveRecordJS)
}

// Bounds of one recording: a screen line read aloud takes seconds; a minute
// and 2 MiB leave room for the longest and refuse a forgotten microphone.
const (
	maxRecording      = 2 << 20
	maxRecordDuration = 60 * time.Second
	minRecordDuration = 300 * time.Millisecond
)

// langNames are the kiosk's languages as the console names them.
var langNames = map[string]string{"vi": "Tiếng Việt", "en": "Tiếng Anh", "rad": "Tiếng Ê Đê", "mng": "Tiếng M'nông"}

// recordLine is one line of the page.
type recordLine struct {
	Ctxt, Where string
	Text        string // as the kiosk shows it in the language; "" untranslated
	Recorded    bool
	Filled      bool // has a {placeholder}: the kiosk fills it, so no recording can match
}

// recordGroup is the lines of one screen (a shell catalogue's nested key,
// or its plain keys together) or content file.
type recordGroup struct {
	Key, Title     string
	Sample         string // its first line in Vietnamese, to recognise the screen by
	Lines          []recordLine
	Recorded, Open int // recorded lines; lines that may still be recorded
}

type recordData struct {
	View      view
	Lang      string
	LangName  string
	Langs     []string
	Groups    []*recordGroup
	Group     *recordGroup // the one shown, nil on the list of groups
	Coverage  translate.Count
	CanRecord bool // the viewer may edit and the view is an open change
	Open      []Change
	Max       int // seconds a recording may last
}

// LangLabel names a language code for the page's links.
func (recordData) LangLabel(code string) string { return langNames[code] }

// ListURL is the page's list of screens and files; GroupURL one of them.
func (d recordData) ListURL() string { return d.url(d.Lang, "") }

func (d recordData) GroupURL(key string) string { return d.url(d.Lang, key) }

// LangURL is the page for another language, in the same view.
func (d recordData) LangURL(code string) string { return d.url(code, "") }

func (d recordData) url(lng, group string) string {
	q := url.Values{}
	if d.View.Change != nil {
		q.Set("change", strconv.FormatInt(d.View.Change.ID, 10))
	}
	if group != "" {
		q.Set("group", group)
	}
	u := "/admin/content/record/" + lng
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return u
}

// Audio is the kiosk preview's answer for a line: exactly what a kiosk
// with this view's content plays, and only a person's recording.
func (d recordData) Audio(text string) string {
	return PreviewPrefix + d.View.PreviewKey() + "/api/speech?" +
		url.Values{"lang": {d.Lang}, "text": {text}, "recorded_only": {"1"}}.Encode()
}

// recordLang is the {lang} of the path, when the kiosk knows it.
func recordLang(r *http.Request) (string, bool) {
	l := r.PathValue("lang")
	return l, lang.IsKnown(l)
}

// recordUnits lists every line in lng of the view, with its text there:
// the kiosk's screens (shellCatalogues) and the content's.
func (h *Hub) recordUnits(r *http.Request, v view, lng string) (fs.FS, []translate.Unit, error) {
	shell, err := h.shellCatalogues()
	if err != nil {
		return nil, nil, err
	}
	tree := h.TreeFS(r.Context(), v.Tree)
	units, err := translate.Collect(shell, tree, lng)
	return tree, units, err
}

// lineText is what the kiosk shows of u in lng: the Vietnamese itself for
// vi, else the translation ("" while there is none).
func lineText(u translate.Unit, lng string) string {
	if lng == "vi" {
		return u.Source
	}
	return u.Trans
}

// recordGroups sorts the lines into screens and files and counts what is
// recorded, as `tramso pack translations status` does: every line of the
// language counts, recorded when it has a text and that text a recording.
func (h *Hub) recordGroups(r *http.Request, v view, tree fs.FS, units []translate.Unit, lng string) ([]*recordGroup, translate.Count) {
	var groups []*recordGroup
	byKey := map[string]*recordGroup{}
	var total translate.Count
	for _, u := range units {
		key, title := "file:"+u.File, u.File
		if u.Shell() { // a catalogue's nested keys are one screen or part of the kiosk each
			key, title = "shell:"+u.NS, "Màn hình kiosk: "+u.NS
			if part, _, nested := strings.Cut(u.Key, "."); nested {
				key, title = key+"."+part, title+" · "+part
			}
		}
		g := byKey[key]
		if g == nil {
			if !u.Shell() {
				title, _, _ = h.itemTitle(r.Context(), v.Tree, u.File)
			}
			g = &recordGroup{Key: key, Title: title, Sample: clip(u.Source, 60)}
			byKey[key] = g
			groups = append(groups, g)
		}
		l := recordLine{Ctxt: u.Ctxt, Where: u.Ctxt[strings.LastIndex(u.Ctxt, ":")+1:], Text: lineText(u, lng)}
		l.Filled = strings.Contains(l.Text, "{")
		l.Recorded = l.Text != "" && speech.FindRecording(tree, lng, l.Text) != ""
		total.Total++
		if l.Recorded {
			g.Recorded++
			total.Done++
		} else if l.Text != "" && !l.Filled {
			g.Open++
		}
		g.Lines = append(g.Lines, l)
	}
	return groups, total
}

// recordPage is GET /admin/content/record/{lang}: the screens and files
// with how much of each is recorded, or with ?group= the lines of one.
func (h *Hub) recordPage(w http.ResponseWriter, r *http.Request, s session) {
	lng, ok := recordLang(r)
	if !ok {
		h.errorPage(w, r, http.StatusNotFound, "Không có ngôn ngữ này", "Kiosk không có ngôn ngữ "+lng+".", link{"/admin/content/", "Về trang Nội dung"})
		return
	}
	v, err := h.viewOf(r.Context(), r.URL.Query().Get("change"))
	if err != nil {
		h.studioPageError(w, r, s, err)
		return
	}
	tree, units, err := h.recordUnits(r, v, lng)
	if err != nil {
		h.studioPageError(w, r, s, err)
		return
	}
	d := recordData{View: v, Lang: lng, LangName: langNames[lng], Langs: lang.Known, Max: int(maxRecordDuration / time.Second)}
	d.Groups, d.Coverage = h.recordGroups(r, v, tree, units, lng)
	d.CanRecord = s.Role.may(permEdit) && v.Editable()
	for _, g := range d.Groups {
		if g.Key == r.URL.Query().Get("group") {
			d.Group = g
		}
	}
	if d.Open, err = h.Changes(r.Context(), 50, StateDraft, StateReturned); err != nil {
		h.serverError(w, r, err)
		return
	}
	p := s.page("Ghi âm: "+d.LangName, d)
	p.Script = d.Group != nil // plays recordings (media-src), records when CanRecord
	h.render(w, r, http.StatusOK, "studioRecord", p)
}

// recordAction is POST /admin/content/record/{lang}. action=open picks or
// opens a change to record into (a form, answered with a redirect);
// otherwise the page's script sends one recording of the line ctxt whose
// text it showed, answered in JSON {ok, message}.
func (h *Hub) recordAction(w http.ResponseWriter, r *http.Request, s session) {
	lng, ok := recordLang(r)
	if !ok {
		http.NotFound(w, r)
		return
	}
	if r.PostFormValue("action") == "open" {
		c, err := h.changeToWrite(r, s, "Ghi âm "+langNames[lng])
		if err != nil {
			h.studioPageError(w, r, s, err)
			return
		}
		q := url.Values{"change": {strconv.FormatInt(c.ID, 10)}}
		if g := r.PostFormValue("group"); g != "" {
			q.Set("group", g)
		}
		http.Redirect(w, r, r.URL.Path+"?"+q.Encode(), http.StatusSeeOther)
		return
	}
	p, err := h.saveRecording(r, s, lng)
	if err != nil {
		var fe *formError
		if !errors.As(err, &fe) {
			h.log.Error("save recording", "err", err)
			err = failf(err, "Máy chủ chưa lưu được bản ghi; lỗi đã được ghi vào nhật ký. Hãy thử lại.")
			errors.As(err, &fe)
		}
		httpjson.Write(w, http.StatusBadRequest, map[string]any{"ok": false, "message": fe.msg})
		return
	}
	httpjson.Write(w, http.StatusOK, map[string]any{"ok": true, "message": "Đã lưu", "path": p})
}

// saveRecording checks the posted recording and saves it into the change;
// it returns the path saved, or a formError saying why not.
func (h *Hub) saveRecording(r *http.Request, s session, lng string) (string, error) {
	ctx := r.Context()
	v, err := h.writableView(ctx, r.PostFormValue("change"))
	if err != nil {
		return "", err
	}
	_, units, err := h.recordUnits(r, v, lng)
	if err != nil {
		return "", err
	}
	text, err := recordedText(units, lng, r.PostFormValue("ctxt"), r.PostFormValue("text"))
	if err != nil {
		return "", err
	}
	file, hdr, err := r.FormFile("audio")
	if err != nil {
		return "", failf(err, "Không nhận được bản ghi; hãy ghi lại.")
	}
	defer file.Close()
	if hdr.Size > maxRecording {
		return "", failf(nil, "Bản ghi quá lớn: tối đa "+humanBytes(maxRecording)+".")
	}
	body, err := io.ReadAll(io.LimitReader(file, maxRecording+1))
	if err != nil {
		return "", failf(err, "Bản ghi tải lên bị ngắt giữa chừng; hãy thử lại.")
	}
	ogg, err := recordingOgg(body)
	if err != nil {
		return "", err
	}
	p, err := speech.RecordingPath(lng, text)
	if err != nil {
		return "", failf(err, "Dòng này không ghi âm được.")
	}
	if _, err := h.SaveFile(ctx, v.Change.ID, p, ogg, s.User); err != nil {
		return "", studioFail(err, "Chưa lưu được bản ghi.")
	}
	return p, nil
}

// recordedText is the text of line ctxt in lng, which must be the one the
// page showed: a line retranslated since would otherwise get a recording
// that says something else.
func recordedText(units []translate.Unit, lng, ctxt, shown string) (string, error) {
	for _, u := range units {
		if u.Ctxt != ctxt {
			continue
		}
		text := lineText(u, lng)
		switch {
		case text == "":
			return "", failf(nil, "Dòng này chưa có bản dịch "+langNames[lng]+" nên chưa ghi âm được; hãy dịch trước.")
		case strings.Contains(text, "{"):
			return "", failf(nil, "Dòng này có chỗ kiosk tự điền số liệu nên không ghi âm sẵn được; kiosk sẽ tự đọc.")
		case text != shown:
			return "", failf(nil, "Lời của dòng này vừa được sửa; hãy tải lại trang rồi ghi âm theo lời mới.")
		}
		return text, nil
	}
	return "", failf(nil, "Không có dòng này trong nội dung đang xem.")
}

// recordingOgg is the upload as the Ogg Opus a pack carries: as sent when
// it is one, remuxed when it is the WebM that Chromium records, and refused
// unless it plays for a sensible time.
func recordingOgg(body []byte) ([]byte, error) {
	if len(body) > maxRecording {
		return nil, failf(nil, "Bản ghi quá lớn: tối đa "+humanBytes(maxRecording)+".")
	}
	ogg := body
	if oggopus.IsWebM(body) {
		var err error
		if ogg, err = oggopus.FromWebM(body); err != nil {
			return nil, failf(err, "Bản ghi không phải âm thanh Opus đọc được; hãy ghi lại.")
		}
	}
	info, err := oggopus.Check(ogg)
	switch {
	case err != nil:
		return nil, failf(err, "Tệp gửi lên không phải bản ghi âm Ogg Opus; hãy ghi lại bằng nút Ghi âm.")
	case info.Duration > maxRecordDuration:
		return nil, failf(nil, "Bản ghi dài "+strconv.Itoa(int(info.Duration/time.Second))+" giây, quá 60 giây cho một dòng; hãy ghi ngắn lại.")
	case info.Duration < minRecordDuration:
		return nil, failf(nil, "Bản ghi quá ngắn, gần như không có tiếng; hãy ghi lại.")
	}
	return ogg, nil
}

func serveRecordJS(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "no-cache")
	_, _ = w.Write(recordJS)
}

// clip shortens s to at most n characters, marking the cut.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
