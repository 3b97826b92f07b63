package hubproto

import "testing"

// A hub behind a reverse proxy keeps its path prefix in every endpoint: the
// update client and `tramso doctor` must reach the same hub.
func TestHubURLs(t *testing.T) {
	cases := []struct{ in, base, ws, health string }{
		{"wss://hub.example/ws", "https://hub.example", "wss://hub.example/ws", "https://hub.example/api/health"},
		{"https://hub.example/", "https://hub.example", "wss://hub.example/ws", "https://hub.example/api/health"},
		{"wss://tinh.example/tramso/ws", "https://tinh.example/tramso", "wss://tinh.example/tramso/ws", "https://tinh.example/tramso/api/health"},
		{"wss://tinh.example:8443/a/b/ws/?x=1#f", "https://tinh.example:8443/a/b", "wss://tinh.example:8443/a/b/ws", "https://tinh.example:8443/a/b/api/health"},
		{"https://tinh.example/tramso", "https://tinh.example/tramso", "wss://tinh.example/tramso/ws", "https://tinh.example/tramso/api/health"},
		{"ws://127.0.0.1:8090/ws", "http://127.0.0.1:8090", "ws://127.0.0.1:8090/ws", "http://127.0.0.1:8090/api/health"},
		{"http://localhost:8090", "http://localhost:8090", "ws://localhost:8090/ws", "http://localhost:8090/api/health"},
	}
	for _, c := range cases {
		base, err := HTTPBase(c.in)
		ws, err2 := WebSocketURL(c.in)
		health, err3 := Endpoint(c.in, Health)
		if err != nil || err2 != nil || err3 != nil || base != c.base || ws != c.ws || health != c.health {
			t.Errorf("%s: base %q ws %q health %q (%v %v %v)", c.in, base, ws, health, err, err2, err3)
		}
	}
	for _, bad := range []string{"ftp://hub.example/ws", "hub.example/ws", "wss:///ws", "://x"} {
		if b, err := HTTPBase(bad); err == nil {
			t.Errorf("%s accepted as %q", bad, b)
		}
	}
}
