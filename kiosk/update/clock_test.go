package update_test

import (
	"crypto/ed25519"
	"log/slog"
	"strings"
	"testing"
	"time"

	"tramso/kiosk/hub"
	"tramso/kiosk/hub/hubtest"
	"tramso/kiosk/testlog"
	"tramso/kiosk/update"
)

// A kiosk compares its clock with the time in the hub's welcome: off by
// more than a few minutes, it logs so once and shows the difference in its
// status for the staff panel (outside QA F20: only `tramso doctor` looked).
func TestClockSkewFromWelcome(t *testing.T) {
	cases := []struct {
		name     string
		hubAhead time.Duration // the hub's clock against the kiosk's
		want     int64         // clock_skew_seconds: the kiosk ahead of the hub
	}{
		{"hub 2 hours ahead", 2 * time.Hour, -7200},
		{"hub 2 hours behind", -2 * time.Hour, 7200},
		{"a minute apart", time.Minute, 0},
	}
	key := newKey(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := &testHub{hubtest.Start(t, hubtest.Options{Hub: hub.Options{
				ProvinceKeys: []ed25519.PublicKey{key.Public().(ed25519.PublicKey)}, Heartbeat: 5 * time.Second, Poll: 10 * time.Second,
				Now: func() time.Time { return time.Now().Add(tc.hubAhead) }}})}
			var out testlog.Buffer
			k := startKiosk(t, h, func(o *update.Options) { o.Log = slog.New(slog.NewTextHandler(&out, nil)) })
			eventually(t, "the kiosk connects", func() bool { return k.client.Status().Connected })
			got := k.client.Status().ClockSkewSeconds
			if got < tc.want-5 || got > tc.want+5 {
				t.Fatalf("clock_skew_seconds %d, want about %d", got, tc.want)
			}
			want := 0
			if tc.want != 0 {
				want = 1
			}
			if warnings := strings.Count(out.String(), "clock differs from the hub"); warnings != want {
				t.Fatalf("%d warnings about the clock on one connection, want %d:\n%s", warnings, want, out.String())
			}
		})
	}
}
