package update_test

import (
	"context"
	"crypto/ed25519"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"tramso/kiosk/hub"
	"tramso/kiosk/update"
)

// TestEnrolPublishConverge: kiosks enrol with one-time codes, a pack goes to
// the test group first, then to everyone, and every kiosk ends up serving it;
// a second pack that changes one file follows.
func TestEnrolPublishConverge(t *testing.T) {
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
	h.publish(t, buildPack(t, key, g1, map[string][]byte{"media/extra/a.bin": randomBytes(100 << 10)}), hub.StageTest)
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
	h.publish(t, buildPack(t, key, g2, map[string][]byte{"media/extra/a.bin": randomBytes(100 << 10)}), hub.StageEveryone)
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

// TestOverTLS: a hub serving HTTPS/WSS (here with a test CA the kiosk is
// given) — the only way a kiosk talks to a hub off its own machine.
func TestOverTLS(t *testing.T) {
	key := newKey(t)
	h, err := hub.Open(hub.Options{Dir: t.TempDir(), ProvinceKeys: []ed25519.PublicKey{key.Public().(ed25519.PublicKey)},
		Log: quietLog()})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { h.Run(ctx); close(done) }()
	srv := httptest.NewTLSServer(h.Handler())
	t.Cleanup(func() { cancel(); <-done; srv.CloseClientConnections(); srv.Close(); h.Close() })

	th := &testHub{Hub: h, URL: srv.URL, srv: srv}
	code, _ := h.CreateCode(ctx, "Ea Kao", "test")
	e, err := h.Enrol(ctx, code, "")
	if err != nil {
		t.Fatal(err)
	}
	wss := "wss" + strings.TrimPrefix(srv.URL, "https") + "/ws"
	k := startKioskWith(t, update.Credentials{DeviceID: e.DeviceID, Token: e.Token, HubURL: wss, ProvinceKeys: e.ProvinceKeys},
		func(o *update.Options) { o.TLS = srv.Client().Transport.(*http.Transport).TLSClientConfig })
	eventually(t, "connected over wss", func() bool { return h.Connected() == 1 })
	th.publish(t, buildPack(t, key, 9500, nil), hub.StageEveryone)
	eventually(t, "converged over https", func() bool { return k.generation() == 9500 })
}
