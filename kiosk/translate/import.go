package translate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/text/unicode/norm"
	"gopkg.in/yaml.v3"
)

// Import checks po, the translation of the pack source folder dir into lng,
// and writes its translated entries: content texts into the YAML files,
// shell lines into dir/i18n/<lng>/<namespace>.json. Every problem is
// reported with its PO line and then nothing is written. Fuzzy and empty
// entries are skipped. It returns how many lines were written.
func Import(shell fs.FS, dir, lng string, po *File) (int, error) {
	files, n, err := Apply(shell, os.DirFS(dir), lng, po)
	if err != nil {
		return 0, err
	}
	return n, writeAll(dir, files)
}

// Apply is Import without the folder: it checks po against the pack source
// src and returns the new contents of every file the import changes, by
// slash-separated path, and how many lines it translates. The hub's console
// saves those files as versions of a content change.
func Apply(shell, src fs.FS, lng string, po *File) (map[string][]byte, int, error) {
	if l := po.HeaderValue("Language"); l != "" && l != lng {
		return nil, 0, Problems{{Line: 1, Kind: KindLanguage, Msg: fmt.Sprintf("the file is for language %q, not %q", l, lng)}}
	}
	units, err := Collect(shell, src, lng)
	if err != nil {
		return nil, 0, err
	}
	byCtxt := make(map[string]Unit, len(units))
	for _, u := range units {
		byCtxt[u.Ctxt] = u
	}
	var probs Problems
	var todo []Unit
	seen := map[string]int{}
	for _, e := range po.Entries {
		u, ok := byCtxt[e.Ctxt]
		first, twice := seen[e.Ctxt]
		seen[e.Ctxt] = e.Line
		switch {
		case twice:
			probs = append(probs, Problem{Line: e.Line, Ctxt: e.Ctxt, Kind: KindDuplicate, Msg: fmt.Sprintf("the same msgctxt as line %d", first)})
			continue
		case !ok:
			probs = append(probs, Problem{Line: e.Line, Ctxt: e.Ctxt, Kind: KindUnknown, Msg: "unknown msgctxt: this pack has no such line (export again)"})
			continue
		case e.Fuzzy || e.Str == "":
			continue
		}
		// One form for every letter (NFC): a translator's keyboard may send
		// "ê" as e and a mark, which would count twice against the length
		// budget and never match the same word typed whole.
		e.Str = norm.NFC.String(e.Str)
		for _, p := range check(e, u) {
			p.Line, p.Ctxt = e.StrLine, e.Ctxt
			probs = append(probs, p)
		}
		u.Trans = e.Str
		todo = append(todo, u)
	}
	if len(probs) > 0 {
		return nil, 0, probs
	}
	files, err := render(src, lng, todo)
	if err != nil {
		return nil, 0, err
	}
	return files, len(todo), nil
}

// render computes the new contents of every file import changes.
func render(src fs.FS, lng string, units []Unit) (map[string][]byte, error) {
	out := map[string][]byte{}
	shell := map[string]map[string]string{} // namespace → key → text
	docs := map[string]*yaml.Node{}
	for _, u := range units {
		if u.Shell() {
			if shell[u.NS] == nil {
				shell[u.NS] = map[string]string{}
				if t, err := readTree(src, path.Join(ShellDir, lng, u.NS+".json")); err == nil {
					flatten(t, "", shell[u.NS])
				}
			}
			shell[u.NS][u.Key] = u.Trans
			continue
		}
		doc := docs[u.File]
		if doc == nil {
			b, err := fs.ReadFile(src, u.File)
			if err != nil {
				return nil, err
			}
			doc = &yaml.Node{}
			if err := yaml.Unmarshal(b, doc); err != nil {
				return nil, fmt.Errorf("%s: %w", u.File, err)
			}
			docs[u.File] = doc
		}
		if err := setText(doc, u.Path, lng, u.Trans); err != nil {
			return nil, fmt.Errorf("%s: %s: %w", u.File, joinPath(u.Path), err)
		}
	}
	for ns, m := range shell {
		b, err := json.MarshalIndent(nest(m), "", "  ")
		if err != nil {
			return nil, err
		}
		out[path.Join(ShellDir, lng, ns+".json")] = append(b, '\n')
	}
	for file, doc := range docs {
		var buf bytes.Buffer
		enc := yaml.NewEncoder(&buf)
		enc.SetIndent(2)
		if err := enc.Encode(doc); err != nil {
			return nil, err
		}
		out[file] = buf.Bytes()
	}
	return out, nil
}

// nest turns dotted keys back into a catalogue tree.
func nest(m map[string]string) map[string]any {
	root := map[string]any{}
	for k, v := range m {
		node := root
		parts := strings.Split(k, ".")
		for _, p := range parts[:len(parts)-1] {
			next, ok := node[p].(map[string]any)
			if !ok {
				next = map[string]any{}
				node[p] = next
			}
			node = next
		}
		node[parts[len(parts)-1]] = v
	}
	return root
}

// setText finds the text at p in a YAML document and sets its lng version; a
// plain string (Vietnamese only) becomes a {vi, lng} map.
func setText(doc *yaml.Node, p []string, lng, text string) error {
	n := doc
	if n.Kind == yaml.DocumentNode {
		n = n.Content[0]
	}
	for _, seg := range p {
		next, err := child(n, seg)
		if err != nil {
			return err
		}
		n = next
	}
	switch n.Kind {
	case yaml.ScalarNode:
		vi := *n
		*n = yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: []*yaml.Node{
			{Kind: yaml.ScalarNode, Tag: "!!str", Value: "vi"}, &vi,
			{Kind: yaml.ScalarNode, Tag: "!!str", Value: lng}, {Kind: yaml.ScalarNode, Tag: "!!str", Value: text, Style: vi.Style},
		}}
		vi.HeadComment, vi.LineComment = "", ""
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == lng {
				n.Content[i+1].Value, n.Content[i+1].Style = text, 0
				return nil
			}
		}
		var style yaml.Style
		if len(n.Content) > 1 {
			style = n.Content[1].Style // quoted like the Vietnamese
		}
		n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: lng},
			&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: text, Style: style})
	default:
		return fmt.Errorf("is not a text")
	}
	return nil
}

func child(n *yaml.Node, seg string) (*yaml.Node, error) {
	if strings.HasPrefix(seg, "[") {
		i, err := strconv.Atoi(strings.Trim(seg, "[]"))
		if err != nil || n.Kind != yaml.SequenceNode || i >= len(n.Content) {
			return nil, fmt.Errorf("no item %s", seg)
		}
		return n.Content[i], nil
	}
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == seg {
				return n.Content[i+1], nil
			}
		}
	}
	return nil, fmt.Errorf("no field %q", seg)
}

// writeAll writes every file to a temporary name first, then renames them
// all, so a failure half-way leaves no half-written file.
func writeAll(dir string, files map[string][]byte) error {
	tmps := map[string]string{}
	defer func() {
		for _, t := range tmps {
			os.Remove(t)
		}
	}()
	for name, b := range files {
		dst := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		f, err := os.CreateTemp(filepath.Dir(dst), ".import-*")
		if err != nil {
			return err
		}
		tmps[dst] = f.Name()
		_, err = f.Write(b)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	for dst, tmp := range tmps {
		if err := os.Rename(tmp, dst); err != nil {
			return err
		}
		delete(tmps, dst)
	}
	return nil
}
