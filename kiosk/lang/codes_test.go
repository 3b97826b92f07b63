package lang

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in, want, err string
	}{
		{"", "vi", ""},
		{"vi", "vi", ""},
		{"en", "en", ""},
		{"rad", "rad", ""},
		{"mng", "mng", ""},
		{"fr", "", `must be one of vi, en, rad, mng, not "fr"`},
		{"VI", "", `not "VI"`}, // codes are lower case; no silent folding
		{" vi", "", `not " vi"`},
		{strings.Repeat("x", 40), "", `not "xxxxxxxxxxxxxxxx…"`},
	}
	for _, tc := range tests {
		got, err := Parse(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("Parse(%q) error = %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("Parse(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}
