package hub

import (
	"net/http"
	"testing"
)

// TestHealthChecksTheDatabase: a load balancer's health check says "no"
// when the hub has lost its database, not only when the process is gone.
func TestHealthChecksTheDatabase(t *testing.T) {
	h, srv := startTestHub(t, Options{})
	status := func() int {
		t.Helper()
		resp, err := http.Get(srv.URL + "/api/health")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := status(); got != http.StatusOK {
		t.Fatalf("healthy hub: GET /api/health = %d, want 200", got)
	}
	h.DB.Close() // what the handler sees when the database is gone
	if got := status(); got != http.StatusServiceUnavailable {
		t.Fatalf("hub without its database: GET /api/health = %d, want 503", got)
	}
}
