package lang

import (
	"fmt"
	"slices"
	"strings"
)

// Known are the language codes the kiosk speaks, Vietnamese first: the
// config's languages, the content's translations, the API's ?lang= and the
// usage log all draw on this one list.
var Known = []string{"vi", "en", "rad", "mng"}

// IsKnown reports whether code is one of Known.
func IsKnown(code string) bool { return slices.Contains(Known, code) }

// KnownList is Known for a message: "vi, en, rad, mng".
func KnownList() string { return strings.Join(Known, ", ") }

// Parse is the one rule for a language code sent by a client: empty is
// Vietnamese, a known code is itself, and anything else is an error that
// lists the known codes. A typo then shows up at once instead of as
// Vietnamese text in disguise.
func Parse(code string) (string, error) {
	switch {
	case code == "":
		return "vi", nil
	case IsKnown(code):
		return code, nil
	}
	return "", fmt.Errorf("must be one of %s, not %q", KnownList(), shorten(code))
}

// shorten keeps an echoed value short: it comes from a client.
func shorten(s string) string {
	if r := []rune(s); len(r) > 16 {
		return string(r[:16]) + "…"
	}
	return s
}
