package cli

import (
	"fmt"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// A hub that blocks this address after wrong codes: enroll says so, and
// when to try again, rather than sending the technician to the network.
func TestEnrollSaysWhenAThrottledAddressMayTryAgain(t *testing.T) {
	h := startEnrollHub(t)
	for i := range 20 {
		resp, err := http.Post(h.URL+"/api/enroll", "application/json",
			strings.NewReader(fmt.Sprintf(`{"code":"AAAA-BBBB-%04d","name":"x"}`, i)))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Fatalf("wrong code %d: %d", i, resp.StatusCode)
		}
	}
	dir := t.TempDir()
	cfgPath, data := filepath.Join(dir, "config.yaml"), filepath.Join(dir, "data")
	writeDoctorConfig(t, cfgPath, commentedConfig)
	start := time.Now()
	code, out, errOut := runCLI(t, "enroll", "--create-data", "--hub", h.URL, "--code", h.code(t), "--key-id", h.KeyID, "--data", data, "--config", cfgPath)
	if code == 0 {
		t.Fatalf("enrolled from a blocked address: %s", out)
	}
	if strings.Contains(errOut, "Check the network") || !strings.Contains(errOut, "too many wrong enrollment codes") ||
		!strings.Contains(errOut, "Mở chặn") || !strings.Contains(errOut, "The code is still good") {
		t.Fatalf("the refusal does not say what happened and what to do:\n%s", errOut)
	}
	m := regexp.MustCompile(`Try again after (\d\d:\d\d)`).FindStringSubmatch(errOut)
	if m == nil {
		t.Fatalf("the refusal does not say when to try again:\n%s", errOut)
	}
	t.Logf("enroll said:\n%s", errOut)
	// The hub's window is 15 minutes from the first wrong code.
	if want := start.Add(15 * time.Minute); m[1] != want.Format("15:04") && m[1] != want.Add(-time.Minute).Format("15:04") && m[1] != want.Add(time.Minute).Format("15:04") {
		t.Fatalf("try again after %s, want about %s:\n%s", m[1], want.Format("15:04"), errOut)
	}
}

func TestEnrollThrottledAdvice(t *testing.T) {
	now := time.Date(2026, 12, 7, 19, 10, 0, 0, time.Local)
	for _, c := range []struct {
		err  string
		want string // "" for no throttle advice
	}{
		{"enroll with http://h: 429 Too Many Requests: too many wrong enrollment codes from this address (10.0.0.1): … (in 958 seconds) …", "Try again after 19:26 (this computer's clock, in about 16 minutes)"},
		{"enroll with http://h: 429 Too Many Requests: too many failed attempts; wait a minute", "Wait up to 15 minutes"},
		{"enroll with http://h: 500 Internal Server Error: enrollment failed on the hub", ""},
		{"enroll with http://h: 429 Too Many Requests: rate limit exceeded (proxy)", ""},
		{"enroll with http://h: dial tcp: connection refused", ""},
	} {
		advice, ok := enrollThrottled(fmt.Errorf("%s", c.err), now)
		if ok != (c.want != "") || !strings.Contains(advice, c.want) {
			t.Errorf("%q: %v %q, want %q", c.err, ok, advice, c.want)
		}
	}
}
