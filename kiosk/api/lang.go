package api

import (
	"net/http"

	"tramso/kiosk/httpjson"
	"tramso/kiosk/lang"
)

// codeUnknownLang answers a language code that is not one of lang.Known.
const codeUnknownLang = "unknown_lang"

// queryLang reads ?lang= by the one rule for a language a client sends
// (lang.Parse: missing or empty is Vietnamese, a known code is itself) and
// answers anything else with a 400 naming the parameter.
func queryLang(w http.ResponseWriter, r *http.Request) (string, bool) {
	return checkLang(w, "query parameter lang", r.URL.Query().Get("lang"))
}

// bodyLang reads a request body's "lang" field by the same rule.
func bodyLang(w http.ResponseWriter, code string) (string, bool) {
	return checkLang(w, `body field "lang"`, code)
}

func checkLang(w http.ResponseWriter, where, code string) (string, bool) {
	l, err := lang.Parse(code)
	if err != nil {
		httpjson.Error(w, http.StatusBadRequest, codeUnknownLang, where+" "+err.Error())
		return "", false
	}
	return l, true
}
