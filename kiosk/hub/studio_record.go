package hub

import (
	"cmp"
	"context"
	"database/sql"
	_ "embed"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"tramso/kiosk/content"
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
	// Narration is, for a lesson step's text, the step's narration file in
	// the language (under media/): the kiosk plays it for the step, so the
	// line shows it and a new recording replaces it. The counts stay those
	// of `translations status` (recordings at the speech path).
	Narration string
	Old       *stepNarration // the narration reads the step's text from before an edit
}

// recordGroup is the lines of one screen (a shell catalogue's nested key,
// or its plain keys together) or content file.
type recordGroup struct {
	Key, Title     string
	Code           string // a kiosk screen's catalogue and key ("Màn hình kiosk: closed · closing"), in small type
	Sample         string // its first line in Vietnamese, to recognise the screen by
	Lines          []recordLine
	Recorded, Open int // recorded lines; lines that may still be recorded
	Old            int // lesson steps whose narration reads words from before an edit
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

// MediaAudio is a media file of the view (a path under media/) as the
// kiosk preview serves it.
func (d recordData) MediaAudio(p string) string {
	return PreviewPrefix + d.View.PreviewKey() + "/" + content.MediaURL(p)
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
func (h *Hub) recordGroups(r *http.Request, v view, tree fs.FS, units []translate.Unit, lng string) ([]*recordGroup, translate.Count, error) {
	var groups []*recordGroup
	byKey := map[string]*recordGroup{}
	var total translate.Count
	narrations := map[string]map[string]stepNarration{} // by lesson file, by msgctxt
	for _, u := range units {
		key, title, code := "file:"+u.File, u.File, ""
		if u.Shell() { // a catalogue's nested keys are one screen or part of the kiosk each
			key, code = "shell:"+u.NS, "Màn hình kiosk: "+u.NS
			part, _, nested := strings.Cut(u.Key, ".")
			if nested {
				key, code = key+"."+part, code+" · "+part
			} else {
				part = ""
			}
			title = screenTitle(u.NS, part)
		}
		g := byKey[key]
		if g == nil {
			if !u.Shell() {
				title, _, _ = h.itemTitle(r.Context(), v.Tree, u.File)
			}
			g = &recordGroup{Key: key, Title: title, Code: code, Sample: clip(u.Source, 60)}
			byKey[key] = g
			groups = append(groups, g)
		}
		l := recordLine{Ctxt: u.Ctxt, Where: u.Ctxt[strings.LastIndex(u.Ctxt, ":")+1:], Text: lineText(u, lng)}
		l.Filled = strings.Contains(l.Text, "{")
		l.Recorded = l.Text != "" && speech.FindRecording(tree, lng, l.Text) != ""
		if kindOf(u.File) == kindLesson {
			if _, ok := narrations[u.File]; !ok {
				ns, err := h.lessonNarrations(r.Context(), v.Tree, u.File)
				if err != nil {
					return nil, total, err
				}
				narrations[u.File] = map[string]stepNarration{}
				for _, n := range ns {
					if n.Lang == lng {
						narrations[u.File][n.Ctxt] = n
					}
				}
			}
			if n, ok := narrations[u.File][u.Ctxt]; ok {
				l.Narration = n.Path
				if n.Old {
					l.Old = &n
					g.Old++
				}
			}
		}
		total.Total++
		if l.Recorded {
			g.Recorded++
			total.Done++
		} else if l.Text != "" && !l.Filled {
			g.Open++
		}
		g.Lines = append(g.Lines, l)
	}
	return groups, total, nil
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
	if d.Groups, d.Coverage, err = h.recordGroups(r, v, tree, units, lng); err != nil {
		h.studioPageError(w, r, s, failf(err, "Chưa đọc được lời đọc của các bài học."))
		return
	}
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
	if n, err := h.narrationOf(ctx, v.Tree, units, r.PostFormValue("ctxt"), lng); err != nil {
		return "", err
	} else if n != "" {
		p = "media/" + n
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

// Old narration ("lời đọc cũ"). A lesson step names its narration file per
// language; when an edit rewords the step's text and keeps the file, the
// recording still reads the old words. content_narration_basis keeps what
// each narration file read when a version reworded its step (read with the
// translations' basis, scanTextBasis); the narration is old where the
// step's text differs from what the first such row after the recording was
// saved says (narrationReads), so a new recording or upload at the path, or
// another path, clears it, and a rollback or a reopened change does not.

// narrationRow is one row of content_narration_basis.
type narrationRow struct {
	path, lang, text string
}

// narrationBasisOf compares two versions of a lesson: each step whose text
// in a language changed while its narration file there stayed.
func narrationBasisOf(before, after []byte) []narrationRow {
	var b, a content.Tutorial
	if yaml.Unmarshal(before, &b) != nil || yaml.Unmarshal(after, &a) != nil {
		return nil
	}
	var out []narrationRow
	for i := range min(len(a.Steps), len(b.Steps)) {
		was, now := b.Steps[i], a.Steps[i]
		for l, p := range now.Narration {
			if p != "" && was.Narration[l] == p && was.Text[l] != "" && was.Text[l] != now.Text[l] {
				out = append(out, narrationRow{p, l, was.Text[l]})
			}
		}
	}
	return out
}

// stepNarration is a lesson step's narration file in one language.
type stepNarration struct {
	Step   int    // from 1
	Ctxt   string // the msgctxt of the step's text, as translate names it
	Lang   string
	Path   string // under media/
	Name   string // the file's name, Folder its folder: to upload a new one over it
	Folder string
	Text   string // the step's text now
	Old    bool   // the recording reads other words: Was
	Was    string
	Lesson string // the lesson's title in Vietnamese, for the change page
}

// Recordable says whether a recording from the recording page may replace
// the file: it saves Ogg Opus, and an MP3 path would then name Ogg bytes.
func (n stepNarration) Recordable() bool { return strings.HasSuffix(n.Path, ".ogg") }

// lessonNarrations lists the narration files of the lesson file in tree,
// each saying whether it reads the step's text as it is now.
func (h *Hub) lessonNarrations(ctx context.Context, tree Tree, file string) ([]stepNarration, error) {
	tf, ok := tree[file]
	if !ok {
		return nil, nil
	}
	body, err := h.blobBytes(ctx, tf.SHA256)
	if err != nil {
		return nil, err
	}
	var t content.Tutorial
	if yaml.Unmarshal(body, &t) != nil {
		return nil, nil // lint says where it fails
	}
	if err := h.scanTextBasis(ctx); err != nil {
		return nil, err
	}
	var out []stepNarration
	for i, st := range t.Steps {
		for _, l := range lang.Known {
			p := st.Narration[l]
			if p == "" {
				continue
			}
			n := stepNarration{Step: i + 1, Ctxt: "lesson:" + t.ID + ":steps[" + strconv.Itoa(i) + "].text", Lang: l, Path: p,
				Name: path.Base(p), Folder: path.Dir("media/"+p) + "/", Text: st.Text[l], Lesson: cmp.Or(t.Title.Vi(), t.ID)}
			media, ok := tree["media/"+p]
			if !ok {
				continue // a missing file: lint names it
			}
			if n.Was, err = h.narrationReads(ctx, p, l, n.Text, media); err != nil {
				return nil, err
			}
			n.Old = n.Was != ""
			out = append(out, n)
		}
	}
	return out, nil
}

// narrationReads is, when the narration file at p (media, as the tree has
// it) reads other words than text, those words; "" when it reads text, as
// far as the studio knows. The recording is told by its bytes, not by the
// version that put it in the tree: a rollback or a reopened change puts an
// older recording back as a new version, and it still reads what it was
// recorded for. So the rows that count are those newer than the first
// version that saved these bytes at p, and of them the oldest: the first
// rewording after the recording was saved kept it with the text it was made
// for. A later row says only what text the file was kept with, which may
// itself have been old (a rollback rewording B→A, or an undo, says "B");
// taking such a row as what the file reads is how a redone edit lost its
// warning. The narration is old when that text is not the text now (an
// edit undone, A→B then B→A, brings it back to what the file reads).
func (h *Hub) narrationReads(ctx context.Context, p, lng, text string, media TreeFile) (string, error) {
	var was string
	err := h.DB.QueryRowContext(ctx, `SELECT text FROM content_narration_basis
		WHERE path = $1 AND lang = $2 AND version > (SELECT coalesce(min(id), $3) FROM content_versions WHERE path = $4 AND sha256 = $5)
		ORDER BY version LIMIT 1`, p, lng, media.Version, "media/"+p, media.SHA256).Scan(&was)
	if errors.Is(err, sql.ErrNoRows) || was == text {
		return "", nil
	}
	return was, err
}

// narrationOf is the narration file a recording of line ctxt replaces: the
// step's own Ogg file in lng when ctxt is a lesson step's text ("" when it
// has none, or an MP3 a recording cannot replace).
func (h *Hub) narrationOf(ctx context.Context, tree Tree, units []translate.Unit, ctxt, lng string) (string, error) {
	for _, u := range units {
		if u.Ctxt != ctxt || kindOf(u.File) != kindLesson {
			continue
		}
		ns, err := h.lessonNarrations(ctx, tree, u.File)
		if err != nil {
			return "", err
		}
		for _, n := range ns {
			if n.Ctxt == ctxt && n.Lang == lng && n.Recordable() {
				return n.Path, nil
			}
		}
	}
	return "", nil
}

// oldNarrations are the lesson file's narrations that read old words.
func (h *Hub) oldNarrations(ctx context.Context, tree Tree, file string) ([]stepNarration, error) {
	ns, err := h.lessonNarrations(ctx, tree, file)
	var old []stepNarration
	for _, n := range ns {
		if n.Old {
			old = append(old, n)
		}
	}
	return old, err
}
