// Package httpjson is how the kiosk's API and the hub answer in JSON and read
// JSON bodies: one writer, one error shape with a stable machine-readable
// code, and one strict body reader (kiosk/strictjson), so the two servers
// cannot drift apart.
package httpjson

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"tramso/kiosk/strictjson"
)

// Write answers with v as JSON. HTML characters are not escaped: the bodies
// carry Vietnamese text and URLs, and no page parses them as HTML. Answers
// are never cached, since they describe the moment.
func Write(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v) // the status is sent; a broken connection has no one to tell
}

// ErrorBody is every error answer. Code is stable and machine-readable
// ("nothing_to_restore"): clients switch on it. Error is English prose for a
// person reading a log, and may be reworded at any time.
type ErrorBody struct {
	Error string `json:"error"`
	Code  string `json:"code"`
}

// Error answers {"error": msg, "code": code} with status.
func Error(w http.ResponseWriter, status int, code, msg string) {
	Write(w, status, ErrorBody{Error: msg, Code: code})
}

// Codes of the errors Decode answers.
const (
	CodeNotJSON     = "not_json"       // the Content-Type is not JSON
	CodeTooLarge    = "body_too_large" // the body is over the limit
	CodeInvalidJSON = "invalid_json"   // not JSON, or not the shape of this endpoint
)

// Decode reads a JSON request body of at most limit bytes into v strictly
// (no unknown fields, duplicate keys or data after the value) and, when it
// cannot, answers the error itself and returns false.
func Decode(w http.ResponseWriter, r *http.Request, limit int64, v any) bool {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		Error(w, http.StatusUnsupportedMediaType, CodeNotJSON, "send JSON (Content-Type: application/json)")
		return false
	}
	err := strictjson.Decode(http.MaxBytesReader(w, r.Body, limit), v)
	switch {
	case errors.As(err, new(*http.MaxBytesError)):
		Error(w, http.StatusRequestEntityTooLarge, CodeTooLarge, "request body is too large")
	case err != nil:
		Error(w, http.StatusBadRequest, CodeInvalidJSON, "request body is not valid JSON for this endpoint: "+err.Error())
	default:
		return true
	}
	return false
}
