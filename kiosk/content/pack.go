// Package content is the content model of the kiosk — tutorials, procedures and
// their media — with the loader and validator shared by the kiosk (when it loads
// a pack) and by `tramso pack lint` (when the province authors one). The source
// of a pack is a folder of plain files:
//
//	pack.yaml              schema, generation, title
//	tutorials/<id>.yaml    one lesson per file
//	procedures/<slug>.yaml one procedure per file
//	life-events.yaml       life events that group procedures
//	search.yaml            everyday words residents type for them (optional)
//	media/…                illustrations (svg, png, webp, jpg) and narration (mp3, ogg): media.go
package content

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// SchemaVersion is the newest pack schema this kiosk understands. A release
// reads every schema from 1 up to it (ReadsSchema): raising it when the
// format gains what older kiosks cannot read makes them refuse new packs as
// "content schema N is not supported" rather than in YAML's words, and must
// not make upgraded kiosks refuse the packs they show (outside QA s23).
const SchemaVersion = 1

// ReadsSchema reports whether this release reads a pack of schema n.
func ReadsSchema(n int) bool { return n >= 1 && n <= SchemaVersion }

// Pack is loaded, validated content, ready to serve.
type Pack struct {
	Meta       Meta
	Tutorials  []Tutorial
	Course     *Course // tutorials/course.yaml: module names, summary texts
	Procedures []Procedure
	LifeEvents []LifeEvent
	Assistant  *Assistant   // life-events.yaml: fields, life events, checklist words
	Search     *SearchWords // search.yaml: everyday words for what the pack offers (optional)
	// Files holds every file of the pack (media included), read by path.
	Files fs.FS
}

// Meta is pack.yaml.
type Meta struct {
	Schema     int    `yaml:"schema"`
	Generation int64  `yaml:"generation"`
	Title      string `yaml:"title"`
}

//go:embed all:starter
var starter embed.FS

// Starter is the content pack embedded in the binary, so that a new kiosk shows
// real content with no network.
func Starter() fs.FS {
	sub, err := fs.Sub(starter, "starter")
	if err != nil {
		panic(err) // the embed pattern above guarantees the folder
	}
	return sub
}

// Problem is one thing wrong with a pack, located by file and field.
type Problem struct {
	File    string `json:"file"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
	// Advice marks a problem a kiosk shows the pack despite: a rule of
	// style, whose breach still tells residents the truth (a note that
	// repeats the words before it). Lint, the studio and pack build name it
	// so that the province mends it; a kiosk does not refuse for it the
	// packs an earlier release built and took (outside QA s23).
	Advice bool `json:"advice,omitempty"`
}

func (p Problem) String() string {
	s := p.File + ": " + p.Message
	if p.Field != "" {
		s = p.File + ": " + p.Field + ": " + p.Message
	}
	if p.Advice {
		s += " (advice: kiosks still show the pack; pack build refuses it)"
	}
	return s
}

// Problems is every problem found in a pack; as an error it lists them all.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return fmt.Sprintf("%d problem(s) in content pack:\n  %s", len(ps), strings.Join(lines, "\n  "))
}

// add records a problem; fields are formatted with fmt.Sprintf semantics.
func (ps *Problems) add(file, field, format string, args ...any) {
	*ps = append(*ps, Problem{File: file, Field: field, Message: fmt.Sprintf(format, args...)})
}

// advise records a problem of style (Problem.Advice).
func (ps *Problems) advise(file, field, format string, args ...any) {
	*ps = append(*ps, Problem{File: file, Field: field, Message: fmt.Sprintf(format, args...), Advice: true})
}

// refusals are the problems a kiosk refuses a pack for: all but advice.
func (ps Problems) refusals() Problems {
	var out Problems
	for _, p := range ps {
		if !p.Advice {
			out = append(out, p)
		}
	}
	return out
}

// Load reads and validates a pack as a kiosk does. A problem that is not
// advice makes it fail with those Problems (advice left out: a refusal is
// clipped for the hub and staff, and advice listed first hid the real
// problem, outside QA s23), so the caller keeps the content it had.
func Load(fsys fs.FS) (*Pack, error) {
	p, probs := load(fsys)
	if refused := probs.refusals(); len(refused) > 0 {
		return nil, refused
	}
	return p, nil
}

// Lint returns every problem of a pack: those Load refuses it for, and
// advice.
func Lint(fsys fs.FS) Problems {
	_, probs := load(fsys)
	return probs
}

func load(fsys fs.FS) (*Pack, Problems) {
	var probs Problems
	p := &Pack{Files: fsys}
	if err := decodeYAML(fsys, "pack.yaml", &p.Meta); err != nil {
		probs.add("pack.yaml", "", "%v", err)
		return p, probs
	}
	if !ReadsSchema(p.Meta.Schema) {
		probs.add("pack.yaml", "schema", "schema %d is not supported (this kiosk reads schema %d)", p.Meta.Schema, SchemaVersion)
		return p, probs
	}
	if p.Meta.Generation < 1 {
		probs.add("pack.yaml", "generation", "must be 1 or more")
	}
	loadTutorials(fsys, p, &probs)
	loadProcedures(fsys, p, &probs)
	loadSearch(fsys, p, &probs)
	return p, probs
}

// decodeYAML strictly decodes one YAML file: unknown fields are errors, so a
// typo in an authored file is caught rather than silently ignored.
func decodeYAML(fsys fs.FS, name string, v any) error {
	f, err := fsys.Open(name)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("file is missing")
		}
		return err
	}
	defer f.Close()
	dec := yaml.NewDecoder(f)
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("not valid: %w", err)
	}
	return nil
}

// yamlFiles lists dir/*.yaml in name order (a missing folder lists nothing).
func yamlFiles(fsys fs.FS, dir string) []string {
	names, _ := fs.Glob(fsys, path.Join(dir, "*.yaml"))
	sort.Strings(names)
	return names
}
