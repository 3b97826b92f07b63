package hub

import (
	"cmp"
	"net/http"
	"strconv"
	"strings"

	"tramso/kiosk/content"
	"tramso/kiosk/lang"
	"tramso/kiosk/studio/form"
)

// A file's history (every saved version, in every change, newest first)
// with restore, and new procedures and lessons.

type versionRow struct {
	Version
	When   timeView
	Change *Change
	Lines  []string // the summary, one change per line
}

type historyData struct {
	Path     string
	Versions []versionRow
	Open     []Change
}

// historyPage is GET /admin/content/history/{path}.
func (h *Hub) historyPage(w http.ResponseWriter, r *http.Request, s session) {
	h.renderHistory(w, r, s, http.StatusOK, nil)
}

func (h *Hub) renderHistory(w http.ResponseWriter, r *http.Request, s session, status int, fail error) {
	ctx := r.Context()
	p := r.PathValue("path")
	vs, err := h.FileHistory(ctx, p)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	d := historyData{Path: p}
	changes := map[int64]*Change{}
	for _, v := range vs {
		c, ok := changes[v.Change]
		if !ok {
			if c, err = h.GetChange(ctx, v.Change); err != nil {
				h.serverError(w, r, err)
				return
			}
			changes[v.Change] = c
		}
		d.Versions = append(d.Versions, versionRow{Version: v, When: h.timeViewOf(v.Created), Change: c, Lines: summaryLines(v.Summary)})
	}
	if d.Open, err = h.Changes(ctx, 50, StateDraft, StateReturned); err != nil {
		h.serverError(w, r, err)
		return
	}
	pg := s.page("Lịch sử: "+p, d)
	if fail != nil {
		pg = pg.withError(fail)
	}
	h.render(w, r, status, "studioHistory", pg)
}

func summaryLines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// restoreAction is POST /admin/content/history/{path}: version=ID into an
// open change (into=ID) or a new one (into=new).
func (h *Hub) restoreAction(w http.ResponseWriter, r *http.Request, s session) {
	ctx := r.Context()
	p := r.PathValue("path")
	id, err := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	var old *Version
	if err == nil {
		old, err = h.GetVersion(ctx, id)
	}
	if err != nil || old.Path != p {
		h.renderHistory(w, r, s, http.StatusBadRequest, failf(nil, "Không có phiên bản này của tệp."))
		return
	}
	c, err := h.changeToWrite(r, s, "Khôi phục "+p+" về phiên bản #"+strconv.FormatInt(id, 10))
	if err != nil {
		h.renderHistory(w, r, s, http.StatusConflict, err)
		return
	}
	if _, err := h.Restore(ctx, id, c.ID, s.User); err != nil {
		h.renderHistory(w, r, s, http.StatusConflict, studioFail(err, "Chưa khôi phục được."))
		return
	}
	http.Redirect(w, r, fileURL(p, view{Change: c}), http.StatusSeeOther)
}

// changeToWrite is the open change a form chose (into=ID), or a new one
// (into=new or empty) named by the form's title, else by title.
func (h *Hub) changeToWrite(r *http.Request, s session, title string) (*Change, error) {
	raw := r.PostFormValue("into")
	if raw != "" && raw != "new" {
		v, err := h.writableView(r.Context(), raw)
		return v.Change, err
	}
	title = cmp.Or(strings.TrimSpace(r.PostFormValue("title")), title)
	c, err := h.OpenChange(r.Context(), title, s.User)
	if err != nil {
		return nil, studioFail(err, "Chưa mở được thay đổi.")
	}
	h.audit(r, s.User, "content_change_opened", changeDetail(c))
	return c, nil
}

// newItemAction is POST /admin/content/new: kind=procedure|lesson and an
// id, into a change. The item starts nearly empty: the form shows what the
// kiosk still needs, problem by problem.
func (h *Hub) newItemAction(w http.ResponseWriter, r *http.Request, s session) {
	id := strings.TrimSpace(r.PostFormValue("id"))
	var p string
	var v any
	switch r.PostFormValue("kind") {
	case "procedure":
		p, v = "procedures/"+id+".yaml", &content.Procedure{PlainName: lang.Text{"vi": id}}
	case "lesson":
		p, v = "tutorials/"+id+".yaml", &content.Tutorial{ID: id, Title: lang.Text{"vi": id}}
	default:
		h.renderIndex(w, r, s, http.StatusBadRequest, failf(nil, "Hãy chọn thêm thủ tục hay bài học."))
		return
	}
	if !content.ValidID(id) || p == "tutorials/course.yaml" {
		h.renderIndex(w, r, s, http.StatusBadRequest, failf(nil, "Tên tệp: 2 đến 40 chữ thường không dấu, số và dấu gạch ngang, ví dụ dang-ky-ket-hon."))
		return
	}
	c, err := h.changeToWrite(r, s, "Thêm "+p)
	if err == nil {
		var t Tree
		if t, err = h.ChangeTree(r.Context(), c.ID); err == nil && t[p].SHA256 != "" {
			err = failf(nil, "Đã có tệp "+p+"; hãy mở nó ở danh sách để sửa.")
		}
	}
	if err != nil {
		h.renderIndex(w, r, s, http.StatusConflict, err)
		return
	}
	body, err := form.EncodeYAML(nil, v)
	if err == nil {
		_, err = h.SaveFile(r.Context(), c.ID, p, body, s.User)
	}
	if err != nil {
		h.renderIndex(w, r, s, http.StatusConflict, studioFail(err, "Chưa thêm được."))
		return
	}
	http.Redirect(w, r, fileURL(p, view{Change: c}), http.StatusSeeOther)
}
