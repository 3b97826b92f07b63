package api

import (
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
)

// servedStaffAPI is staffServer as `tramso serve` runs it: on 127.0.0.1,
// answering only its own origins.
func servedStaffAPI(t *testing.T, pin string) (*httptest.Server, string) {
	t.Helper()
	s := staffAPI(t, pin, nil)
	srv := httptest.NewUnstartedServer(s.Handler())
	addr := srv.Listener.Addr()
	s.Origins = ServedOrigins(addr.String(), addr)
	srv.Start()
	t.Cleanup(srv.Close)
	_, port, _ := net.SplitHostPort(addr.String())
	return srv, port
}

// A page on another origin, or a DNS name rebound to the kiosk, is refused
// before any handler runs: its wrong PINs do not lock the pad and its
// sessions do not count (outside QA s25, finding 2). The requests the
// kiosk's own page sends (api.ts: JSON, from its own origin) still pass.
func TestCrossSiteRefused(t *testing.T) {
	srv, port := servedStaffAPI(t, "258025")
	self := "http://127.0.0.1:" + port
	wrongPIN := `{"pin":"000000"}`
	tests := []struct {
		name, method, path, body string
		header                   []string // name, value pairs; "Host" sets the request's host
		status                   int
		code                     string
	}{
		{"the page's POST", "POST", "/api/staff/login", wrongPIN,
			[]string{"Origin", self, "Sec-Fetch-Site", "same-origin"}, http.StatusUnauthorized, codeWrongPIN},
		{"the page's GET", "GET", "/api/staff/status", "",
			[]string{"Sec-Fetch-Site", "same-origin"}, http.StatusOK, ""},
		{"the page opened as localhost", "POST", "/api/staff/login", wrongPIN,
			[]string{"Host", "localhost:" + port, "Origin", "http://localhost:" + port}, http.StatusUnauthorized, codeWrongPIN},
		{"the page opened as [::1]", "GET", "/api/staff/status", "",
			[]string{"Host", "[::1]:" + port}, http.StatusOK, ""},
		{"a tool such as curl", "GET", "/api/health", "", nil, http.StatusOK, ""},
		{"no Content-Type (no-cors fetch)", "POST", "/api/staff/login", wrongPIN,
			[]string{"Content-Type", ""}, http.StatusUnsupportedMediaType, codeNotJSON},
		{"a form's Content-Type", "POST", "/api/sessions", "{}",
			[]string{"Content-Type", "text/plain;charset=UTF-8"}, http.StatusUnsupportedMediaType, codeNotJSON},
		{"Sec-Fetch-Site cross-site", "POST", "/api/staff/login", wrongPIN,
			[]string{"Sec-Fetch-Site", "cross-site"}, http.StatusForbidden, codeCrossSite},
		{"Sec-Fetch-Site same-site", "POST", "/api/sessions", "{}",
			[]string{"Sec-Fetch-Site", "same-site"}, http.StatusForbidden, codeCrossSite},
		{"a cross-site GET", "GET", "/api/staff/status", "",
			[]string{"Sec-Fetch-Site", "cross-site"}, http.StatusForbidden, codeCrossSite},
		{"another origin", "POST", "/api/staff/login", wrongPIN,
			[]string{"Origin", "http://evil.example"}, http.StatusForbidden, codeCrossSite},
		{"another port on this machine", "POST", "/api/sessions", "{}",
			[]string{"Origin", "http://127.0.0.1:18899"}, http.StatusForbidden, codeCrossSite},
		{"an opaque origin", "POST", "/api/sessions", "{}",
			[]string{"Origin", "null"}, http.StatusForbidden, codeCrossSite},
		{"DNS rebinding", "GET", "/api/staff/status", "",
			[]string{"Host", "evil.example:" + port}, http.StatusForbidden, codeCrossSite},
		{"DNS rebinding, same-origin to the browser", "POST", "/api/staff/login", wrongPIN,
			[]string{"Host", "evil.example:" + port, "Origin", "http://evil.example:" + port, "Sec-Fetch-Site", "same-origin"},
			http.StatusForbidden, codeCrossSite},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(tc.method, srv.URL+tc.path, strings.NewReader(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			if tc.body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			for i := 0; i+1 < len(tc.header); i += 2 {
				if tc.header[i] == "Host" {
					req.Host = tc.header[i+1]
				} else if tc.header[i+1] == "" {
					req.Header.Del(tc.header[i])
				} else {
					req.Header.Set(tc.header[i], tc.header[i+1])
				}
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			var got struct{ Code, Error string }
			decodeBody(t, res, &got)
			if res.StatusCode != tc.status || got.Code != tc.code {
				t.Fatalf("%d %+v, want %d %q", res.StatusCode, got, tc.status, tc.code)
			}
			if tc.status == http.StatusForbidden && got.Error == "" {
				t.Error("a refusal without a reason")
			}
		})
	}
	// Only the page's two wrong PINs counted; the refused ones did not.
	if code, status := staffCall(t, srv, "GET", "/api/staff/status", "", ""); code != 200 || status["tries_left"] != float64(3) {
		t.Errorf("after the refused tries: %d %v, want 3 tries left", code, status)
	}
}

func decodeBody(t *testing.T, res *http.Response, v any) {
	t.Helper()
	if err := json.NewDecoder(res.Body).Decode(v); err != nil {
		t.Fatalf("answer %d is not JSON: %v", res.StatusCode, err)
	}
}

// The origins follow --addr: the names a browser on the kiosk may use for
// a loopback address, the one address asked for, or all of the machine's.
func TestServedOrigins(t *testing.T) {
	tcp := func(ip string, port int) net.Addr { return &net.TCPAddr{IP: net.ParseIP(ip), Port: port} }
	tests := []struct {
		asked         string
		bound         net.Addr
		want, without []string
	}{
		{"127.0.0.1:8080", tcp("127.0.0.1", 8080),
			[]string{"http://127.0.0.1:8080", "http://localhost:8080", "http://[::1]:8080"}, []string{"http://127.0.0.1", "http://192.168.1.5:8080"}},
		{"127.0.0.1:0", tcp("127.0.0.1", 41234), []string{"http://127.0.0.1:41234", "http://localhost:41234"}, []string{"http://127.0.0.1:0"}},
		{"localhost:8080", tcp("127.0.0.1", 8080), []string{"http://localhost:8080", "http://127.0.0.1:8080"}, nil},
		{"192.168.1.5:80", tcp("192.168.1.5", 80), []string{"http://192.168.1.5:80", "http://192.168.1.5"}, []string{"http://localhost:80"}},
		{"kiosk.lan:8080", tcp("192.168.1.5", 8080), []string{"http://kiosk.lan:8080", "http://192.168.1.5:8080"}, []string{"http://localhost:8080"}},
		{":8080", tcp("::", 8080), []string{"http://127.0.0.1:8080", "http://localhost:8080", "http://[::1]:8080", "http://*:8080"}, nil},
	}
	for _, tc := range tests {
		got := ServedOrigins(tc.asked, tc.bound)
		for _, w := range tc.want {
			if !slices.Contains(got, w) {
				t.Errorf("--addr %s: %v lacks %s", tc.asked, got, w)
			}
		}
		for _, n := range tc.without {
			if slices.Contains(got, n) {
				t.Errorf("--addr %s: %v holds %s", tc.asked, got, n)
			}
		}
	}
}

// A kiosk listening on every address (--addr :PORT) answers its page at any
// of the machine's IP addresses, even one DHCP gave it after it started
// (review s25, risk 4), but never at a name it was not started with: DNS
// rebinding arrives with the attacker's name.
func TestEveryAddressMeansAnyIPNotAnyName(t *testing.T) {
	for _, c := range []struct {
		asked  string
		port   int
		host   string
		origin string
		own    bool
	}{
		{":8080", 8080, "192.168.7.9:8080", "http://192.168.7.9:8080", true},
		{":8080", 8080, "[fd00::5]:8080", "", true},
		{":8080", 8080, "localhost:8080", "http://localhost:8080", true},
		{":8080", 8080, "evil.example:8080", "", false},
		{":8080", 8080, "192.168.7.9:9090", "", false},
		{":8080", 8080, "192.168.7.9:8080", "http://evil.example:8080", false},
		{":8080", 8080, "192.168.7.9:8080", "https://192.168.7.9:8080", false},
		{":80", 80, "192.168.7.9", "http://192.168.7.9", true},
		{":80", 80, "evil.example", "", false},
		{"127.0.0.1:8080", 8080, "192.168.7.9:8080", "", false},
	} {
		s := &Server{Origins: ServedOrigins(c.asked, &net.TCPAddr{IP: net.IPv6unspecified, Port: c.port})}
		if c.asked == "127.0.0.1:8080" {
			s.Origins = ServedOrigins(c.asked, &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: c.port})
		}
		r := httptest.NewRequest(http.MethodGet, "/api/health", nil)
		r.Host = c.host
		if c.origin != "" {
			r.Header.Set("Origin", c.origin)
		}
		if why := s.foreign(r); (why == "") != c.own {
			t.Errorf("--addr %s, Host %s, Origin %q: refused %q, want own %v", c.asked, c.host, c.origin, why, c.own)
		}
	}
}
