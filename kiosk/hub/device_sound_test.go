package hub

import (
	"net/http"
	"strings"
	"testing"
)

// A kiosk that went silent says so (PUT /api/device/sound); the console
// counts it, shows why and since when on the fleet page, the device page and
// the CSV, and its history says when it went silent and came back.
func TestSilentKioskOnTheConsole(t *testing.T) {
	h, srv, a := loggedIn(t)
	id, token := newDevice(t, h)
	put := func(body string) int { return deviceSend(t, http.MethodPut, srv.URL+"/api/device/sound", token, body) }
	for _, bad := range []string{`{"off":"broken","since":1796453000}`, `{"off":"froze"}`, `{"off":"","since":5}`,
		`{"off":"froze","since":1796453000,"note":"x"}`, `{"off":"froze","since":1796453000}{}`, `[]`} {
		if code := put(bad); code != http.StatusBadRequest {
			t.Errorf("accepted %s: %d", bad, code)
		}
	}
	// 2026-12-05 03:42:07 UTC is 10:42 in the province.
	if code := put(`{"off":"froze","since":1796442127}`); code != http.StatusOK {
		t.Fatalf("sound off: %d", code)
	}
	if code := put(`{"off":"froze","since":1796442127}`); code != http.StatusOK { // on reconnecting: no new history
		t.Fatalf("sound off again: %d", code)
	}
	fd, err := h.fleet(httptestRequest("/admin/?state=muted"))
	if err != nil {
		t.Fatal(err)
	}
	if fd.Counts.Muted != 1 || fd.Shown != 1 {
		t.Fatalf("muted filter: counts %+v, shown %d", fd.Counts, fd.Shown)
	}
	_, page := a.get("/admin/?state=muted")
	for _, want := range []string{
		`aria-current="true"><strong>1</strong> <span>tắt âm thanh</span>`,
		`<span class="badge warn">tự tắt âm thanh: màn hình treo khi đang phát tiếng, cần xem loa</span>`,
		"05/12/2026 10:42",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the fleet page lacks %q: %.6000s", want, page)
		}
	}
	_, csv := a.get("/admin/fleet.csv")
	if !strings.Contains(csv, ",sound_off,sound_since") || !strings.Contains(csv, ",froze,2026-12-05T03:42:07Z") {
		t.Errorf("the fleet CSV: %s", csv)
	}

	if code := put(`{"off":"","since":0}`); code != http.StatusOK {
		t.Fatalf("sound on: %d", code)
	}
	_, page = a.get("/admin/devices/" + id)
	if !strings.Contains(page, "bật (kiosk không báo tắt)") {
		t.Errorf("the device page of a kiosk that plays again: %.6000s", page)
	}
	history := page[strings.Index(page, "Lịch sử"):]
	if n := strings.Count(history, "tự tắt âm thanh: màn hình treo"); n != 1 {
		t.Errorf("%d history lines for going silent, want 1 (sent twice): %.6000s", n, history)
	}
	if !strings.Contains(history, "bật lại âm thanh") {
		t.Errorf("the history does not say the sound came back: %.6000s", history)
	}
	if _, page := a.get("/admin/"); !strings.Contains(page, `<strong>0</strong> <span>tắt âm thanh</span>`) {
		t.Errorf("a kiosk that plays again is still counted silent")
	}

	token = ""
	if code := put(`{"off":"staff","since":1796442127}`); code != http.StatusUnauthorized {
		t.Errorf("without a device token: %d", code)
	}
}

// A stolen device token cannot fill the device's history: states come no
// faster than soundRate allows.
func TestSoundStatesAreRateLimited(t *testing.T) {
	h, srv := startTestHub(t, Options{})
	_, token := newDevice(t, h)
	codes := map[int]int{}
	for i := range 30 {
		body := `{"off":"staff","since":1796442127}`
		if i%2 == 1 {
			body = `{"off":"","since":0}`
		}
		codes[deviceSend(t, http.MethodPut, srv.URL+"/api/device/sound", token, body)]++
	}
	if codes[http.StatusOK] != int(soundRate.burst) || codes[http.StatusTooManyRequests] != 30-int(soundRate.burst) {
		t.Fatalf("answers %v, want %v OK then 429", codes, soundRate.burst)
	}
}
