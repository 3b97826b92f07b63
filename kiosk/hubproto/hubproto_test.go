package hubproto

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"tramso/kiosk/strictjson"
)

func TestRoundTrip(t *testing.T) {
	bodies := []any{
		&Status{Generation: 3, TargetGeneration: 4, AppVersion: "0.3.1", State: StateDownloading, BytesDone: 10, BytesTotal: 20, FreeDisk: 1 << 30},
		&Status{Generation: 3, TargetGeneration: 3, State: StateFailed, LastError: "x", ShownGeneration: 2, ErrorKind: "content_untrusted"},
		&Ack{Generation: 4},
		&Report{Generation: 4, Outcome: OutcomeRejected, Error: "signature does not verify"},
		&Welcome{DeviceID: "k1a2b3", Name: "Ea Kao", ServerTime: 1, HeartbeatSeconds: 30, PollSeconds: 900, TargetGeneration: 4},
		&Announce{Generation: 4},
		&Bye{Reason: "revoked"},
	}
	for _, b := range bodies {
		raw, err := Encode(b)
		if err != nil {
			t.Fatalf("encode %T: %v", b, err)
		}
		m, err := Decode(raw)
		if err != nil {
			t.Fatalf("decode %s: %v", raw, err)
		}
		if m.Type != typeOf(b) {
			t.Errorf("type %q, want %q", m.Type, typeOf(b))
		}
	}
}

func TestDecodeRejects(t *testing.T) {
	cases := []struct {
		name  string
		frame string
		want  error
	}{
		{"not json", `{`, ErrInvalid},
		{"version", `{"v":2,"type":"ack","body":{"generation":1}}`, ErrVersion},
		{"no version", `{"type":"ack","body":{"generation":1}}`, ErrVersion},
		{"unknown type", `{"v":1,"type":"exec","body":{}}`, ErrType},
		{"unknown envelope field", `{"v":1,"type":"ack","body":{"generation":1},"x":1}`, ErrInvalid},
		{"unknown body field", `{"v":1,"type":"ack","body":{"generation":1,"cmd":"rm"}}`, ErrInvalid},
		{"missing body", `{"v":1,"type":"ack"}`, ErrInvalid},
		{"null body", `{"v":1,"type":"ack","body":null}`, nil},
		{"trailing data", `{"v":1,"type":"ack","body":{"generation":1}} {}`, ErrInvalid},
		{"negative generation", `{"v":1,"type":"ack","body":{"generation":-1}}`, ErrInvalid},
		{"announce zero", `{"v":1,"type":"announce","body":{"generation":0}}`, ErrInvalid},
		{"bad state", `{"v":1,"type":"status","body":{"state":"hacked"}}`, ErrInvalid},
		{"progress beyond total", `{"v":1,"type":"status","body":{"state":"idle","bytes_done":5,"bytes_total":1}}`, ErrInvalid},
		{"control chars", `{"v":1,"type":"status","body":{"state":"idle","last_error":"a\u0007b"}}`, ErrInvalid},
		{"report without error", `{"v":1,"type":"report","body":{"generation":2,"outcome":"rejected"}}`, ErrInvalid},
		{"bad error kind", `{"v":1,"type":"status","body":{"state":"failed","error_kind":"Lỗi"}}`, ErrInvalid},
		{"bad shown generation", `{"v":1,"type":"status","body":{"state":"idle","shown_generation":-2}}`, ErrInvalid},
		{"bad bye", `{"v":1,"type":"bye","body":{"reason":"because"}}`, ErrInvalid},
		{"oversized", `{"v":1,"type":"status","body":{"state":"idle","last_error":"` + strings.Repeat("x", MaxMessageSize) + `"}}`, ErrTooLarge},
		{"invalid utf8", "{\"v\":1,\"type\":\"status\",\"body\":{\"state\":\"idle\",\"last_error\":\"\xff\"}}", ErrInvalid},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Decode([]byte(c.frame))
			if c.want == nil {
				// A null body decodes to the zero value, which must still validate on its own terms.
				return
			}
			if !errors.Is(err, c.want) {
				t.Fatalf("Decode(%.80s) = %v, want %v", c.frame, err, c.want)
			}
		})
	}
}

func TestEncodeRefusesInvalid(t *testing.T) {
	if _, err := Encode(&Report{Generation: 1, Outcome: "maybe"}); err == nil {
		t.Fatal("encoded an invalid report")
	}
	if _, err := Encode(struct{}{}); !errors.Is(err, ErrType) {
		t.Fatalf("encoded an unknown type: %v", err)
	}
}

// FuzzDecode checks that no input crashes the decoder and that whatever it
// accepts encodes again to a frame it accepts.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		`{"v":1,"type":"ack","body":{"generation":1}}`,
		`{"v":1,"type":"status","body":{"generation":3,"state":"idle","app_version":"1.0"}}`,
		`{"v":1,"type":"report","body":{"generation":2,"outcome":"rejected","error":"bad signature"}}`,
		`{"v":1,"type":"welcome","body":{"device_id":"k1","heartbeat_seconds":30,"poll_seconds":900}}`,
		`{"v":1,"type":"announce","body":{"generation":9}}`,
		`{"v":1,"type":"bye","body":{"reason":"revoked"}}`,
		`{"v":1,"type":"ack","body":{"generation":1e400}}`,
		`{"v":1,"type":"ack","body":{"generation":012}}`,
		`{"v":1,"type":"ack","body":{"generation":9007199254740993}}`,
		`[]`, `null`, ``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, frame []byte) {
		if gen, ok := canonicalAck(frame); ok {
			// The fast path must agree with the strict decoder, byte for byte.
			var env envelope
			var ack Ack
			if strictjson.Unmarshal(frame, &env) != nil || env.V != Version || env.Type != TypeAck ||
				strictjson.Unmarshal(env.Body, &ack) != nil || ack.Generation != gen || validate(&ack) != nil {
				t.Fatalf("fast path accepted %q as ack %d; the strict decoder does not", frame, gen)
			}
			if string(MustEncode(&Ack{Generation: gen})) != string(frame) {
				t.Fatalf("fast path accepted %q, which Encode never writes", frame)
			}
		}
		m, err := Decode(frame)
		if err != nil {
			return
		}
		again, err := Encode(m.Body)
		if err != nil {
			t.Fatalf("accepted %q but cannot re-encode it: %v", frame, err)
		}
		if _, err := Decode(again); err != nil {
			t.Fatalf("re-encoded %q is rejected: %v", again, err)
		}
	})
}

// TestGenerationRange: one range, 1..2^53-1, on every message in both
// directions; out of range is an error from Encode (never a panic) and from
// Decode, including the acks' fast path.
func TestGenerationRange(t *testing.T) {
	for _, c := range []struct {
		gen int64
		ok  bool
	}{{0, false}, {-1, false}, {1, true}, {2, true}, {MaxGeneration, true}, {MaxGeneration + 1, false}, {1 << 62, false}} {
		if err := CheckGeneration(c.gen); (err == nil) != c.ok || (err != nil && !errors.Is(err, ErrGeneration)) {
			t.Errorf("CheckGeneration(%d) = %v, want ok=%v", c.gen, err, c.ok)
		}
	}
	over := int64(MaxGeneration + 1)
	for _, body := range []any{&Announce{Generation: over}, &Ack{Generation: over},
		&Report{Generation: over, Outcome: OutcomeFailed, Error: "x"},
		&Status{Generation: over, State: StateIdle}, &Status{TargetGeneration: over, State: StateIdle},
		&Welcome{DeviceID: "k1", HeartbeatSeconds: 30, PollSeconds: 900, TargetGeneration: over}} {
		if _, err := Encode(body); !errors.Is(err, ErrInvalid) {
			t.Errorf("Encode(%+v) = %v, want ErrInvalid", body, err)
		}
	}
	for _, frame := range []string{
		`{"v":1,"type":"announce","body":{"generation":9007199254740992}}`,
		`{"v":1,"type":"ack","body":{"generation":9007199254740992}}`,
		`{"v":1,"type":"welcome","body":{"device_id":"k1","heartbeat_seconds":30,"poll_seconds":900,"target_generation":9223372036854775807}}`,
	} {
		if _, err := Decode([]byte(frame)); !errors.Is(err, ErrInvalid) {
			t.Errorf("Decode(%s) = %v, want ErrInvalid", frame, err)
		}
	}
	if _, err := Decode([]byte(`{"v":1,"type":"announce","body":{"generation":9007199254740991}}`)); err != nil {
		t.Errorf("the top of the range is refused: %v", err)
	}
}

func TestDecodeRefusesDuplicateKeys(t *testing.T) {
	for _, frame := range []string{
		`{"v":1,"type":"announce","body":{"generation":5,"generation":6}}`,
		`{"v":1,"type":"announce","type":"bye","body":{"generation":5}}`,
	} {
		if _, err := Decode([]byte(frame)); !errors.Is(err, ErrInvalid) {
			t.Errorf("Decode(%s) = %v, want ErrInvalid", frame, err)
		}
	}
}

// TestCleanText: whatever a peer's error says, a report carrying it encodes.
func TestCleanText(t *testing.T) {
	hostile := "bad\x00\x07\r\x1b[31m\xff" + strings.Repeat("ê", 400)
	if _, err := Encode(&Report{Generation: 2, Outcome: OutcomeFailed, Error: hostile}); err == nil {
		t.Fatal("the raw text should not encode (else this test proves nothing)")
	}
	if _, err := Encode(&Report{Generation: 2, Outcome: OutcomeFailed, Error: CleanText(hostile)}); err != nil {
		t.Fatalf("cleaned text does not encode: %v", err)
	}
}

func TestSoundValidate(t *testing.T) {
	for _, s := range []Sound{{}, {Off: SoundFroze, Since: 1796453000}, {Off: SoundStaff, Since: 1}} {
		if err := s.Validate(); err != nil {
			t.Errorf("%+v: %v", s, err)
		}
	}
	for _, s := range []Sound{{Off: "broken"}, {Off: "FROZE", Since: 1796453000}, {Since: 1796453000},
		{Off: SoundFroze}, {Off: SoundStaff, Since: -5}, {Off: SoundFroze, Since: 1 << 62}} {
		if err := s.Validate(); !errors.Is(err, ErrInvalid) {
			t.Errorf("%+v accepted (%v)", s, err)
		}
	}
}

func TestValidateIncidents(t *testing.T) {
	ok := [][]Incident{
		{{At: 1796453000, Kind: IncidentFroze}},
		{{At: 1, Kind: IncidentStuck}, {At: 1796453000, Kind: IncidentCrashed}, {At: 1796453001, Kind: IncidentMemory}},
		make([]Incident, MaxIncidents),
	}
	for i := range ok[2] {
		ok[2][i] = Incident{At: 1796453000 + int64(i), Kind: IncidentFroze}
	}
	for _, b := range ok {
		if err := ValidateIncidents(b); err != nil {
			t.Errorf("%v: %v", b, err)
		}
	}
	tooMany := append(slices.Clone(ok[2]), Incident{At: 1796453000, Kind: IncidentFroze})
	for _, b := range [][]Incident{nil, {}, tooMany, {{At: 1796453000, Kind: "FROZE"}}, {{At: 1796453000}},
		{{Kind: IncidentFroze}}, {{At: -1, Kind: IncidentFroze}}, {{At: 1 << 62, Kind: IncidentCrashed}}} {
		if err := ValidateIncidents(b); !errors.Is(err, ErrInvalid) {
			t.Errorf("%.80v: err = %v, want ErrInvalid", b, err)
		}
	}
}

// TestStatusForOlderHubs: a status without a shown generation or an error
// kind is the very frame a hub from before them decodes (it refuses any
// field it does not know).
func TestStatusForOlderHubs(t *testing.T) {
	raw, err := Encode(&Status{Generation: 3, State: StateFailed, LastError: "x"})
	if err != nil {
		t.Fatal(err)
	}
	for _, field := range []string{"shown_generation", "error_kind"} {
		if strings.Contains(string(raw), field) {
			t.Errorf("%s is in %s", field, raw)
		}
	}
	for _, c := range []struct {
		header string
		want   bool
	}{{"", false}, {"status-shown", true}, {"other status-shown", true}, {"status-shownx", false}} {
		if got := HasFeature(c.header, FeatureStatusShown); got != c.want {
			t.Errorf("HasFeature(%q) = %v", c.header, got)
		}
	}
}

// TestPinnedKeys: a status names 1..MaxPinnedKeys key ids, ascending, or
// none at all (the kiosk did not say: the field is left out, so a hub from
// before it decodes the frame).
func TestPinnedKeys(t *testing.T) {
	var many []string
	for i := range MaxPinnedKeys + 1 {
		many = append(many, fmt.Sprintf("%016x", i))
	}
	for _, keys := range [][]string{nil, {"0123456789abcdef"}, {"0000000000000000", "ffffffffffffffff"}, many[:MaxPinnedKeys]} {
		raw, err := Encode(&Status{State: StateIdle, PinnedKeys: keys})
		if err != nil {
			t.Errorf("%v: %v", keys, err)
			continue
		}
		if keys == nil && strings.Contains(string(raw), "pinned_keys") {
			t.Errorf("no keys, yet the frame names them: %s", raw)
		}
		if _, err := Decode(raw); err != nil {
			t.Errorf("%v: %v", keys, err)
		}
	}
	for _, keys := range [][]string{{}, many, {"0123456789ABCDEF"}, {"0123456789abcde"}, {"0123456789abcdef0"},
		{"0123456789abcdeg"}, {"ffffffffffffffff", "0000000000000000"}, {"0123456789abcdef", "0123456789abcdef"}} {
		if _, err := Encode(&Status{State: StateIdle, PinnedKeys: keys}); !errors.Is(err, ErrInvalid) {
			t.Errorf("%.60v: err = %v, want ErrInvalid", keys, err)
		}
	}
	if !HasFeature("status-shown pinned-keys", FeaturePinnedKeys) || HasFeature("status-shown", FeaturePinnedKeys) {
		t.Error("HasFeature misreads pinned-keys")
	}
}
