package hub

import (
	"bytes"
	"io"
	"maps"
	"net/http"
	"path"
	"strings"

	"tramso/kiosk/content"
	"tramso/kiosk/pack"
)

// Media uploads into a change: illustrations (SVG, PNG, WebP) and narration
// (Ogg, MP3), checked here so that a wrong file is refused with a reason a
// province officer understands, before it could fail a pack.

func init() {
	maps.Copy(studioNotices, map[string]string{
		"media":     "Đã tải tệp lên.",
		"unchanged": "Không có gì thay đổi nên không lưu phiên bản mới.",
	})
}

// mediaKinds are the files the studio takes, with their size limit. A
// kiosk screen needs no bigger picture; a narration line is a minute or two.
var mediaKinds = map[string]struct {
	max   int64
	magic func([]byte) bool
	what  string
}{
	".svg":  {2 << 20, isSVG, "hình vẽ SVG"},
	".png":  {4 << 20, prefix("\x89PNG\r\n\x1a\n"), "ảnh PNG"},
	".webp": {4 << 20, isWebP, "ảnh WebP"},
	".ogg":  {16 << 20, prefix("OggS"), "âm thanh Ogg"},
	".mp3":  {16 << 20, isMP3, "âm thanh MP3"},
}

func prefix(p string) func([]byte) bool {
	return func(b []byte) bool { return bytes.HasPrefix(b, []byte(p)) }
}

func isWebP(b []byte) bool {
	return len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP"
}

// isMP3 accepts an ID3 tag or an MPEG audio frame header.
func isMP3(b []byte) bool {
	return bytes.HasPrefix(b, []byte("ID3")) || len(b) >= 2 && b[0] == 0xFF && b[1]&0xE0 == 0xE0
}

func isSVG(b []byte) bool { return content.UnsafeSVG(b) == "" }

// checkMedia says why name/body may not go into a pack's media, in
// Vietnamese, or "".
func checkMedia(name string, body []byte) string {
	if !strings.HasPrefix(name, "media/") || pack.CheckPath(name) != nil {
		return "Tên tệp không hợp lệ: chỉ chữ không dấu, số, dấu gạch, trong thư mục media/ (ví dụ media/procedures/khai-sinh/hinh-1.svg)."
	}
	ext := strings.ToLower(path.Ext(name))
	kind, ok := mediaKinds[ext]
	if !ok || ext != path.Ext(name) {
		return "Chỉ nhận hình SVG, PNG, WebP và âm thanh Ogg, MP3 (đuôi tệp viết thường)."
	}
	if int64(len(body)) > kind.max {
		return "Tệp quá lớn cho một " + kind.what + ": tối đa " + humanBytes(kind.max) + "."
	}
	if !kind.magic(body) {
		if ext == ".svg" {
			return "Tệp SVG này không dùng được trên kiosk: " + content.UnsafeSVG(body) + ". Hình vẽ không được có mã chạy hay tải gì từ nơi khác."
		}
		return "Nội dung tệp không phải " + kind.what + " như đuôi tệp nói."
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
	if _, err := h.SaveFile(r.Context(), v.Change.ID, name, body, s.User); err != nil {
		h.renderIndex(w, r, s, http.StatusConflict, studioFail(err, "Chưa lưu được tệp."))
		return
	}
	http.Redirect(w, r, "/admin/content/"+v.Query()+"&done=media", http.StatusSeeOther)
}
