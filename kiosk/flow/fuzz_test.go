package flow

import (
	"testing"

	"gopkg.in/yaml.v3"
)

// FuzzFlow feeds random flow definitions to the linter, the engine and the
// diagrams: none may panic, and Walk must return (the engine never loops).
// The seeds run under plain `go test`.
func FuzzFlow(f *testing.F) {
	f.Add(good, "age=late;exempt=yes;paper=none")
	f.Add("id: x\nstart: a\nquestions:\n  - {id: a, text: A, answers: [{id: x, text: X, next: a}]}\n", "a=x")
	f.Add("id: x\nstart: b\nquestions:\n  - {id: a, text: A}\n", "")
	f.Add("questions: [{id: a, answers: [{id: '', next: ''}]}]", "a=")
	f.Add("id: [1, 2]", "")
	f.Add("start: a\nquestions:\n  - {id: a, text: A, answers: [{id: x, next: b, case: c, ask_staff: true}]}\n  - {id: a, text: B, answers: [{id: y, next: a}]}\n", "a=x;a=y")
	f.Fuzz(func(t *testing.T, src, answers string) {
		var fl Flow
		if err := yaml.Unmarshal([]byte(src), &fl); err != nil {
			return
		}
		probs := Lint(&fl, Targets{Cases: map[string]bool{"c": true}})
		given := parseAnswers(answers)
		r, err := fl.Walk(given)
		if len(probs) == 0 && err == nil && !r.Done && fl.Question(r.Next) == nil {
			t.Fatalf("lint-clean flow stopped at unknown question %q", r.Next)
		}
		if len(probs) == 0 {
			// A clean flow always ends: answering the first answer every time
			// must reach an end within len(questions) steps.
			all := map[string]string{}
			for _, q := range fl.Questions {
				all[q.ID] = q.Answers[0].ID
			}
			r, err := fl.Walk(all)
			if err != nil || !r.Done {
				t.Fatalf("lint-clean flow did not end: %+v %v", r, err)
			}
		}
		for _, format := range []string{"mermaid", "dot"} {
			if _, err := Diagram(&fl, format); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// parseAnswers reads "q=a;q2=a2".
func parseAnswers(s string) map[string]string {
	out := map[string]string{}
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ';' {
			part := s[start:i]
			for j := 0; j < len(part); j++ {
				if part[j] == '=' {
					out[part[:j]] = part[j+1:]
					break
				}
			}
			start = i + 1
		}
	}
	return out
}
