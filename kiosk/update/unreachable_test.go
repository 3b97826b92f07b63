package update

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"
)

// TestUnreachableIsTheNetworksOnly: a hub that is not there, one that stops
// mid-answer, one that does not answer in time and a transfer the kiosk cut
// for bringing too little are the network's (the
// console does not count them as the kiosk's fault); a certificate the
// kiosk refuses, or an error status, is not.
func TestUnreachableIsTheNetworksOnly(t *testing.T) {
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := closed.Addr().String()
	closed.Close()
	cut := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "1000")
		w.Write(make([]byte, 10))
		w.(http.Flusher).Flush()
		panic(http.ErrAbortHandler)
	}))
	defer cut.Close()
	gone := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { panic(http.ErrAbortHandler) }))
	defer gone.Close()
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(300 * time.Millisecond)
	}))
	defer slow.Close()
	tlsHub := httptest.NewTLSServer(http.NotFoundHandler())
	defer tlsHub.Close()

	get := func(client *http.Client, url string) error {
		resp, err := client.Get(url)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		_, err = io.ReadAll(resp.Body)
		return err
	}
	plain := &http.Client{}
	for _, c := range []struct {
		what string
		err  error
		want bool
	}{
		{"a hub that is not there", get(plain, "http://"+addr+"/packs/1/manifest.json"), true},
		{"a hub that stops mid-answer", get(plain, cut.URL), true},
		{"a hub that closes before answering", get(plain, gone.URL), true},
		{"a hub that does not answer in time", get(&http.Client{Timeout: 50 * time.Millisecond}, slow.URL), true},
		{"a certificate the kiosk does not trust", get(plain, tlsHub.URL), false},
		// As the resolver says it (no lookup here: a test machine may have no DNS).
		{"a hub name that does not resolve", &url.Error{Op: "Get", URL: "http://hub.invalid/", Err: &net.OpError{Op: "dial", Net: "tcp",
			Err: &net.DNSError{Err: "no such host", Name: "hub.invalid", IsNotFound: true}}}, false},
		{"a resolver that does not answer for now", &url.Error{Op: "Get", URL: "http://hub.example/", Err: &net.OpError{Op: "dial", Net: "tcp",
			Err: &net.DNSError{Err: "server misbehaving", Name: "hub.example", IsTemporary: true}}}, true},
		{"an error status", fmt.Errorf("GET /packs/1/manifest.json: 404 Not Found"), false},
		// Outside QA s25: staff saw the kiosk's English alone for this one.
		{"a range the kiosk cut for no progress", fmt.Errorf("download big.bin: %w", fmt.Errorf("%w for 30s: transfer cut, it resumes later", errStalled)), true},
	} {
		if got := unreachable(c.err); got != c.want {
			t.Errorf("%s (%v): unreachable %v, want %v", c.what, c.err, got, c.want)
		}
	}
}
