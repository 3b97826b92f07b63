package hubproto

import (
	"errors"
	"strings"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	bodies := []any{
		&Status{Generation: 3, TargetGeneration: 4, AppVersion: "0.3.1", State: StateDownloading, BytesDone: 10, BytesTotal: 20, FreeDisk: 1 << 30},
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
			if strictUnmarshal(frame, &env) != nil || env.V != Version || env.Type != TypeAck ||
				strictUnmarshal(env.Body, &ack) != nil || ack.Generation != gen || validate(&ack) != nil {
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
