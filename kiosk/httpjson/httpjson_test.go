package httpjson

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestWriteError(t *testing.T) {
	rec := httptest.NewRecorder()
	Error(rec, http.StatusConflict, "nothing_to_restore", "no earlier content <kept>")
	if rec.Code != http.StatusConflict {
		t.Fatalf("status %d", rec.Code)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if cc := rec.Header().Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q", cc)
	}
	want := `{"error":"no earlier content <kept>","code":"nothing_to_restore"}` + "\n"
	if rec.Body.String() != want {
		t.Errorf("body %q, want %q", rec.Body.String(), want)
	}
}

func TestDecode(t *testing.T) {
	type body struct {
		Lang string `json:"lang"`
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b body
		if Decode(w, r, 64, &b) {
			Write(w, http.StatusOK, b)
		}
	}))
	defer srv.Close()
	tests := []struct {
		name, ctype, body string
		status            int
		code              string
	}{
		{"good", "application/json", `{"lang":"en"}`, 200, ""},
		{"no content type is JSON", "", `{"lang":"en"}`, 200, ""},
		{"not JSON", "text/plain", `{"lang":"en"}`, 415, CodeNotJSON},
		{"unknown field", "application/json", `{"lang":"en","x":1}`, 400, CodeInvalidJSON},
		{"duplicate key", "application/json", `{"lang":"en","Lang":"vi"}`, 400, CodeInvalidJSON},
		{"data after the value", "application/json", `{"lang":"en"} {}`, 400, CodeInvalidJSON},
		{"too large", "application/json", `{"lang":"` + strings.Repeat("a", 100) + `"}`, 413, CodeTooLarge},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest("POST", srv.URL, strings.NewReader(tc.body))
			if tc.ctype != "" {
				req.Header.Set("Content-Type", tc.ctype)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var got ErrorBody
			_ = json.NewDecoder(resp.Body).Decode(&got)
			if resp.StatusCode != tc.status || got.Code != tc.code {
				t.Fatalf("got %d %+v, want %d code %q", resp.StatusCode, got, tc.status, tc.code)
			}
		})
	}
}
