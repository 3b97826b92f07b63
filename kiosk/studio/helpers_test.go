package studio

import (
	"io/fs"
	"strings"
	"testing"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"tramso/kiosk/content"
)

// starter decodes a file of the embedded starter content afresh, so each
// test case mutates its own copy of real content.
func starter[T any](t *testing.T, name string) *T {
	t.Helper()
	data, err := fs.ReadFile(content.Starter(), name)
	if err != nil {
		t.Fatal(err)
	}
	var v T
	if err := yaml.Unmarshal(data, &v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return &v
}

func procedure(t *testing.T, slug string) *content.Procedure {
	return starter[content.Procedure](t, "procedures/"+slug+".yaml")
}

func lifeEvent(t *testing.T, id string) *content.LifeEvent {
	t.Helper()
	a := starter[content.Assistant](t, "life-events.yaml")
	for i := range a.LifeEvents {
		if a.LifeEvents[i].ID == id {
			return &a.LifeEvents[i]
		}
	}
	t.Fatalf("no life event %q in the starter", id)
	return nil
}

func lesson(t *testing.T, id string) *content.Tutorial {
	return starter[content.Tutorial](t, "tutorials/"+id+".yaml")
}

// change is a change as a test states it: its line and whether it is a fact.
type change struct {
	line string
	fact bool
}

// checkChanges compares changes with want, line by line and in order, and
// checks that every change is named by the catalogue.
func checkChanges(t *testing.T, got []Change, want []change) {
	t.Helper()
	for _, c := range got {
		if _, ok := catalogue[c.Field]; !ok {
			t.Errorf("field %q of %q is not in the catalogue", c.Field, c.Key)
		}
	}
	var lines []string
	for _, c := range got {
		lines = append(lines, c.String())
	}
	if len(got) != len(want) {
		t.Fatalf("%d changes, want %d:\n%s", len(got), len(want), strings.Join(lines, "\n"))
	}
	for i, w := range want {
		if got[i].String() != w.line || got[i].Fact != w.fact {
			t.Errorf("change %d:\n got %s (fact %v, key %s)\nwant %s (fact %v)", i, got[i], got[i].Fact, got[i].Key, w.line, w.fact)
		}
	}
}

// A long quoted value is cut inside its quotes: the reader still sees where
// the old value ends and the new one begins.
func TestClipKeepsTheClosingQuote(t *testing.T) {
	long := `"` + strings.Repeat("Rất dài. ", 30) + `"`
	got := clip(long)
	if !strings.HasPrefix(got, `"Rất dài.`) || !strings.HasSuffix(got, `…"`) || utf8.RuneCountInString(got) != maxShown {
		t.Errorf("clip = %q (%d letters)", got, utf8.RuneCountInString(got))
	}
	if got := clip(strings.Repeat("x", 200)); !strings.HasSuffix(got, "x…") {
		t.Errorf("an unquoted value: %q", got)
	}
}

// lateFee is the birth registration's fee rule for a late filing alone.
func lateFee(t *testing.T, p *content.Procedure) *content.Fee {
	t.Helper()
	f := p.FeeRule("late")
	if f == nil {
		t.Fatal("no fee rule for [late]")
	}
	return f
}
