package translate

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing/fstest"

	"gopkg.in/yaml.v3"

	"tramso/kiosk/content"
	"tramso/kiosk/lang"
)

// Unit is one translatable line: where it lives, its Vietnamese source and
// its text in the language being worked on ("" when untranslated).
type Unit struct {
	Ctxt   string // stable PO msgctxt: "shell:shell.home.learn", "procedure:1.001193:documents[2].name"
	Source string // Vietnamese
	Trans  string
	Where  string // for translators: which screen or file
	// For content: the YAML file and the path of the text inside it.
	File string
	Path []string // "documents", "[2]", "name"
	// For the shell: catalogue namespace and key inside it.
	NS, Key string
}

// Shell reports whether u is a line of the kiosk's shell catalogues.
func (u Unit) Shell() bool { return u.NS != "" }

// Budget is the most characters a translation may have: twice the
// Vietnamese, and at least 20, since Ê Đê and M'nông often need more words;
// beyond it a line overflows its button or card.
func (u Unit) Budget() int {
	n := len([]rune(u.Source))
	return max(2*n, n+20)
}

// ShellDir is where a pack source folder carries shell catalogues:
// i18n/<lang>/<namespace>.json, the layout of frontend/src/i18n.
const ShellDir = "i18n"

// Collect lists every translatable line: the shell catalogues in shell
// (i18n/vi/*.json: the frontend's source or the built dist, which carries a
// copy) and the content texts of the pack source folder src, with their text
// in lng (from the pack's own catalogue first, then the bundled one).
func Collect(shell, src fs.FS, lng string) ([]Unit, error) {
	units, err := shellUnits(shell, src, lng)
	if err != nil {
		return nil, err
	}
	cu, err := contentUnits(src, lng)
	if err != nil {
		return nil, err
	}
	return append(units, cu...), nil
}

type tree = map[string]any

func readTree(fsys fs.FS, name string) (tree, error) {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	var t tree
	if err := json.Unmarshal(b, &t); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return t, nil
}

// CatalogueLines reads the texts of a shell catalogue file by dotted key
// ("home.learn"); no bytes are no lines.
func CatalogueLines(b []byte) (map[string]string, error) {
	out := map[string]string{}
	if len(b) == 0 {
		return out, nil
	}
	var t tree
	if err := json.Unmarshal(b, &t); err != nil {
		return nil, err
	}
	flatten(t, "", out)
	return out, nil
}

// flatten lists the strings of a catalogue tree by dotted key.
func flatten(t tree, prefix string, out map[string]string) {
	for k, v := range t {
		switch v := v.(type) {
		case string:
			out[prefix+k] = v
		case map[string]any:
			flatten(v, prefix+k+".", out)
		}
	}
}

func shellUnits(shell, src fs.FS, lng string) ([]Unit, error) {
	names, err := fs.Glob(shell, ShellDir+"/vi/*.json")
	if err != nil || len(names) == 0 {
		return nil, fmt.Errorf("no Vietnamese shell catalogues (%s/vi/*.json) found", ShellDir)
	}
	var units []Unit
	for _, name := range names {
		ns := strings.TrimSuffix(path.Base(name), ".json")
		vi, err := readTree(shell, name)
		if err != nil {
			return nil, err
		}
		source := map[string]string{}
		flatten(vi, "", source)
		trans := map[string]string{}
		own := path.Join(ShellDir, lng, ns+".json")
		for _, fsys := range []fs.FS{shell, src} { // the pack's catalogue wins
			if fsys == nil {
				continue
			}
			if t, err := readTree(fsys, own); err == nil {
				flatten(t, "", trans)
			}
		}
		for _, k := range slices.Sorted(maps.Keys(source)) {
			units = append(units, Unit{
				Ctxt: "shell:" + ns + "." + k, Source: source[k], Trans: trans[k],
				Where: "kiosk screens, catalogue " + ns + ", key " + k, NS: ns, Key: k,
			})
		}
	}
	return units, nil
}

// contentFile is one YAML file of a pack and how its texts are named.
type contentFile struct {
	file   string
	prefix string // msgctxt prefix: "procedure:1.001193"
	where  string
	value  any // the decoded file
}

// contentFiles decodes the YAML files of a pack that hold resident-visible
// texts. Search words are left out: residents type them, the kiosk never
// shows them.
func contentFiles(src fs.FS) ([]contentFile, error) {
	var out []contentFile
	decode := func(file string, v any) error {
		b, err := fs.ReadFile(src, file)
		if err != nil {
			return err
		}
		if err := yaml.Unmarshal(b, v); err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
		return nil
	}
	tutorials, _ := fs.Glob(src, "tutorials/*.yaml")
	sort.Strings(tutorials)
	for _, f := range tutorials {
		if f == "tutorials/course.yaml" {
			var c content.Course
			if err := decode(f, &c); err != nil {
				return nil, err
			}
			out = append(out, contentFile{f, "course", "lessons: module names and the summary", &c})
			continue
		}
		var t content.Tutorial
		if err := decode(f, &t); err != nil {
			return nil, err
		}
		out = append(out, contentFile{f, "lesson:" + t.ID, "lesson " + t.ID, &t})
	}
	procs, _ := fs.Glob(src, "procedures/*.yaml")
	sort.Strings(procs)
	for _, f := range procs {
		var p content.Procedure
		if err := decode(f, &p); err != nil {
			return nil, err
		}
		out = append(out, contentFile{f, "procedure:" + p.Code, "procedure " + p.Code, &p})
	}
	if _, err := fs.Stat(src, "life-events.yaml"); err == nil {
		var a content.Assistant
		if err := decode("life-events.yaml", &a); err != nil {
			return nil, err
		}
		out = append(out, contentFile{"life-events.yaml", "life-events", "life events and the procedure assistant", &a})
	}
	return out, nil
}

func contentUnits(src fs.FS, lng string) ([]Unit, error) {
	files, err := contentFiles(src)
	if err != nil {
		return nil, err
	}
	var units []Unit
	for _, cf := range files {
		walk(reflect.ValueOf(cf.value), nil, func(p []string, t lang.Text) {
			if t.Vi() == "" {
				return
			}
			ps := joinPath(p)
			units = append(units, Unit{
				Ctxt: cf.prefix + ":" + ps, Source: t.Vi(), Trans: t[lng],
				Where: cf.where + " (" + cf.file + "), " + ps, File: cf.file, Path: p,
			})
		})
	}
	return units, nil
}

var textType = reflect.TypeOf(lang.Text{})

// walk calls fn for every lang.Text inside v with its YAML path, following
// the yaml tags of the content model, so a new text field is translatable
// without touching this package.
func walk(v reflect.Value, p []string, fn func([]string, lang.Text)) {
	if v.Type() == textType {
		fn(p, v.Interface().(lang.Text))
		return
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walk(v.Elem(), p, fn)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			f := v.Type().Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			if !f.IsExported() || name == "-" || name == "" {
				continue
			}
			walk(v.Field(i), append(slicesClone(p), name), fn)
		}
	case reflect.Slice:
		for i := range v.Len() {
			walk(v.Index(i), append(slicesClone(p), "["+strconv.Itoa(i)+"]"), fn)
		}
	case reflect.Map:
		if v.Type().Key().Kind() != reflect.String || v.Type().Elem().Kind() == reflect.String {
			return
		}
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
		for _, k := range keys {
			walk(v.MapIndex(k), append(slicesClone(p), k.String()), fn)
		}
	}
}

func slicesClone(p []string) []string { return append([]string(nil), p...) }

func joinPath(p []string) string {
	var b strings.Builder
	for _, s := range p {
		if b.Len() > 0 && !strings.HasPrefix(s, "[") {
			b.WriteByte('.')
		}
		b.WriteString(s)
	}
	return b.String()
}

// FileTexts lists the texts of one content file of a pack (a procedure, a
// lesson, the course or life-events.yaml, by its path in the pack) in every
// language, by the msgctxt Collect gives their lines; nothing for any other
// file. The studio compares two versions of a file with it to see which
// translations a reworded Vietnamese text left behind.
func FileTexts(name string, body []byte) (map[string]lang.Text, error) {
	if len(body) == 0 {
		return nil, nil
	}
	files, err := contentFiles(fstest.MapFS{name: {Data: body}})
	if err != nil {
		return nil, err
	}
	out := map[string]lang.Text{}
	for _, cf := range files {
		walk(reflect.ValueOf(cf.value), nil, func(p []string, t lang.Text) {
			if t.Vi() != "" {
				out[cf.prefix+":"+joinPath(p)] = t
			}
		})
	}
	return out, nil
}
