package update_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"tramso/kiosk/config"
	"tramso/kiosk/hub"
	"tramso/kiosk/update"
)

// TestEnrollPublishConverge: kiosks enroll with one-time codes, a pack goes to
// the test group first, then to everyone, and every kiosk ends up serving it;
// a second pack that changes one file follows.
func TestEnrollPublishConverge(t *testing.T) {
	key := newKey(t)
	h := startHub(t, key, nil)
	ctx := context.Background()
	kiosks := make([]*kiosk, 4)
	for i := range kiosks {
		kiosks[i] = startKiosk(t, h, nil)
	}
	eventually(t, "all kiosks connected", func() bool { return h.Connected() == len(kiosks) })
	if err := h.SetWave(ctx, kiosks[0].id, hub.WaveTest); err != nil {
		t.Fatal(err)
	}

	const g1 = 1000
	h.publish(t, buildPack(t, key, g1, map[string][]byte{"media/extra/a.ogg": randomBytes(100 << 10)}), hub.StageTest)
	eventually(t, "the test kiosk applies the pack", func() bool { return kiosks[0].generation() == g1 })
	for _, k := range kiosks[1:] {
		if k.generation() == g1 {
			t.Fatalf("kiosk %s outside the test group got generation %d", k.id, g1)
		}
	}

	if err := h.SetStage(ctx, g1, hub.StageEveryone); err != nil {
		t.Fatal(err)
	}
	for _, k := range kiosks {
		eventually(t, "every kiosk applies "+k.id, func() bool { return k.generation() == g1 })
	}

	const g2 = 1001
	h.publish(t, buildPack(t, key, g2, map[string][]byte{"media/extra/a.ogg": randomBytes(100 << 10)}), hub.StageEveryone)
	for _, k := range kiosks {
		eventually(t, "every kiosk applies the second pack "+k.id, func() bool { return k.generation() == g2 })
	}

	eventually(t, "the hub's fleet view shows every kiosk on g2", func() bool {
		devs, err := h.Devices(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range devs {
			if d.Generation != g2 || d.AppVersion != "test-1.0" {
				return false
			}
		}
		return len(devs) == len(kiosks)
	})
	reports, err := h.Reports(ctx, "", 100)
	if err != nil {
		t.Fatal(err)
	}
	applied := 0
	for _, r := range reports {
		if r.Outcome == "applied" {
			applied++
		}
	}
	if applied != 2*len(kiosks) {
		t.Errorf("%d applied reports, want %d: %+v", applied, 2*len(kiosks), reports)
	}
	if st := kiosks[1].client.Status(); st.State != "idle" || st.LastSync == "" || !st.Connected {
		t.Errorf("staff status after converging: %+v", st)
	}
	// Staff mode says the content came from the hub, not a USB stick.
	if st, err := kiosks[1].packs.Status(ctx); err != nil || st.Applied == nil || st.Applied.AppliedVia != "hub" {
		t.Errorf("staff content status after converging: %+v, %v", st.Applied, err)
	}
}

// TestRevokedKioskIsCutOff: a revoked device loses its connection and
// cannot fetch anything.
func TestRevokedKioskIsCutOff(t *testing.T) {
	key := newKey(t)
	h := startHub(t, key, nil)
	k := startKiosk(t, h, nil)
	eventually(t, "connected", func() bool { return h.Connected() == 1 })
	if err := h.Revoke(context.Background(), k.id); err != nil {
		t.Fatal(err)
	}
	eventually(t, "revoked kiosk disconnected", func() bool { return h.Connected() == 0 })
	eventually(t, "kiosk shows why", func() bool { return strings.Contains(k.client.Status().LastError, "token") })
}

// TestOverTLS: a hub serving HTTPS/WSS with a certificate from the
// province's own CA — the only way a kiosk talks to a hub off its own
// machine. Without hub.ca_file enrollment fails as an unknown authority and
// spends nothing; with it the kiosk enrolls, connects and converges, using the
// TLS setup built from the config the way the station builds it.
func TestOverTLS(t *testing.T) {
	key := newKey(t)
	h := startTLSHub(t, key)
	ctx := context.Background()
	code, err := h.CreateCode(ctx, "Ea Kao", "test")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Parse(strings.NewReader("hub:\n  ca_file: " + h.CAFile + "\n"))
	if err != nil {
		t.Fatal(err)
	}
	tlsConf, err := config.HubTLS(cfg.Hub.CAFile)
	if err != nil {
		t.Fatal(err)
	}
	var creds update.Credentials
	for _, c := range []struct {
		name string
		tls  *tls.Config
		ok   bool
	}{{"system roots only", nil, false}, {"with hub.ca_file", tlsConf, true}} {
		got, err := update.Enroll(ctx, h.URL, code, "", c.tls)
		switch {
		case c.ok && err != nil:
			t.Fatalf("%s: %v", c.name, err)
		case !c.ok && !errors.As(err, new(x509.UnknownAuthorityError)):
			t.Fatalf("%s: want an x509 unknown-authority error, got %v", c.name, err)
		}
		creds = got
	}
	if !strings.HasPrefix(creds.HubURL, "wss://") {
		t.Fatalf("the hub gave %q, want its wss:// URL", creds.HubURL)
	}

	// Enrolled but without the CA, a kiosk stays offline, and staff see why.
	lost := startKioskWith(t, creds, func(o *update.Options) {})
	eventually(t, "staff see the untrusted CA", func() bool {
		s := lost.client.Status()
		return !s.Connected && s.ConnectProblem == "untrusted_ca" && strings.Contains(s.ConnectError, "x509")
	})

	k := startKioskWith(t, creds, func(o *update.Options) { o.TLS = tlsConf })
	eventually(t, "connected over wss", func() bool { return h.Connected() == 1 })
	if s := k.client.Status(); s.ConnectProblem != "" || s.ConnectError != "" {
		t.Fatalf("connected, yet the status still shows a problem: %+v", s)
	}
	h.publish(t, buildPack(t, key, 9500, nil), hub.StageEveryone)
	eventually(t, "converged over https", func() bool { return k.generation() == 9500 })
}

// A hub that does not answer at all: staff see "unreachable", not a blank.
func TestUnreachableHubIsNamed(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	k := startKioskWith(t, update.Credentials{HubURL: "ws://" + addr + "/ws", Token: "t"}, nil)
	eventually(t, "staff see the hub is unreachable", func() bool {
		s := k.client.Status()
		return !s.Connected && s.ConnectProblem == "unreachable" && s.ConnectError != ""
	})
}

// TestCertificateOutOfDateByTheKioskClock: a kiosk whose clock runs years
// ahead sees the hub's certificate as expired. Staff are told to look at the
// clock first (tls_time), not only to call the province (outside QA).
func TestCertificateOutOfDateByTheKioskClock(t *testing.T) {
	key := newKey(t)
	h := startTLSHub(t, key)
	tlsConf, err := config.HubTLS(h.CAFile)
	if err != nil {
		t.Fatal(err)
	}
	creds, err := update.Enroll(context.Background(), h.URL, mustCode(t, h), "", tlsConf)
	if err != nil {
		t.Fatal(err)
	}
	ahead := tlsConf.Clone()
	ahead.Time = func() time.Time { return time.Now().AddDate(80, 0, 0) } // past httptest's certificate (2084)
	k := startKioskWith(t, creds, func(o *update.Options) { o.TLS = ahead })
	eventually(t, "staff see a certificate out of date by this clock", func() bool {
		s := k.client.Status()
		return !s.Connected && s.ConnectProblem == "tls_time" && strings.Contains(s.ConnectError, "expired")
	})
}

func mustCode(t *testing.T, h *testHub) string {
	t.Helper()
	code, err := h.CreateCode(context.Background(), "Ea Kao", "test")
	if err != nil {
		t.Fatal(err)
	}
	return code
}
