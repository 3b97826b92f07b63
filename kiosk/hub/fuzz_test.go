package hub

import (
	"bytes"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"tramso/kiosk/hubproto"
)

// fuzzHub is one hub on 127.0.0.1 shared by every input of a fuzz run, as a
// real hub meets one hostile peer after another. After each input a good
// kiosk must still be welcomed, and no panic may have been caught at a
// peer's boundary (the recover keeps the hub up; the fuzzer still reports
// the bug).
type fuzzHub struct {
	h                 *Hub
	srv               *httptest.Server
	good, hostile     string // device tokens
	goodID, hostileID string
}

func newFuzzHub(f *testing.F) *fuzzHub {
	h, srv := startTestHub(f, Options{})
	fh := &fuzzHub{h: h, srv: srv}
	fh.goodID, fh.good = newDevice(f, h)
	fh.hostileID, fh.hostile = newDevice(f, h)
	publishEmpty(f, h, 500, StageEveryone)
	// The limits are tested elsewhere; here they would hide the validators
	// from the fuzzer after a few inputs.
	h.usageLimit.rate = rate{perSecond: 1e9, burst: 1e9}
	return fh
}

// check is what must hold after any input.
func (fh *fuzzHub) check(t *testing.T) {
	t.Helper()
	if n := fh.h.recovered.Load(); n > 0 {
		t.Fatalf("%d panic(s) caught at a peer's boundary (run with TRAMSO_TEST_LOG=1 for the stack)", n)
	}
	ws, _, err := websocket.DefaultDialer.Dial(wsURLOf(fh.srv), http.Header{"Authorization": {"Bearer " + fh.good}})
	if err != nil {
		t.Fatalf("a good kiosk cannot connect: %v", err)
	}
	defer ws.Close()
	_ = ws.SetReadDeadline(time.Now().Add(30 * time.Second))
	_, data, err := ws.ReadMessage()
	if err != nil {
		t.Fatalf("a good kiosk gets no welcome: %v", err)
	}
	m, err := hubproto.Decode(data)
	if w, ok := m.Body.(*hubproto.Welcome); err != nil || !ok || w.TargetGeneration != 500 {
		t.Fatalf("a good kiosk's welcome: %+v, %v", m, err)
	}
}

// Ways a hostile kiosk sends its bytes over the websocket.
const (
	sendText = iota
	sendBinary
	sendPing
	sendRaw   // straight onto the TCP connection: unmasked, broken or partial framing
	sendReset // a text frame, then a TCP reset instead of a close
	sendClose
	sendModes
)

// FuzzHostileKiosk sends whatever the fuzzer makes, count times, as a kiosk
// with a valid token would: random and oversized frames, wrong types,
// out-of-range numbers, floods, resets.
func FuzzHostileKiosk(f *testing.F) {
	seeds := [][]byte{
		[]byte(`{"v":1,"type":"status","body":{"generation":5,"target_generation":0,"app_version":"1","state":"idle","bytes_done":0,"bytes_total":0,"free_disk":1}}`),
		[]byte(`{"v":1,"type":"status","body":{"generation":9223372036854775807,"target_generation":-1,"app_version":"1","state":"idle","bytes_done":0,"bytes_total":0,"free_disk":1}}`),
		[]byte(`{"v":1,"type":"ack","body":{"generation":9007199254740993}}`),
		[]byte(`{"v":1,"type":"ack","body":{"generation":9999999999999999}}`),
		[]byte(`{"v":1,"type":"ack","body":{"generation":500}}`),
		[]byte(`{"v":1,"type":"report","body":{"generation":1764800000123456789,"outcome":"applied"}}`),
		[]byte(`{"v":1,"type":"report","body":{"generation":0,"outcome":"rejected","error":"bad_signature"}}`),
		[]byte(`{"v":1,"type":"welcome","body":{"device_id":"k","name":"","server_time":1,"heartbeat_seconds":30,"poll_seconds":60,"target_generation":1}}`),
		[]byte(`{"v":1,"type":"announce","body":{"generation":7}}`),
		[]byte(`{"v":1,"type":"bye","body":{"reason":"shutdown"}}`),
		[]byte(`{"v":2,"type":"ack","body":{"generation":1}}`),
		[]byte(`{"v":1,"type":"ack","body":{"generation":1},"v":1}`),
		[]byte(`{"v":1,"type":"status","body":{"generation":1e400}}`),
		[]byte(strings.Repeat("[", 5000)),
		bytes.Repeat([]byte("x"), hubproto.MaxMessageSize+10),
		{0xff, 0xfe, 0x00},
		{0x81, 0x05, 'h', 'e', 'l', 'l', 'o'},                        // an unmasked frame: only a server may send those
		{0x82, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, // a length of 2^64-1
		{},
	}
	for i, s := range seeds {
		f.Add(uint8(i%sendModes), uint8(0), s)
	}
	f.Add(uint8(sendText), uint8(255), seeds[5]) // a flood of reports (attack 6)
	f.Add(uint8(sendText), uint8(200), seeds[0]) // a flood of statuses
	f.Add(uint8(sendPing), uint8(255), []byte("p"))
	f.Add(uint8(sendReset), uint8(3), seeds[4])
	fh := newFuzzHub(f)
	f.Fuzz(func(t *testing.T, mode, count uint8, frame []byte) {
		fh.hostileSends(t, int(mode)%sendModes, 1+4*int(count), frame)
		fh.check(t)
	})
}

func (fh *fuzzHub) hostileSends(t *testing.T, mode, count int, frame []byte) {
	ws, _, err := websocket.DefaultDialer.Dial(wsURLOf(fh.srv), http.Header{"Authorization": {"Bearer " + fh.hostile}})
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	defer ws.Close()
	go func() { // read what the hub says so its writes never wait on us
		for ws.SetReadDeadline(time.Now().Add(10*time.Second)) == nil {
			if _, _, err := ws.ReadMessage(); err != nil {
				return
			}
		}
	}()
	for range count {
		if sendOnce(ws, mode, frame) != nil {
			return // the hub has cut us off
		}
	}
	if mode == sendReset {
		if tcp, ok := ws.NetConn().(*net.TCPConn); ok {
			_ = tcp.SetLinger(0) // Close now sends RST
		}
	}
}

func sendOnce(ws *websocket.Conn, mode int, frame []byte) error {
	_ = ws.SetWriteDeadline(time.Now().Add(10 * time.Second))
	switch mode {
	case sendBinary:
		return ws.WriteMessage(websocket.BinaryMessage, frame)
	case sendPing:
		return ws.WriteControl(websocket.PingMessage, frame[:min(len(frame), 125)], time.Now().Add(10*time.Second))
	case sendRaw:
		_, err := ws.NetConn().Write(frame)
		return err
	case sendClose:
		return ws.WriteControl(websocket.CloseMessage, frame[:min(len(frame), 125)], time.Now().Add(10*time.Second))
	}
	return ws.WriteMessage(websocket.TextMessage, frame)
}

// Device HTTP routes the fuzzer reaches.
const (
	routeUsage = iota
	routeManifest
	routeBlob
	routeEnroll
	routeTarget
	routeSound
	routeIncidents
	routes
)

// FuzzHostileDeviceHTTP sends whatever the fuzzer makes to the device HTTP
// API: bodies, path segments, Range and Authorization headers. Every answer
// is a 2xx–4xx, never a 5xx or a dropped connection, and the hub serves on.
func FuzzHostileDeviceHTTP(f *testing.F) {
	f.Add(uint8(routeUsage), "", "", []byte(`[{"day":"2026-11-26","metric":"sessions","count":42}]`))
	f.Add(uint8(routeUsage), "", "", []byte(`[{"day":"9999-99-99","metric":"sessions","count":9223372036854775807}]`))
	f.Add(uint8(routeUsage), "", "", []byte(`[{"day":"2026-11-26","metric":"sessions_ended","count":1,"seconds":-1}]`))
	f.Add(uint8(routeUsage), "", "", []byte(`[`+strings.Repeat(`{"day":"2026-11-26","metric":"sessions","count":1},`, 100)+`{}]`))
	f.Add(uint8(routeManifest), "9007199254740993", "", []byte(nil))
	f.Add(uint8(routeManifest), "-1", "", []byte(nil))
	f.Add(uint8(routeManifest), "500", "", []byte(nil))
	f.Add(uint8(routeBlob), strings.Repeat("a", 64), "bytes=0-", []byte(nil))
	f.Add(uint8(routeBlob), "../../hub.db", "bytes=-1,5-2,999999999999999999999-", []byte(nil))
	f.Add(uint8(routeEnroll), "", "", []byte(`{"code":"AAAA-BBBB-CCCC","name":"\u0000"}`))
	f.Add(uint8(routeSound), "", "", []byte(`{"off":"froze","since":1796442127}`))
	f.Add(uint8(routeSound), "", "", []byte(`{"off":"froze","since":-9223372036854775808}`))
	f.Add(uint8(routeSound), "", "", []byte(`{"off":"\u0000","since":1,"off":"staff"}`))
	f.Add(uint8(routeIncidents), "", "", []byte(`[{"at":1796442127,"kind":"froze"}]`))
	f.Add(uint8(routeIncidents), "", "", []byte(`[{"at":9223372036854775807,"kind":"crashed"},{"at":1,"kind":"stuck"}]`))
	f.Add(uint8(routeIncidents), "", "", []byte(`[{"at":1796442127,"kind":"froze","kind":"\u0000"}]`))
	f.Add(uint8(routeIncidents), "", "", []byte(`[null]`))
	f.Add(uint8(routeTarget), "", "Bearer k.x", []byte(nil))
	f.Add(uint8(routeTarget), "", "Bearer "+strings.Repeat("k", 100)+"."+strings.Repeat("s", 200), []byte(nil))
	fh := newFuzzHub(f)
	f.Fuzz(func(t *testing.T, route uint8, segment, header string, body []byte) {
		req := fh.deviceRequest(int(route)%routes, segment, header, body)
		if req == nil {
			return // not an HTTP request a client could send
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
		}
		resp.Body.Close()
		if resp.StatusCode >= 500 {
			t.Fatalf("%s %s: %s", req.Method, req.URL.Path, resp.Status)
		}
		fh.check(t)
	})
}

func (fh *fuzzHub) deviceRequest(route int, segment, header string, body []byte) *http.Request {
	method, path, auth := http.MethodGet, "", "Bearer "+fh.hostile
	switch route {
	case routeUsage:
		method, path = http.MethodPost, "/api/device/usage"
	case routeManifest:
		path = "/packs/" + url.PathEscape(segment) + "/manifest.json"
	case routeBlob:
		path = "/blobs/" + url.PathEscape(segment)
	case routeEnroll:
		method, path = http.MethodPost, "/api/enroll"
	case routeTarget:
		path, auth = "/api/device/target", header
	case routeSound:
		method, path = http.MethodPut, "/api/device/sound"
	case routeIncidents:
		method, path = http.MethodPost, "/api/device/incidents"
	}
	req, err := http.NewRequest(method, fh.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		return nil
	}
	req.Header.Set("Authorization", auth)
	if route == routeBlob {
		req.Header.Set("Range", header)
	}
	if !validHeader(auth) || !validHeader(header) {
		return nil
	}
	return req
}

// validHeader says whether net/http would send v as a header value.
func validHeader(v string) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; (c < 0x20 && c != '\t') || c == 0x7f {
			return false
		}
	}
	return true
}
