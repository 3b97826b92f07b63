package content

import (
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"tramso/kiosk/flow"

	"gopkg.in/yaml.v3"
)

// khaiSinhWith is the small pack of brokenPack with khai-sinh.yaml's
// procedure edited by edit, written back as YAML.
func khaiSinhWith(t *testing.T, edit func(pr *Procedure)) fs.FS {
	t.Helper()
	orig, err := fs.ReadFile(Starter(), "procedures/khai-sinh.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var pr Procedure
	if err := yaml.Unmarshal(orig, &pr); err != nil {
		t.Fatal(err)
	}
	edit(&pr)
	body, err := yaml.Marshal(&pr)
	if err != nil {
		t.Fatal(err)
	}
	src := string(orig)
	m := brokenPack(t, src[strings.Index(src, "flow:\n"):]).(fstest.MapFS)
	m["procedures/khai-sinh.yaml"] = &fstest.MapFile{Data: body}
	return m
}

// documentProblems are the problems about documents lint finds in khai-sinh.yaml.
func documentProblems(m fs.FS) []string {
	_, probs := Inspect(m)
	var got []string
	for _, p := range probs {
		if p.File == "procedures/khai-sinh.yaml" && strings.Contains(p.Field, "documents") {
			got = append(got, p.Field+": "+p.Message)
		}
	}
	return got
}

// A procedure whose documents were all removed (each is one "Bỏ" in the
// studio) gave residents "Giấy tờ cần mang" over nothing on the result card
// and the QR (outside QA s27, finding 1): it is a content error, once.
func TestProcedureWithoutDocumentsIsAnError(t *testing.T) {
	if got := documentProblems(khaiSinhWith(t, func(*Procedure) {})); len(got) != 0 {
		t.Fatalf("the starter's khai-sinh has document problems %q", got)
	}
	m := khaiSinhWith(t, func(pr *Procedure) {
		pr.Documents = nil
		for i := range pr.Cases {
			pr.Cases[i].Documents = nil
		}
	})
	want := []string{"documents: no document is listed: residents would get an empty list of papers to bring; add at least one"}
	if got := documentProblems(m); !slices.Equal(got, want) {
		t.Fatalf("problems %q, want %q", got, want)
	}
}

// Each case a resident can reach must give at least one paper on every way
// there: a case left without its own papers, when the procedure's papers
// apply only on some answers, is named with the answers that reach it empty.
func TestEveryReachableCaseListsADocument(t *testing.T) {
	m := khaiSinhWith(t, func(pr *Procedure) {
		for i := range pr.Documents {
			pr.Documents[i].If = []string{"late"} // only for a late registration
		}
		pr.Cases[1].Documents = nil // lam-chung: "Không có Giấy chứng sinh, có người làm chứng"
	})
	got := documentProblems(m)
	if len(got) != 1 {
		t.Fatalf("problems %q, want one for the witness case", got)
	}
	const head = `cases[2].documents: case "Không có Giấy chứng sinh, có người làm chứng": no document applies after the answers "`
	if !strings.HasPrefix(got[0], head) || !strings.Contains(got[0], "Không có, nhưng có người làm chứng") ||
		!strings.HasSuffix(got[0], `": residents would get an empty list of papers to bring; add at least one`) {
		t.Fatalf("problem %q, want it to name the case and the answers reaching it", got[0])
	}
	// The same papers for every registration: the witness case has the
	// form and the ID card, and lint is content.
	m = khaiSinhWith(t, func(pr *Procedure) { pr.Cases[1].Documents = nil })
	if got := documentProblems(m); len(got) != 0 {
		t.Fatalf("problems %q for a case that has the procedure's papers", got)
	}
}

// A draft flow whose answers loop back (flow.Lint reports it) is walked in
// bounded steps: the walk once counted only the ends, and 18 questions with
// three looping answers each ran for minutes on every studio save (review
// s27).
func TestEachPathEndsOnALoopingFlow(t *testing.T) {
	f := flow.Flow{Start: "q0"}
	const n = 40
	for i := 0; i < n; i++ {
		f.Questions = append(f.Questions, flow.Question{ID: fmt.Sprint("q", i), Answers: []flow.Answer{
			{ID: "a", Next: fmt.Sprint("q", (i+1)%n)}, {ID: "b", Next: "q0"}, {ID: "c", Next: fmt.Sprint("q", (i+1)%n)}}})
	}
	ends := 0
	eachPath(&f, func(map[string]string) { ends++ }) // it once ran for hours here
	if ends != 0 {
		t.Errorf("a flow with no end gave %d ends", ends)
	}
}
