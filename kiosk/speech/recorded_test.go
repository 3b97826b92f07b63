package speech

import (
	"errors"
	"testing"
)

// A recording is named by its language and its text as shown: the same line
// with other spacing finds it, another language or another text does not, and
// the name never changes (packs already recorded depend on it).
func TestRecordingPath(t *testing.T) {
	want := "media/speech/vi/189b07ceb97de9ff.ogg"
	for _, c := range []struct {
		lang, text string
		same       bool
	}{
		{"vi", "Bạn muốn làm gì?", true},
		{"vi", "  Bạn muốn\n làm   gì? ", true},
		{"en", "Bạn muốn làm gì?", false},
		{"vi", "Bạn muốn làm gì", false},
	} {
		got, err := RecordingPath(c.lang, c.text)
		if err != nil {
			t.Fatal(err)
		}
		if (got == want) != c.same {
			t.Errorf("%s %q → %s; same as %s: %v, want %v", c.lang, c.text, got, want, got == want, c.same)
		}
	}
	if _, err := RecordingPath("vi", " \t"); !errors.Is(err, ErrText) {
		t.Fatalf("an empty text: %v, want ErrText", err)
	}
}
