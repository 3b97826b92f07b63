package hub

import (
	"io"
	"maps"
	"net/http"
	"path"
	"strconv"
	"strings"
	"unicode"

	"tramso/kiosk/content"
	"tramso/kiosk/pack"
	"tramso/kiosk/studio"
)

// Media uploads into a change: illustrations (SVG, PNG, WebP, JPEG) and
// narration (Ogg, MP3), checked here so that a wrong file is refused with a
// reason a province officer understands, before it could fail a pack.

func init() {
	maps.Copy(studioNotices, map[string]string{
		"unchanged": "Không có gì thay đổi nên không lưu phiên bản mới.",
	})
}

// checkMedia says why name/body may not go into a pack's media/, in
// Vietnamese, or "". The name's rules are the form's; the content's are
// content.MediaProblem, the very check pack lint holds every media file of
// an imported folder to.
func checkMedia(name string, body []byte) string {
	if !strings.HasPrefix(name, "media/") || pack.CheckPath(name) != nil {
		return "Tên tệp không hợp lệ: chỉ chữ không dấu, số, dấu gạch, trong thư mục media/ (ví dụ media/procedures/khai-sinh/hinh-1.svg)."
	}
	if ext := path.Ext(name); !content.IsMediaName(name) || ext != strings.ToLower(ext) {
		return "Chỉ nhận hình SVG, PNG, WebP, JPEG và âm thanh Ogg, MP3 (đuôi tệp viết thường)."
	}
	if problem := content.MediaProblem(name, body); problem != "" {
		said := []rune(studio.ProblemText(problem))
		said[0] = unicode.ToLower(said[0]) // it goes on this sentence
		return "Tệp " + path.Base(name) + " không dùng được trên kiosk: " + string(said) + "."
	}
	return ""
}

// mediaAction is POST /admin/content/media: a file into a folder of media/
// in an open change.
func (h *Hub) mediaAction(w http.ResponseWriter, r *http.Request, s session) {
	r.Body = http.MaxBytesReader(w, r.Body, 20<<20)
	file, hdr, err := r.FormFile("file")
	if err != nil {
		h.renderIndex(w, r, s, http.StatusBadRequest, failf(err, "Chưa chọn tệp, hoặc tệp lớn quá 16 MB."))
		return
	}
	defer file.Close()
	v, err := h.writableView(r.Context(), r.PostFormValue("change"))
	if err != nil {
		h.renderIndex(w, r, s, http.StatusConflict, err)
		return
	}
	body, err := io.ReadAll(file)
	if err != nil {
		h.renderIndex(w, r, s, http.StatusBadRequest, failf(err, "Tệp tải lên bị ngắt giữa chừng; hãy thử lại."))
		return
	}
	folder := strings.Trim(strings.TrimSpace(r.PostFormValue("folder")), "/")
	name := path.Join(folder, path.Base(hdr.Filename))
	if problem := checkMedia(name, body); problem != "" {
		h.renderIndex(w, r, s, http.StatusBadRequest, failf(nil, problem))
		return
	}
	saved, err := h.SaveFile(r.Context(), v.Change.ID, name, body, s.User)
	if err != nil {
		h.renderIndex(w, r, s, http.StatusConflict, studioFail(err, "Chưa lưu được tệp."))
		return
	}
	// The file's page says where the file went and what to write in a
	// form's "Hình" or "Lời đọc" to use it.
	http.Redirect(w, r, fileURL(name, v)+"&saved="+strconv.FormatInt(saved.ID, 10), http.StatusSeeOther)
}
