package form

import (
	"bytes"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"tramso/kiosk/lang"
)

// EncodeYAML writes v (a value Decode gave, edited) as the file's new YAML.
// What the old file said about a field stays as it was: its comments (head,
// line and foot, on the same keys and list items: items with an id are
// matched by id, others by position), the order of its keys, the quoting of
// unchanged values and the style of its lists and texts — a text written
// {vi: "…", en: "…"} stays on one line. Teams keeping content in git see
// only what changed. A new text is written inline like the starter's.
//
// The result is checked: decoding it gives v back, or EncodeYAML fails.
func EncodeYAML(old []byte, v any) ([]byte, error) {
	var doc yaml.Node
	if len(bytes.TrimSpace(old)) > 0 {
		if err := yaml.Unmarshal(old, &doc); err != nil {
			doc = yaml.Node{} // unreadable: written afresh, without its comments
		}
	}
	var oldRoot *yaml.Node
	if doc.Kind == yaml.DocumentNode && len(doc.Content) == 1 {
		oldRoot = doc.Content[0]
	}
	root := encode(reflect.ValueOf(v), oldRoot)
	if root == nil {
		root = &yaml.Node{Kind: yaml.MappingNode}
	}
	out := &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root},
		HeadComment: doc.HeadComment, LineComment: doc.LineComment, FootComment: doc.FootComment}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(out); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	data := keepBlankLines(old, buf.Bytes())
	if err := roundTrips(data, v); err != nil {
		return nil, err
	}
	return data, nil
}

// keepBlankLines puts back the blank lines the old file had before a
// top-level key (and its comment), which yaml.v3 does not keep.
func keepBlankLines(old, out []byte) []byte {
	spaced := map[string]bool{}
	forTopKeys(bytes.Split(old, []byte("\n")), func(lines [][]byte, start int, key string) {
		if start > 0 && len(bytes.TrimSpace(lines[start-1])) == 0 {
			spaced[key] = true
		}
	})
	if len(spaced) == 0 {
		return out
	}
	lines := bytes.Split(out, []byte("\n"))
	var at []int
	forTopKeys(lines, func(lines [][]byte, start int, key string) {
		if spaced[key] && start > 0 && len(bytes.TrimSpace(lines[start-1])) > 0 {
			at = append(at, start)
		}
	})
	for i := len(at) - 1; i >= 0; i-- {
		lines = slices.Insert(lines, at[i], []byte{})
	}
	return bytes.Join(lines, []byte("\n"))
}

// forTopKeys calls f for each top-level key line, with the first line of
// the comment right above it.
func forTopKeys(lines [][]byte, f func(lines [][]byte, start int, key string)) {
	for i, l := range lines {
		if len(l) == 0 || l[0] == ' ' || l[0] == '#' || l[0] == '-' {
			continue
		}
		key, _, ok := bytes.Cut(l, []byte(":"))
		if !ok {
			continue
		}
		start := i
		for start > 0 && bytes.HasPrefix(lines[start-1], []byte("#")) {
			start--
		}
		f(lines, start, string(key))
	}
}

// roundTrips checks that data decodes to v.
func roundTrips(data []byte, v any) error {
	back := reflect.New(valueOf(v).Type())
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(back.Interface()); err != nil {
		return fmt.Errorf("form: the YAML written does not read back: %w", err)
	}
	normalize(back.Elem())
	want := reflect.New(valueOf(v).Type()).Elem()
	deepCopy(want, valueOf(v))
	normalize(want)
	if !equal(back.Elem(), want) {
		return fmt.Errorf("form: the YAML written reads back different")
	}
	return nil
}

// encode is the node of rv, guided by the old file's node at the same
// place; nil when there is nothing to write (nil, empty).
func encode(rv reflect.Value, old *yaml.Node) *yaml.Node {
	for rv.Kind() == reflect.Pointer || rv.Kind() == reflect.Interface {
		if rv.IsNil() {
			return nil
		}
		rv = rv.Elem()
	}
	var n *yaml.Node
	switch {
	case rv.Kind() == reflect.Map && rv.Type().Elem().Kind() == reflect.String:
		n = encodeText(rv, old)
	case rv.Kind() == reflect.Map:
		n = encodeMap(rv, old)
	case rv.Kind() == reflect.Struct:
		n = encodeStruct(rv, old)
	case rv.Kind() == reflect.Slice:
		n = encodeSeq(rv, old)
	default:
		n = encodeScalar(rv, old)
	}
	if n != nil && old != nil && n != old {
		carryComments(n, old)
	}
	return n
}

func carryComments(n, old *yaml.Node) {
	n.HeadComment, n.LineComment, n.FootComment = old.HeadComment, old.LineComment, old.FootComment
}

// pair is one key and value of a mapping being written.
type pair struct {
	key, value *yaml.Node
	name       string
}

// oldPairs indexes an old mapping's values by key, in file order.
func oldPairs(old *yaml.Node) (map[string][2]*yaml.Node, []string) {
	if old == nil || old.Kind != yaml.MappingNode {
		return nil, nil
	}
	m := make(map[string][2]*yaml.Node, len(old.Content)/2)
	order := make([]string, 0, len(old.Content)/2)
	for i := 0; i+1 < len(old.Content); i += 2 {
		k := old.Content[i].Value
		m[k] = [2]*yaml.Node{old.Content[i], old.Content[i+1]}
		order = append(order, k)
	}
	return m, order
}

func encodeStruct(rv reflect.Value, old *yaml.Node) *yaml.Node {
	olds, order := oldPairs(old)
	var pairs []pair
	for _, f := range fieldsOf(rv.Type()) {
		prev := olds[f.key]
		fv := rv.Field(f.index)
		v := encode(fv, prev[1])
		if v == nil || isZeroScalar(fv) && (f.omitEmpty || prev[1] == nil) {
			continue // a zero the old file did not write is not written
		}
		pairs = append(pairs, pair{key: keyNode(f.key, prev[0]), value: v, name: f.key})
	}
	return mapping(inOldOrder(pairs, order), old)
}

// isZeroScalar reports a zero number, false or "": absent in YAML too.
func isZeroScalar(rv reflect.Value) bool {
	switch rv.Kind() {
	case reflect.String, reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return rv.IsZero()
	}
	return false
}

// inOldOrder puts the keys the old file had in its order; a new key goes
// right after the key it follows in the struct.
func inOldOrder(pairs []pair, order []string) []pair {
	if len(order) == 0 {
		return pairs
	}
	var out []pair
	for _, name := range order {
		if i := slices.IndexFunc(pairs, func(p pair) bool { return p.name == name }); i >= 0 {
			out = append(out, pairs[i])
		}
	}
	for i, p := range pairs {
		if slices.Contains(order, p.name) {
			continue
		}
		at := 0 // after the nearest earlier struct field already placed
		for j := i - 1; j >= 0; j-- {
			if k := slices.IndexFunc(out, func(q pair) bool { return q.name == pairs[j].name }); k >= 0 {
				at = k + 1
				break
			}
		}
		out = slices.Insert(out, at, p)
	}
	return out
}

func keyNode(name string, old *yaml.Node) *yaml.Node {
	if old != nil {
		k := *old
		return &k
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: name}
}

// mapping assembles a mapping node in the old node's style; nil when empty.
func mapping(pairs []pair, old *yaml.Node) *yaml.Node {
	if len(pairs) == 0 {
		return nil
	}
	n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	if old != nil && old.Kind == yaml.MappingNode {
		n.Style = old.Style
	}
	for _, p := range pairs {
		n.Content = append(n.Content, p.key, p.value)
	}
	return n
}

// encodeText writes a text (or any language → string map): a plain
// Vietnamese string stays one; otherwise languages in the kiosk's order,
// Vietnamese first, inline unless a value spans lines.
func encodeText(rv reflect.Value, old *yaml.Node) *yaml.Node {
	if rv.Len() == 0 {
		return nil
	}
	vals := map[string]string{}
	for it := rv.MapRange(); it.Next(); {
		vals[it.Key().String()] = it.Value().String()
	}
	if old != nil && old.Kind == yaml.ScalarNode && len(vals) == 1 && rv.Type() == textType {
		if vi, ok := vals["vi"]; ok {
			return scalarString(vi, old)
		}
	}
	olds, order := oldPairs(old)
	var pairs, added []pair
	multiline := false
	for _, l := range languageOrder(vals, order) {
		prev := olds[l]
		p := pair{key: keyNode(l, prev[0]), value: scalarString(vals[l], prev[1]), name: l}
		pairs = append(pairs, p)
		if prev[1] == nil {
			added = append(added, p)
		}
		multiline = multiline || strings.Contains(vals[l], "\n")
	}
	n := mapping(pairs, old)
	if old == nil || old.Kind != yaml.MappingNode {
		n.Style = yaml.FlowStyle
		if multiline {
			n.Style = 0
		}
	}
	if n.Style&yaml.FlowStyle != 0 {
		for _, p := range added {
			if p.value.Style == 0 {
				p.value.Style = yaml.DoubleQuotedStyle // as the starter writes them
			}
		}
	}
	return n
}

// languageOrder is the old file's order, then Vietnamese and the kiosk's
// languages, then any other key sorted.
func languageOrder(vals map[string]string, order []string) []string {
	var out []string
	add := func(l string) {
		if _, ok := vals[l]; ok && !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	for _, l := range order {
		add(l)
	}
	for _, l := range lang.Known {
		add(l)
	}
	keys := make([]string, 0, len(vals))
	for l := range vals {
		keys = append(keys, l)
	}
	slices.Sort(keys)
	for _, l := range keys {
		add(l)
	}
	return out
}

// encodeMap writes a map of non-string values (the checklist words) in the
// old file's order, new keys sorted after.
func encodeMap(rv reflect.Value, old *yaml.Node) *yaml.Node {
	olds, order := oldPairs(old)
	keys := sortedKeys(rv)
	var pairs []pair
	for _, k := range keys {
		prev := olds[k]
		if v := encode(rv.MapIndex(reflect.ValueOf(k)), prev[1]); v != nil {
			pairs = append(pairs, pair{key: keyNode(k, prev[0]), value: v, name: k})
		}
	}
	return mapping(inOldOrder(pairs, order), old)
}

// encodeSeq writes a list; items carry the old item's comments and style,
// matched by id when they have one, else by position; a new item takes the
// style of the one before it.
func encodeSeq(rv reflect.Value, old *yaml.Node) *yaml.Node {
	if rv.Len() == 0 {
		return nil
	}
	n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
	var olds []*yaml.Node
	if old != nil && old.Kind == yaml.SequenceNode {
		n.Style = old.Style
		olds = old.Content
	} else if rv.Type().Elem().Kind() == reflect.String {
		n.Style = yaml.FlowStyle // tags, aliases, codes: [a, b], as the starter
	}
	byID := map[string]*yaml.Node{}
	for _, o := range olds {
		if id := oldID(o); id != "" {
			byID[id] = o
		}
	}
	for i := 0; i < rv.Len(); i++ {
		item := rv.Index(i)
		var prev *yaml.Node
		switch id := itemID(item); {
		case id != "" && byID[id] != nil:
			prev = byID[id]
		case id == "" && i < len(olds) && oldID(olds[i]) == "":
			prev = olds[i]
		}
		c := encode(item, prev)
		if c == nil {
			c = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Style: yaml.FlowStyle} // {} keeps the item
		}
		if prev == nil && i > 0 && c.Kind == yaml.MappingNode && c.Kind == n.Content[i-1].Kind {
			c.Style = n.Content[i-1].Style
		}
		n.Content = append(n.Content, c)
	}
	return n
}

// oldID is the id key of an old list item, or "".
func oldID(n *yaml.Node) string {
	olds, _ := oldPairs(n)
	if id := olds["id"][1]; id != nil {
		return id.Value
	}
	return ""
}

// encodeScalar writes a string, number or bool; an unchanged value keeps
// its old node (and quoting).
func encodeScalar(rv reflect.Value, old *yaml.Node) *yaml.Node {
	if old != nil && old.Kind == yaml.ScalarNode {
		back := reflect.New(rv.Type())
		if old.Decode(back.Interface()) == nil && back.Elem().Interface() == rv.Interface() {
			k := *old
			return &k
		}
	}
	n := &yaml.Node{}
	if err := n.Encode(rv.Interface()); err != nil {
		panic("form: encode scalar: " + err.Error()) // strings, numbers, bools always encode
	}
	if rv.Kind() == reflect.String && old != nil && old.Style&yaml.DoubleQuotedStyle != 0 {
		n.Style = yaml.DoubleQuotedStyle
	}
	return n
}

func scalarString(s string, old *yaml.Node) *yaml.Node {
	return encodeScalar(reflect.ValueOf(s), old)
}
