// Package form is the studio's editing of content files without YAML
// (issue 16): a pack source file decodes to its content value (Decode), the
// value becomes a tree of fields with Vietnamese labels, fact marks and lint
// problems beside them (Build), drawn as one plain HTML form with no script
// and no inline style (Render); a posted form is written back onto a fresh
// decode of the file, list items added or removed by the button pressed
// (Apply); and the value is written as YAML that keeps the old file's
// comments and layout, so teams on git read small diffs (EncodeYAML).
//
// Everything is driven by reflection over the content structs and their yaml
// tags, so a field added to content appears in the forms with no change here;
// its label comes from the studio catalogue (kiosk/studio/catalogue.go).
//
// Form names are the YAML path with 0-based indices: "documents.2.name.vi".
// Hidden inputs carry the shape of the value: "len:documents" the number of
// items of a list, "has:cases.0.time" whether an optional part is present.
package form

import (
	"bytes"
	"fmt"
	"path"
	"strings"

	"gopkg.in/yaml.v3"

	"tramso/kiosk/content"
	"tramso/kiosk/studio"
)

// Files the forms edit, by path in a pack source folder.
const (
	lifeEventsPath = "life-events.yaml"
	coursePath     = "tutorials/course.yaml"
)

// Editable reports whether a pack source file has a form: a procedure, a
// lesson, the course or life-events.yaml.
func Editable(p string) bool { return newValue(p) != nil }

// newValue is a fresh value of the Go type the file at p decodes to, or nil.
func newValue(p string) any {
	dir, base := path.Split(p)
	if path.Ext(base) != ".yaml" || strings.HasPrefix(base, ".") {
		return nil
	}
	switch {
	case p == lifeEventsPath:
		return &content.Assistant{}
	case p == coursePath:
		return &content.Course{}
	case dir == "tutorials/":
		return &content.Tutorial{}
	case dir == "procedures/":
		return &content.Procedure{}
	}
	return nil
}

// Decode reads a pack source file the way content does (unknown fields are
// an error) into *content.Procedure, *content.Tutorial, *content.Course or
// *content.Assistant (life-events.yaml). The value is normalised: empty
// lists, maps and texts are nil, as a form or EncodeYAML gives them back.
func Decode(p string, data []byte) (any, error) {
	v := newValue(p)
	if v == nil {
		return nil, fmt.Errorf("%s: không phải tệp sửa được bằng biểu mẫu", p)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		return nil, fmt.Errorf("%s: viết chưa đúng cách (YAML), %s", p, studio.YAMLError(err.Error()))
	}
	if t, ok := v.(*content.Tutorial); ok {
		t.File = p
	}
	normalize(valueOf(v))
	return v, nil
}
