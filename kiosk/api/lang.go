package api

import (
	"net/http"
	"slices"
	"strings"

	"tramso/kiosk/config"
)

// queryLang is the one rule for ?lang= on the content endpoints (tutorials,
// procedures, flows, search): missing or empty is Vietnamese, a known language code is
// itself, and anything else answers 400 naming the parameter. A typo in a
// client then shows up at once instead of as Vietnamese text in disguise.
func queryLang(w http.ResponseWriter, r *http.Request) (string, bool) {
	lang := r.URL.Query().Get("lang")
	if lang == "" {
		return "vi", true
	}
	if !slices.Contains(config.KnownLanguages, lang) {
		writeError(w, http.StatusBadRequest, "query parameter lang must be one of "+
			strings.Join(config.KnownLanguages, ", ")+", not "+quoteShort(lang))
		return "", false
	}
	return lang, true
}
