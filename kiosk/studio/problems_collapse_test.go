package studio

import (
	"fmt"
	"strings"
	"testing"

	"tramso/kiosk/content"
)

// A long paste gave one line per long sentence of one field (outside QA:
// 40 lines of "một câu (tiếng Việt) có 23 chữ…"): Collapse makes them one
// line with the count and an example, and leaves other fields and rules be.
func TestCollapseSaysRepeatsOnce(t *testing.T) {
	long := func(field string, n int) content.Problem {
		sentence := strings.TrimSpace(strings.Repeat("chữ ", 22+n))
		return content.Problem{File: "tutorials/a.yaml", Field: field,
			Message: fmt.Sprintf("lesson a: step 2: %s sentence has %d words, more than %d: %q", "vi", 22+n, 22, sentence)}
	}
	var probs content.Problems
	for i := 1; i <= 40; i++ {
		probs = append(probs, long("steps[2].text.vi", i))
	}
	probs = append(probs, long("steps[3].text.vi", 1),
		content.Problem{File: "tutorials/a.yaml", Field: "steps[2].text.vi", Message: "lesson a: step 2: vi text is 900 characters; keep it to at most 260 (one action, short sentences)"})
	got := Collapse(probs)
	if len(got) != 3 {
		t.Fatalf("%d problems, want 3: %v", len(got), got)
	}
	said := ProblemText(got[0].Message)
	if want := `Bài a: bước 2: 40 câu (tiếng Việt) dài hơn 22 chữ, ví dụ: "chữ chữ`; got[0].Field != "steps[2].text.vi" || !strings.HasPrefix(said, want) || !strings.HasSuffix(said, `" (23 chữ)`) {
		t.Errorf("40 long sentences are said %q, want %q…", said, want)
	}
	if said := ProblemText(got[1].Message); !strings.HasPrefix(said, "Bài a: bước 2: một câu (tiếng Việt) có 23 chữ") {
		t.Errorf("one long sentence of another field is said %q", said)
	}
	if got[2].Message != probs[41].Message {
		t.Errorf("another rule of the field: %q", got[2].Message)
	}
	// A repeated rule without words of its own for many is counted.
	twice := Collapse(content.Problems{{File: "x.yaml", Message: "is required"}, {File: "x.yaml", Message: "is required"}})
	if said := ProblemText(twice[0].Message); len(twice) != 1 || said != "2 lần: không được để trống" {
		t.Errorf("twice %q: %q", twice, said)
	}
}
