package api

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"tramso/kiosk/config"
	"tramso/kiosk/speech"
)

// speak answers GET /api/speech?lang=&text= with the text read aloud by the
// kiosk's own voice, as audio/wav. The UI plays it for screens without a
// recorded narration. The player fetches media with Range requests, so the
// WAV is served with http.ServeContent; it is never cached by the browser,
// and the text is never logged.
func (s *Server) speak(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	lang, text := q.Get("lang"), q.Get("text")
	switch {
	case lang == "":
		writeError(w, http.StatusBadRequest, "lang is missing: one of "+strings.Join(config.KnownLanguages, ", "))
		return
	case !slices.Contains(config.KnownLanguages, lang):
		writeError(w, http.StatusBadRequest, "lang must be one of "+strings.Join(config.KnownLanguages, ", "))
		return
	case !q.Has("text"):
		writeError(w, http.StatusBadRequest, "text is missing")
		return
	}
	wav, err := s.Speech.Say(r.Context(), lang, text)
	switch {
	case errors.Is(err, speech.ErrText):
		writeError(w, http.StatusBadRequest, err.Error())
		return
	case errors.Is(err, speech.ErrNoVoice):
		writeError(w, http.StatusNotFound, "the kiosk has no voice for "+lang)
		return
	case errors.Is(err, speech.ErrOff):
		writeError(w, http.StatusServiceUnavailable, err.Error())
		return
	case errors.Is(err, context.Canceled) && r.Context().Err() != nil:
		return // the player went away; nobody to answer
	case err != nil:
		slog.Error("speech", "lang", lang, "err", err) // never the text
		writeError(w, http.StatusInternalServerError, "the kiosk's voice failed; see the kiosk log")
		return
	}
	w.Header().Set("Content-Type", "audio/wav")
	w.Header().Set("Cache-Control", "no-store")
	http.ServeContent(w, r, "speech.wav", time.Time{}, bytes.NewReader(wav))
}
