package lang

import (
	"encoding/json"
	"maps"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

func TestTextYAML(t *testing.T) {
	tests := []struct {
		name, src string
		want      Text
		err       string
	}{
		{"plain string is Vietnamese", `t: Cài VNeID`, Text{"vi": "Cài VNeID"}, ""},
		{"mapping gives languages", `t: {vi: Cài VNeID, en: Install VNeID}`, Text{"vi": "Cài VNeID", "en": "Install VNeID"}, ""},
		{"a list is not a text", "t: [a, b]", nil, "line 1: a text is a string or a mapping"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var v struct{ T Text }
			err := yaml.Unmarshal([]byte(tc.src), &v)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !maps.Equal(v.T, tc.want) {
				t.Errorf("got %v, want %v", v.T, tc.want)
			}
		})
	}
}

// The API sends texts as plain JSON objects; the type must not change that.
func TestTextJSON(t *testing.T) {
	b, err := json.Marshal(Text{"vi": "Có", "en": "Yes"})
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"en":"Yes","vi":"Có"}` {
		t.Errorf("json = %s", b)
	}
}

func TestTextIn(t *testing.T) {
	tx := Text{"vi": "Có", "en": "Yes", "rad": ""}
	tests := []struct{ lang, want, got string }{
		{"vi", "Có", "vi"},
		{"en", "Yes", "en"},
		{"rad", "Có", "vi"}, // empty translation falls back
		{"mng", "Có", "vi"},
	}
	for _, tc := range tests {
		s, got := tx.In(tc.lang)
		if s != tc.want || got != tc.got {
			t.Errorf("In(%q) = %q, %q; want %q, %q", tc.lang, s, got, tc.want, tc.got)
		}
	}
	if tx.Vi() != "Có" {
		t.Errorf("Vi() = %q", tx.Vi())
	}
}
