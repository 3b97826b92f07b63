package api

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"path"
	"time"

	"tramso/kiosk/httpjson"
	"tramso/kiosk/speech"
)

// speak answers GET /api/speech?lang=&text= with the text read aloud: a
// person's recording of that exact line when the content pack has one
// (media/speech/<lang>/<key>, see speech.FindRecording), else the kiosk's own
// voice as audio/wav. The UI plays it for screens without a recorded
// narration. Players fetch media with Range requests, so answers go through
// http.ServeContent; they are never cached by the browser, and the text is
// never logged. With recorded_only=1 it answers only a recording, else 404
// no_recording without waking the voice: the attract screen asks so, since
// an unattended kiosk must not chatter in a synthetic voice.
func (s *Server) speak(w http.ResponseWriter, r *http.Request) {
	lang, ok := queryLang(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	if !q.Has("text") {
		httpjson.Error(w, http.StatusBadRequest, codeMissingText, "text is missing")
		return
	}
	text := q.Get("text")
	if s.playRecording(w, r, lang, text) {
		return
	}
	if q.Get("recorded_only") == "1" {
		httpjson.Error(w, http.StatusNotFound, codeNoRecording, "the content pack has no recording of this line in "+lang)
		return
	}
	wav, err := s.Speech.Say(r.Context(), lang, text)
	switch {
	case errors.Is(err, speech.ErrText):
		httpjson.Error(w, http.StatusBadRequest, codeBadText, err.Error())
		return
	case errors.Is(err, speech.ErrNoVoice):
		httpjson.Error(w, http.StatusNotFound, codeNoVoice, "the kiosk has no voice for "+lang)
		return
	case errors.Is(err, speech.ErrOff):
		httpjson.Error(w, http.StatusServiceUnavailable, codeVoiceOff, err.Error())
		return
	case errors.Is(err, context.Canceled) && r.Context().Err() != nil:
		return // the player went away; nobody to answer
	case err != nil:
		s.Log.Error("speech", "lang", lang, "err", err) // never the text
		httpjson.Error(w, http.StatusInternalServerError, codeVoiceFailed, "the kiosk's voice failed; see the kiosk log")
		return
	}
	w.Header().Set("Content-Type", "audio/wav")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Tramso-Speech", "voice")
	http.ServeContent(w, r, "speech.wav", time.Time{}, bytes.NewReader(wav))
}

// playRecording serves the pack's recording of text in lang, if it has one.
func (s *Server) playRecording(w http.ResponseWriter, r *http.Request, lang, text string) bool {
	files := s.Content.Get().Pack.Files
	p := speech.FindRecording(files, lang, text)
	if p == "" {
		return false
	}
	f, err := openPackFile(files, p)
	if err != nil {
		s.Log.Error("speech: read recording", "path", p, "err", err)
		return false
	}
	defer f.Close()
	w.Header().Set("Content-Type", audioTypes[path.Ext(p)])
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Tramso-Speech", "recording")
	http.ServeContent(w, r, "", time.Time{}, f)
	return true
}
