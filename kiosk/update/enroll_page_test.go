package update_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"tramso/kiosk/update"
)

// An address that answers with a web page (another site, a wrong path on
// the hub's host) is named as such, not dumped into the technician's
// terminal as HTML (outside QA).
func TestEnrollAtAWebPage(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte("<!doctype html><html lang=\"vi\"><head><title>404</title></head><body>Không tìm thấy trang</body></html>"))
	}))
	defer srv.Close()
	_, err := update.Enroll(context.Background(), srv.URL+"/hub", "ABCD-EFGH-JKMN", "Ea Kao", nil)
	if err == nil || strings.Contains(err.Error(), "<html") || !strings.Contains(err.Error(), "answers with a web page, not a Trạm Số hub") {
		t.Fatalf("enroll at a web page: %v", err)
	}
}
