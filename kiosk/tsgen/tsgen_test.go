package tsgen

import (
	"strings"
	"testing"
	"time"
)

type kind string

type inner struct {
	N int `json:"n"`
}

type head struct {
	ID string `json:"id"`
}

type outer struct {
	head
	Name     string           `json:"name"`
	Note     string           `json:"note,omitempty"`
	At       time.Time        `json:"at,omitzero"`
	Kind     kind             `json:"kind"`
	Tags     []string         `json:"tags"`
	Inner    inner            `json:"inner"`
	Maybe    *inner           `json:"maybe"`
	Optional *inner           `json:"optional,omitempty"`
	Byname   map[string]int   `json:"byname"`
	Anon     struct{ X bool } `json:"anon"`
	Any      any              `json:"any"`
	Override string           `json:"override"`
	Hidden   string           `json:"-"`
	Untagged int
	Lists    [][]*inner        `json:"lists"`
	ByKind   map[kind][]string `json:"by_kind"`
}

func TestInterface(t *testing.T) {
	f := New("generated\nline two")
	f.Union("Kind", kind(""), "a", "b'c")
	f.Name(outer{}, "Outer")
	f.Name(head{}, "Head")
	f.Name(inner{}, "Inner")
	f.Field(outer{}, "Override", "'x' | 'y'")
	f.Interface(outer{})
	got, err := f.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	want := `// generated
// line two

export type Kind = 'a' | 'b\'c';

/** Go: tsgen.outer */
export interface Outer extends Head {
  name: string;
  note?: string;
  at?: string;
  kind: Kind;
  tags: string[];
  inner: Inner;
  maybe: Inner | null;
  optional?: Inner;
  byname: Record<string, number>;
  anon: { X: boolean };
  any: unknown;
  override: 'x' | 'y';
  Untagged: number;
  lists: (Inner | null)[][];
  by_kind: Partial<Record<Kind, string[]>>;
}

/** Go: tsgen.head */
export interface Head {
  id: string;
}

/** Go: tsgen.inner */
export interface Inner {
  n: number;
}
`
	if string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestVariants(t *testing.T) {
	type event struct {
		Type   string `json:"type"`
		Screen string `json:"screen,omitempty"`
		Step   int    `json:"step,omitempty"`
	}
	f := New("h")
	f.Field(event{}, "Screen", "Screen")
	f.Variants("Event", event{}, "type", []Variant{{Tag: "ended"}, {Tag: "viewed", Required: []string{"screen"}, Optional: []string{"step"}}})
	got, err := f.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if want := "export type Event =\n  | { type: 'ended' }\n  | { type: 'viewed'; screen: Screen; step?: number };\n"; !strings.Contains(string(got), want) {
		t.Errorf("got\n%s\nwant it to hold\n%s", got, want)
	}
}

// What cannot be rendered faithfully is an error, never a guess.
func TestErrors(t *testing.T) {
	type clash struct {
		A head  `json:"a"`
		B inner `json:"b"`
	}
	type unexportedName struct {
		In inner `json:"in"`
	}
	type numberKeys struct {
		M map[int]string `json:"m"`
	}
	type bytes struct {
		B []byte `json:"b"`
	}
	type event struct {
		Type string `json:"type"`
	}
	tests := []struct {
		name string
		make func(f *File)
		want string
	}{
		{"two types, one name", func(f *File) { f.Name(head{}, "Same"); f.Name(inner{}, "Same"); f.Interface(clash{}) }, "both named Same"},
		{"an unexported type without a Name", func(f *File) { f.Name(unexportedName{}, "U"); f.Interface(unexportedName{}) }, "unexported: give it a Name"},
		{"a map with number keys", func(f *File) { f.Name(numberKeys{}, "N"); f.Interface(numberKeys{}) }, "no TypeScript for Go type map[int]string"},
		{"a byte slice", func(f *File) { f.Name(bytes{}, "B"); f.Interface(bytes{}) }, "no TypeScript for Go type []uint8"},
		{"a field that does not exist", func(f *File) { f.Field(head{}, "Nope", "string") }, "has no field Nope"},
		{"an empty union", func(f *File) { f.Union("U", nil) }, "union U has no values"},
		{"a variant field that does not exist", func(f *File) {
			f.Variants("E", event{}, "type", []Variant{{Tag: "x", Required: []string{"screen"}}})
		}, `has no field "screen"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := New("h")
			tc.make(f)
			_, err := f.Bytes()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one saying %q", err, tc.want)
			}
		})
	}
}

func TestValues(t *testing.T) {
	f := New("generated")
	f.Union("Lang", nil, "vi", "en")
	f.Values("LANGS", "Lang", "vi", "en")
	got, err := f.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	want := "// generated\n\nexport type Lang = 'vi' | 'en';\n\nexport const LANGS: readonly Lang[] = ['vi', 'en'];\n"
	if string(got) != want {
		t.Fatalf("got:\n%s\nwant:\n%s", got, want)
	}
}
