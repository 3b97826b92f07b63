package hub

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/gorilla/websocket"

	"tramso/kiosk/hubproto"
	"tramso/kiosk/pack"
)

// keyedHub is a hub that pins one province key, with an officer logged in
// to its console.
func keyedHub(t *testing.T) (*Hub, *admin, func(token string) *websocket.Conn, string) {
	t.Helper()
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	h, srv := startTestHub(t, Options{ProvinceKeys: []ed25519.PublicKey{pub}})
	if err := h.CreateAdmin(context.Background(), "tinh", testPassword); err != nil {
		t.Fatal(err)
	}
	a := newAdmin(t, srv)
	if code := a.login("tinh", testPassword); code != http.StatusOK {
		t.Fatalf("login: %d", code)
	}
	connect := func(token string) *websocket.Conn {
		ws := dial(t, srv, token)
		readWelcome(t, ws)
		return ws
	}
	return h, a, connect, pack.KeyID(pub)
}

// otherKeyID is the id of a key the hub does not pin.
func otherKeyID(t *testing.T) string {
	pub, _, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return pack.KeyID(pub)
}

// TestHubRefusesMalformedPinnedKeys: a kiosk frame whose list of pinned
// keys is not 1..16 ascending ids of 16 lowercase hex digits is refused
// like any bad message (bye, closed); what the kiosk said before stays, and
// the hub goes on serving.
func TestHubRefusesMalformedPinnedKeys(t *testing.T) {
	h, a, connect, hubKey := keyedHub(t)
	id, token := newDevice(t, h)
	ws := connect(token)
	sendStatus(t, ws, hubproto.Status{State: hubproto.StateIdle, PinnedKeys: []string{hubKey}})
	eventually(t, "the hub stores the pinned key", func() bool {
		_, page := a.get("/admin/devices/" + id)
		return strings.Contains(page, "<code>"+hubKey+"</code>")
	})
	ws.Close()

	var tooMany []string
	for i := range hubproto.MaxPinnedKeys + 1 {
		tooMany = append(tooMany, fmt.Sprintf(`"%016x"`, i))
	}
	for name, list := range map[string]string{
		"not hex":     `["not-a-key-id!!!"]`,
		"upper case":  `["` + strings.ToUpper(hubKey) + `"]`,
		"too short":   `["` + hubKey[:15] + `"]`,
		"too long":    `["` + hubKey + `0"]`,
		"empty":       `[]`,
		"too many":    `[` + strings.Join(tooMany, ",") + `]`,
		"twice":       `["` + hubKey + `","` + hubKey + `"]`,
		"not sorted":  `["ffffffffffffffff","0000000000000000"]`,
		"not strings": `[1, 2]`,
		"not a list":  `"` + hubKey + `"`,
		"huge text":   `["` + strings.Repeat("a", 4000) + `"]`,
	} {
		ws := connect(token)
		frame := `{"v":1,"type":"status","body":{"generation":0,"target_generation":0,"app_version":"x","state":"idle",` +
			`"bytes_done":0,"bytes_total":0,"free_disk":0,"pinned_keys":` + list + `}}`
		if err := ws.WriteMessage(websocket.TextMessage, []byte(frame)); err != nil {
			t.Fatal(err)
		}
		if bye, ok := readMessage(t, ws).Body.(*hubproto.Bye); !ok || bye.Reason != "protocol" {
			t.Errorf("%s: the hub did not say bye for a malformed list", name)
		}
		if _, _, err := ws.ReadMessage(); err == nil {
			t.Errorf("%s: the hub kept the connection open", name)
		}
		ws.Close()
	}
	// Still serving, and the keys said before stand.
	ws = connect(token)
	sendStatus(t, ws, hubproto.Status{State: hubproto.StateIdle, AppVersion: "after"})
	eventually(t, "a good status after the bad ones", func() bool {
		d, _, _ := h.DeviceByID(context.Background(), id)
		return d.AppVersion == "after"
	})
	if _, page := a.get("/admin/devices/" + id); !strings.Contains(page, "chưa báo — kiosk chạy phiên bản cũ") {
		// A status without the list says the kiosk no longer tells: an
		// older version put back on it.
		t.Errorf("the device page does not say the kiosk stopped telling its keys:\n%.3000s", page)
	}
}

// TestConsoleSaysWhichKeysKiosksPin: the device page names the keys a
// kiosk pins and says plainly when it pins none of the hub's or has not
// said; the fleet page counts, for the hub's key, the kiosks in use that
// pin it, those that do not and those that have not said (revoked kiosks
// left out), and lists those the rotation still waits for; the CSV has
// the ids.
func TestConsoleSaysWhichKeysKiosksPin(t *testing.T) {
	h, a, connect, hubKey := keyedHub(t)
	ctx := context.Background()
	other := otherKeyID(t)
	pinning, pinningToken := newDevice(t, h)
	stranger, strangerToken := newDevice(t, h)
	silent, _ := newDevice(t, h)
	revoked, revokedToken := newDevice(t, h)
	both := []string{hubKey, other}
	slices.Sort(both)
	for token, keys := range map[string][]string{pinningToken: both, strangerToken: {other}, revokedToken: {hubKey}} {
		sendStatus(t, connect(token), hubproto.Status{State: hubproto.StateIdle, PinnedKeys: keys})
	}
	eventually(t, "the hub stores what three kiosks pin", func() bool {
		devs, _ := h.Devices(ctx)
		n := 0
		for _, d := range devs {
			n += len(d.PinnedKeys)
		}
		return n == 4
	})
	if err := h.Revoke(ctx, revoked); err != nil {
		t.Fatal(err)
	}

	_, page := a.get("/admin/devices/" + pinning)
	for _, want := range []string{"<dt>Khóa tỉnh đã ghim</dt>", "<code>" + hubKey + "</code> <span class=\"badge ok\">máy chủ này cũng ghim</span>",
		"<code>" + other + "</code> <span class=\"badge off\">máy chủ này không ghim</span>"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page of a kiosk pinning the hub's key does not say %q:\n%.4000s", want, page)
		}
	}
	if strings.Contains(page, "Kiosk không ghim khóa nào") {
		t.Errorf("the page of a kiosk pinning the hub's key warns that it pins none")
	}
	if _, page := a.get("/admin/devices/" + stranger); !strings.Contains(page, "Kiosk không ghim khóa nào mà máy chủ này ghim: kiosk sẽ từ chối mọi gói") {
		t.Errorf("the page of a kiosk pinning none of the hub's keys does not say so:\n%.4000s", page)
	}
	if _, page := a.get("/admin/devices/" + silent); !strings.Contains(page, "<dt>Khóa tỉnh đã ghim</dt><dd>chưa báo") {
		t.Errorf("the page of a kiosk that has not said does not say so:\n%.4000s", page)
	}

	_, fleet := a.get("/admin/")
	for _, want := range []string{"<code>" + hubKey + "</code>: <strong>1 trên 3</strong> kiosk đang dùng ghim khóa này",
		"1 không ghim", "1 chưa báo", `href="/admin/?unpinned=` + hubKey + `"`, "không ghim khóa nào của máy chủ"} {
		if !strings.Contains(fleet, want) {
			t.Errorf("the fleet page does not say %q:\n%.6000s", want, fleet)
		}
	}
	_, waiting := a.get("/admin/?unpinned=" + hubKey)
	for id, want := range map[string]bool{pinning: false, stranger: true, silent: true, revoked: false} {
		if got := strings.Contains(waiting, "/admin/devices/"+id+`"`); got != want {
			t.Errorf("kiosks not pinning the hub's key: %s listed %v, want %v", id, got, want)
		}
	}
	if !strings.Contains(waiting, "không ghim khóa tỉnh "+hubKey) {
		t.Errorf("the filtered list does not say what it lists:\n%.6000s", waiting)
	}
	// "Lọc" keeps the key filter; an address naming no key id has none.
	if !strings.Contains(waiting, `<input type="hidden" name="unpinned" value="`+hubKey+`">`) {
		t.Errorf("the filter form drops the key filter:\n%.6000s", waiting)
	}
	if _, garbage := a.get("/admin/?unpinned=%3Cb%3Ex"); strings.Contains(garbage, "không ghim khóa tỉnh") {
		t.Errorf("a filter naming no key id is shown as one:\n%.3000s", garbage)
	}
	if _, all := a.get("/admin/?unpinned=" + other); strings.Contains(all, "/admin/devices/"+stranger+`"`) {
		t.Errorf("a kiosk pinning %s is listed as not pinning it", other)
	}

	_, csv := a.get("/admin/fleet.csv")
	if !strings.Contains(csv, ",window_last_kind,pinned_keys\n") || !strings.Contains(csv, ","+strings.Join(both, " ")+"\n") {
		t.Errorf("the fleet CSV has no pinned_keys column:\n%s", csv)
	}
}
