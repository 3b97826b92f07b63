package strictjson

import (
	"errors"
	"testing"
)

type inner struct {
	Path string `json:"path"`
	Size int64  `json:"size"`
}

type doc struct {
	Generation int64   `json:"generation"`
	Files      []inner `json:"files"`
	Meta       struct {
		Title string `json:"title"`
	} `json:"meta"`
}

func TestUnmarshal(t *testing.T) {
	cases := []struct {
		name, in string
		dup      bool // must fail with ErrDuplicateKey
		ok       bool
	}{
		{"plain", `{"generation":2,"files":[{"path":"a","size":1}],"meta":{"title":"x"}}`, false, true},
		{"top duplicate", `{"generation":2,"generation":3}`, true, false},
		{"case-folded duplicate", `{"generation":2,"Generation":3}`, true, false},
		{"upper-case duplicate in array element", `{"meta":{"title":"a"},"files":[{"path":"a","size":1,"SIZE":2}]}`, true, false},
		{"duplicate in array element", `{"files":[{"path":"a"},{"path":"b","path":"c"}]}`, true, false},
		{"duplicate in nested object", `{"meta":{"title":"a","title":"b"}}`, true, false},
		{"same key in sibling objects is fine", `{"files":[{"path":"a"},{"path":"b"}]}`, false, true},
		{"unknown field", `{"generation":2,"cmd":"rm"}`, false, false},
		{"trailing data", `{"generation":2} {}`, false, false},
		{"invalid utf8", "{\"meta\":{\"title\":\"\xff\"}}", false, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var d doc
			err := Unmarshal([]byte(c.in), &d)
			if c.ok != (err == nil) {
				t.Fatalf("err = %v, want ok=%v", err, c.ok)
			}
			if c.dup != errors.Is(err, ErrDuplicateKey) {
				t.Fatalf("err = %v, want duplicate=%v", err, c.dup)
			}
		})
	}
}

func FuzzCheckDuplicates(f *testing.F) {
	f.Add(`{"a":1,"b":[{"c":2}]}`)
	f.Add(`{"a":1,"A":2}`)
	f.Fuzz(func(t *testing.T, s string) {
		_ = CheckDuplicates([]byte(s)) // must not panic or hang
	})
}
