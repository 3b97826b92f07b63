package content

import (
	"strings"
	"testing"
)

// FuzzProcedureFlow puts random flow definitions into a procedure and runs
// the pack validator and, when the pack loads, the tailoring engine with
// random answers: neither may panic or hang, and a pack that loads always
// gives an ending or a next question. The seeds run under plain `go test`.
func FuzzProcedureFlow(f *testing.F) {
	const head = "flow:\n  id: khai-sinh\n  start: age\n  questions:\n"
	f.Add(head+"    - {id: age, text: T, answers: [{id: a, text: A, tags: [on_time, late, exempt], case: giay-chung-sinh}, {id: b, text: B, case: lam-chung}, {id: c, text: C, case: cam-doan}]}\n", "age=a")
	f.Add(head+"    - {id: age, text: T, answers: [{id: a, text: A, next: age}]}\n", "age=a")
	f.Add(head+"    - {id: age, text: T}\n", "")
	f.Add(head+"    - {id: age, answers: [{id: a, next: x, case: y, procedure: z, ask_staff: true}]}\n", "age=a;x=b")
	f.Add("flow: [1, 2]\n", "")
	f.Add("flow:\n  id: \"\"\n", "q=")
	f.Fuzz(func(t *testing.T, flowSrc, answers string) {
		if strings.Contains(flowSrc, "\t") {
			return // YAML forbids tabs in indentation; nothing to learn
		}
		fsys := brokenPack(t, flowSrc)
		p, probs := load(fsys)
		if len(probs) > 0 {
			for _, pr := range probs {
				if pr.File == "" || pr.Message == "" {
					t.Fatalf("a problem without file or message: %+v", pr)
				}
			}
			return
		}
		birth := p.Procedure("1.001193")
		tl, err := birth.Tailor(fuzzAnswers(answers))
		if err == nil && !tl.AskStaff && tl.Case == nil {
			t.Fatalf("a result with no case and no fail-closed: %+v", tl)
		}
		if err == ErrIncomplete && birth.Flow.Question(tl.Walk.Next) == nil {
			t.Fatalf("incomplete at unknown question %q", tl.Walk.Next)
		}
	})
}

func fuzzAnswers(s string) map[string]string {
	out := map[string]string{}
	for _, part := range strings.Split(s, ";") {
		if q, a, ok := strings.Cut(part, "="); ok {
			out[q] = a
		}
	}
	return out
}
