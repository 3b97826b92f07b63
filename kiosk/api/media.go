package api

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"

	"strings"
	"time"

	"tramso/kiosk/httpjson"
	"tramso/kiosk/qr"
)

// media serves a file of the current pack's media/ folder.
func (s *Server) media(w http.ResponseWriter, r *http.Request) {
	p := r.PathValue("path")
	if p == "" || !fs.ValidPath(p) || strings.Contains(p, "\\") {
		httpjson.Error(w, http.StatusBadRequest, codeBadMediaPath, "bad media path")
		return
	}
	f, err := openPackFile(s.Content.Get().Pack.Files, path.Join("media", p))
	if errors.Is(err, fs.ErrNotExist) {
		httpjson.Error(w, http.StatusNotFound, codeNoMedia, "no such media file: "+p)
		return
	} else if err != nil {
		httpjson.Error(w, http.StatusInternalServerError, codeInternal, "read media: "+err.Error())
		return
	}
	defer f.Close()
	ct := mime.TypeByExtension(path.Ext(p))
	if ct == "" {
		ct = audioTypes[strings.ToLower(path.Ext(p))]
	}
	if ct == "" {
		ct = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ct)
	// Media paths are per pack; a new pack changes what a path means, so the
	// browser may keep it only briefly.
	w.Header().Set("Cache-Control", "max-age=60")
	// ServeContent answers the Range requests WebKit's and Chromium's media
	// players make for narration (and seeking), not only whole-file GETs.
	http.ServeContent(w, r, "", time.Time{}, f)
}

// openPackFile opens a regular file of a pack for http.ServeContent. Every
// pack file system the kiosk and the hub's preview use seeks (os.DirFS, the
// embedded starter, the hub's blobs), so a range request reads only its
// range: a media player asks for a file in pieces, and reading the whole of a
// 50 MiB video for each piece would fill the window process's memory.
func openPackFile(files fs.FS, name string) (io.ReadSeekCloser, error) {
	f, err := files.Open(name)
	if err != nil {
		return nil, err
	}
	info, err := f.Stat()
	if err == nil && !info.Mode().IsRegular() {
		err = &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	rs, ok := f.(io.ReadSeekCloser)
	if err == nil && !ok {
		err = fmt.Errorf("open %s: the pack's file system cannot seek", name)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return rs, nil
}

// audioTypes name the narration formats the content validator accepts: Go's
// built-in table lacks them, and a kiosk may have no /etc/mime.types.
var audioTypes = map[string]string{".mp3": "audio/mpeg", ".ogg": "audio/ogg", ".m4a": "audio/mp4"}

// qrImage renders ?text= as a PNG QR code (?size= pixels, default qr.Size).
func (s *Server) qrImage(w http.ResponseWriter, r *http.Request) {
	text := r.URL.Query().Get("text")
	size := qr.Size
	if v := r.URL.Query().Get("size"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 64 || n > 1024 {
			httpjson.Error(w, http.StatusBadRequest, codeBadQRSize, "size must be a number from 64 to 1024")
			return
		}
		size = n
	}
	png, err := qr.PNG(text, size)
	if err != nil {
		httpjson.Error(w, http.StatusBadRequest, codeBadQRText, err.Error())
		return
	}
	w.Header().Set("Content-Type", "image/png")
	_, _ = w.Write(png)
}
