package cli

import (
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// `tramso serve` answers its API only under the address it listens on, and
// only to its own page: a DNS name rebound to the kiosk, or a page on another
// site, is refused (outside QA s25, finding 2), whatever port --addr names.
func TestServeRefusesOtherSites(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(cfg, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	p := startTramso(t, "tramso serve", "", "serve", "--addr", "127.0.0.1:0", "--data", filepath.Join(dir, "data"), "--config", cfg)
	subs, _ := p.await(t, "serving", regexp.MustCompile(`serving on http://([0-9.:]+)/`), 0)
	addr := subs[1]
	_, port, _ := net.SplitHostPort(addr)
	tests := []struct {
		host, method, path, site string
		status                   int
	}{
		{addr, "GET", "/api/health", "", http.StatusOK},
		{"localhost:" + port, "GET", "/api/health", "same-origin", http.StatusOK},
		{"evil.example:" + port, "GET", "/api/health", "", http.StatusForbidden},
		{addr, "POST", "/api/sessions", "cross-site", http.StatusForbidden},
	}
	for _, tc := range tests {
		req, err := http.NewRequest(tc.method, "http://"+addr+tc.path, strings.NewReader("{}"))
		if err != nil {
			t.Fatal(err)
		}
		req.Host = tc.host
		req.Header.Set("Content-Type", "application/json")
		if tc.site != "" {
			req.Header.Set("Sec-Fetch-Site", tc.site)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != tc.status {
			t.Errorf("%s %s, Host %s, Sec-Fetch-Site %q: %d, want %d", tc.method, tc.path, tc.host, tc.site, res.StatusCode, tc.status)
		}
	}
}
