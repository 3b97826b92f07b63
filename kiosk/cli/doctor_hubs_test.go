package cli

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestDoctorChecksEveryHub: with hub.urls, doctor asks each hub. One down
// while another answers is a warning (the kiosk moves to the one that
// answers); all down is a fault.
func TestDoctorChecksEveryHub(t *testing.T) {
	up := httptest.NewServer(http.HandlerFunc(healthHandler))
	defer up.Close()
	upURL := strings.Replace(up.URL, "http://", "ws://", 1) + "/ws"
	down, down2 := "ws://"+closedPort(t)+"/ws", "ws://"+closedPort(t)+"/ws"
	cases := []struct {
		name       string
		hubs       []string
		faults     int
		warnedHubs int
	}{
		{"one of two down", []string{down, upURL}, 0, 1},
		{"both down", []string{down, down2}, 2, 0},
		{"both up", []string{upURL, strings.Replace(upURL, "127.0.0.1", "localhost", 1)}, 0, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := healthyDoctor(t)
			writeDoctorConfig(t, d.configPath, "hub:\n  urls: ["+strings.Join(c.hubs, ", ")+"]\n  province_keys: [\""+testKey+"\"]\n")
			findings := d.run()
			var out bytes.Buffer
			faults := d.report(&out, findings)
			hubFindings, warned := 0, 0
			for _, f := range findings {
				if f.check != "hub" {
					continue
				}
				hubFindings++
				if f.level == levelWarn && strings.Contains(f.say.String(), "connection refused") && strings.Contains(f.say.String(), "other hub") {
					warned++
				}
			}
			if faults != c.faults || warned != c.warnedHubs || hubFindings != len(c.hubs) {
				t.Fatalf("%d faults (want %d), %d hubs warned (want %d), %d hub findings (want %d):\n%s",
					faults, c.faults, warned, c.warnedHubs, hubFindings, len(c.hubs), out.String())
			}
		})
	}
}
