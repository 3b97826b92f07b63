package studio

import (
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestYAMLErrorNamesTheLineAnEditorShows parses broken files with the real
// parser: the line YAMLError names is the one with the fault, counted from
// 1 as an editor does, with Vietnamese before the parser's words. The
// parser said "line 1" of a file whose line 2 opens a { it never closes
// (outside QA, finding 13).
func TestYAMLErrorNamesTheLineAnEditorShows(t *testing.T) {
	for _, c := range []struct{ file, want string }{
		{"code: \"2.000884\"\nplain_name: {vi: \"abc\"\n  fees: [\n", "dòng 2 (dấu “{” mở mà chưa đóng bằng “}”, hoặc thiếu dấu phẩy): did not find expected ',' or '}'"},
		{"a: 1\nb: 2\nc: [1, 2\nd: 3\n", "dòng 3 (dấu “[” mở"},
		{"a:\n  b: 1\n c: 2\n", "dòng 3 (thụt đầu dòng"},
		{"a: 1\nb:\n  - x\n y: 2\n", "dòng 4 (thụt đầu dòng"},
		{"a: 1\nb: 2\n- c\n", "dòng 3 (thụt đầu dòng"},
		// Scanner errors count from 1 already.
		{"a: 1\nb: 2\n  c: 3\n", "dòng 3 (dấu hai chấm đặt sai chỗ"},
		{"a: 1\nb: 2\nc: @x\n", "dòng 3 (có ký tự không được đứng đầu"},
		{"a: 1\n\tb: 2\n", "dòng 2 (thụt đầu dòng bằng phím Tab"},
		{"a: 1\nb: 2\nc: 3\nd: 4\ne: [1, 2}\n", "dòng 5 (dấu “[” mở"},
	} {
		var v map[string]any
		err := yaml.Unmarshal([]byte(c.file), &v)
		if err == nil {
			t.Fatalf("%q parsed", c.file)
		}
		if got := YAMLError(err.Error()); !strings.HasPrefix(got, c.want) {
			t.Errorf("%q: %q is said %q, want it to start %q", c.file, err, got, c.want)
		}
	}
	// A decoding error's lines count from 1 already.
	var typed struct{ N int }
	dec := yaml.NewDecoder(strings.NewReader("n: 1\nextra: x\n"))
	dec.KnownFields(true)
	err := dec.Decode(&typed)
	if err == nil {
		t.Fatal("an unknown field decoded")
	}
	if got := YAMLError(err.Error()); got != "dòng 2: field extra not found in type struct { N int }" {
		t.Errorf("a decoding error %v is said %q", err, got)
	}
}
