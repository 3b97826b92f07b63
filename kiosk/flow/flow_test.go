package flow

import (
	"errors"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// good is a small birth-registration-like flow used across the tests.
const good = `
id: birth
start: age
questions:
  - id: age
    text: {vi: "Bé sinh được bao lâu rồi?", en: "How old is the baby?"}
    answers:
      - {id: on_time, text: "Chưa quá 60 ngày", tags: [on_time], next: exempt}
      - {id: late, text: "Đã quá 60 ngày", tags: [late], next: exempt}
  - id: exempt
    text: "Gia đình có thuộc hộ nghèo, người khuyết tật, gia đình có công không?"
    answers:
      - {id: "yes", text: "Có", tags: [exempt], next: paper}
      - {id: "no", text: "Không", next: paper}
  - id: paper
    text: "Có Giấy chứng sinh không?"
    answers:
      - {id: cert, text: "Có", case: with_cert}
      - {id: none, text: "Không", case: no_cert}
      - {id: unsure, text: "Không rõ", ask_staff: true}
`

func parse(t testing.TB, src string) *Flow {
	t.Helper()
	var f Flow
	if err := yaml.Unmarshal([]byte(src), &f); err != nil {
		t.Fatalf("parse flow: %v", err)
	}
	return &f
}

func TestWalk(t *testing.T) {
	f := parse(t, good)
	tests := []struct {
		name     string
		answers  map[string]string
		wantErr  error
		done     bool
		next     string
		wantCase string
		staff    bool
		tags     []string
	}{
		{name: "nothing answered", answers: nil, next: "age"},
		{name: "half way", answers: map[string]string{"age": "late"}, next: "exempt", tags: []string{"late"}},
		{name: "on time with cert", answers: map[string]string{"age": "on_time", "exempt": "no", "paper": "cert"}, done: true, wantCase: "with_cert", tags: []string{"on_time"}},
		{name: "late exempt", answers: map[string]string{"age": "late", "exempt": "yes", "paper": "none"}, done: true, wantCase: "no_cert", tags: []string{"exempt", "late"}},
		{name: "ask staff", answers: map[string]string{"age": "late", "exempt": "no", "paper": "unsure"}, done: true, staff: true, tags: []string{"late"}},
		{name: "answers off the path are ignored", answers: map[string]string{"age": "late", "exempt": "no", "paper": "cert", "ghost": "x"}, done: true, wantCase: "with_cert", tags: []string{"late"}},
		{name: "unknown answer", answers: map[string]string{"age": "tomorrow"}, wantErr: ErrUnknownAnswer},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := f.Walk(tc.answers)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("err = %v, want %v", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if r.Done != tc.done || r.Next != tc.next || r.Case != tc.wantCase || r.AskStaff != tc.staff {
				t.Fatalf("got %+v", r)
			}
			if strings.Join(r.Tags, ",") != strings.Join(tc.tags, ",") {
				t.Fatalf("tags = %v, want %v", r.Tags, tc.tags)
			}
		})
	}
}

// A question copied onto another branch (same_as) takes the answer given on
// the first branch: changing "late" to "on time" does not ask the parents
// again; the copy's own answer, once given, wins.
func TestWalkSameAs(t *testing.T) {
	f := parse(t, `
id: twins
start: age
questions:
  - id: age
    text: Tuổi
    answers:
      - {id: on_time, text: Đúng hạn, next: parents}
      - {id: late, text: Quá hạn, tags: [late], next: parents-late}
  - id: parents
    text: Cha mẹ kết hôn chưa?
    same_as: parents-late
    answers:
      - {id: married, text: Rồi, case: a}
      - {id: father, text: Chưa, tags: [nhan_cha], case: b}
  - id: parents-late
    text: Cha mẹ kết hôn chưa?
    same_as: parents
    answers:
      - {id: married, text: Rồi, case: c}
      - {id: father, text: Chưa, tags: [nhan_cha], case: d}
`)
	for _, tc := range []struct {
		answers map[string]string
		want    string
	}{
		{map[string]string{"age": "on_time", "parents-late": "father"}, "b"},
		{map[string]string{"age": "late", "parents": "married"}, "c"},
		{map[string]string{"age": "late", "parents": "married", "parents-late": "father"}, "d"},
	} {
		r, err := f.Walk(tc.answers)
		if err != nil || !r.Done || r.Case != tc.want {
			t.Errorf("%v: %+v %v, want case %s", tc.answers, r, err, tc.want)
		}
	}
	if r, _ := f.Walk(map[string]string{"age": "late"}); r.Next != "parents-late" {
		t.Errorf("nothing to take: %+v", r)
	}
	if probs := Lint(f, Targets{}); len(probs) != 0 {
		t.Errorf("lint: %v", probs)
	}
}

func TestWalkNeverLoops(t *testing.T) {
	f := parse(t, `
id: loop
start: a
questions:
  - {id: a, text: A, answers: [{id: x, text: X, next: b}]}
  - {id: b, text: B, answers: [{id: y, text: Y, next: a}]}
`)
	_, err := f.Walk(map[string]string{"a": "x", "b": "y"})
	if !errors.Is(err, ErrCycle) {
		t.Fatalf("err = %v, want ErrCycle", err)
	}
}

func TestLint(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string // substrings, each must appear in some problem "field: message"
	}{
		{name: "good flow", src: good},
		{
			name: "same_as naming nothing, itself, or other answers",
			src: `
id: copies
start: a
questions:
  - {id: a, text: A, same_as: ghost, answers: [{id: x, text: X, next: b}]}
  - {id: b, text: B, same_as: b, answers: [{id: x, text: X, next: c}]}
  - {id: c, text: C, same_as: a, answers: [{id: y, text: Y, case: c1}]}
`,
			want: []string{
				`questions[a].same_as: flow "copies": question "a" is the same as "ghost", which does not exist`,
				`questions[b].same_as: flow "copies": question "b" is the same as itself`,
				`questions[c].same_as: flow "copies": question "c" is the same as "a", but their answers differ`,
			},
		},
		{
			name: "dead end",
			src: `
id: dead
start: a
questions:
  - {id: a, text: A, answers: [{id: x, text: X, next: b}]}
  - {id: b, text: B}
`,
			want: []string{`questions[b].answers: flow "dead": question "b" is a dead end`},
		},
		{
			name: "unreachable question",
			src: `
id: lonely
start: a
questions:
  - {id: a, text: A, answers: [{id: x, text: X, case: c1}]}
  - {id: orphan, text: O, answers: [{id: y, text: Y, case: c1}]}
`,
			want: []string{`questions[orphan]: flow "lonely": question "orphan" is unreachable`},
		},
		{
			name: "cycle",
			src: `
id: circle
start: a
questions:
  - {id: a, text: A, answers: [{id: x, text: X, next: b}]}
  - {id: b, text: B, answers: [{id: y, text: Y, next: c}, {id: z, text: Z, case: c1}]}
  - {id: c, text: C, answers: [{id: w, text: W, next: a}]}
`,
			want: []string{`questions[c].answers[w].next: flow "circle": answer "w" of question "c" makes a cycle: a → b → c → a`},
		},
		{
			name: "answer leading nowhere",
			src: `
id: lost
start: a
questions:
  - {id: a, text: A, answers: [{id: x, text: X}, {id: y, text: Y, next: missing}, {id: z, text: Z, case: nope}]}
`,
			want: []string{
				`questions[a].answers[x]: flow "lost": answer "x" of question "a" leads nowhere`,
				`questions[a].answers[y].next: flow "lost": answer "y" of question "a" leads nowhere: question "missing" does not exist`,
				`questions[a].answers[z].case: flow "lost": answer "z" of question "a" leads nowhere: case "nope" does not exist`,
			},
		},
		{
			name: "two destinations",
			src: `
id: torn
start: a
questions:
  - {id: a, text: A, answers: [{id: x, text: X, next: a, case: c1}]}
`,
			want: []string{`answer "x" of question "a" leads to 2 places`},
		},
		{
			name: "missing start and ids",
			src: `
id: bare
start: nope
questions:
  - {text: A, answers: [{id: x, text: X, case: c1}]}
  - {id: b, text: "", answers: [{id: x, text: X, case: c1}, {id: x, text: X, case: c1}]}
`,
			want: []string{`start: flow "bare": start question "nope" does not exist`, `question 1 has no id`, `question "b" has no Vietnamese text`, `question "b" has answer "x" twice`},
		},
	}
	targets := Targets{Cases: map[string]bool{"c1": true, "with_cert": true, "no_cert": true}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			probs := Lint(parse(t, tc.src), targets)
			var all []string
			for _, p := range probs {
				all = append(all, p.String())
			}
			if len(tc.want) == 0 && len(probs) > 0 {
				t.Fatalf("unexpected problems:\n%s", strings.Join(all, "\n"))
			}
			for _, w := range tc.want {
				found := false
				for _, s := range all {
					found = found || strings.Contains(s, w)
				}
				if !found {
					t.Errorf("no problem contains %q; got:\n%s", w, strings.Join(all, "\n"))
				}
			}
		})
	}
}

func TestDiagram(t *testing.T) {
	f := parse(t, good)
	tests := []struct {
		format string
		want   []string
	}{
		{"mermaid", []string{"flowchart TD", `-- "Đã quá 60 ngày [late]" -->`, `(["Trường hợp: with_cert"])`, `(["Hỏi cán bộ"])`}},
		{"dot", []string{`digraph "flow birth" {`, `[label="Đã quá 60 ngày [late]"]`, `label="Trường hợp: no_cert"`, "}"}},
	}
	for _, tc := range tests {
		out, err := Diagram(f, tc.format)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range tc.want {
			if !strings.Contains(out, w) {
				t.Errorf("%s diagram lacks %q:\n%s", tc.format, w, out)
			}
		}
	}
	if _, err := Diagram(f, "png"); err == nil {
		t.Error("unknown format accepted")
	}
}

func TestTextFallback(t *testing.T) {
	tx := Text{"vi": "Có", "en": "Yes"}
	if s, l := tx.In("en"); s != "Yes" || l != "en" {
		t.Errorf("en = %q %v", s, l)
	}
	if s, l := tx.In("rad"); s != "Có" || l != "vi" {
		t.Errorf("rad = %q %v", s, l)
	}
}
