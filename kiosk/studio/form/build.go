package form

import (
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"tramso/kiosk/content"
	"tramso/kiosk/flow"
	"tramso/kiosk/lang"
	"tramso/kiosk/studio"
)

var (
	textType  = reflect.TypeFor[lang.Text]()
	dateType  = reflect.TypeFor[content.Date]()
	flowType  = reflect.TypeFor[flow.Flow]()
	assistant = reflect.TypeFor[content.Assistant]()
)

// builder carries what every node of one form needs.
type builder struct {
	opts   Options
	langs  []string
	prefix string // catalogue prefix of the file's kind: "lesson.", "course."
	life   bool   // life-events.yaml: life_events are "life." in the catalogue
	cases  []Choice
	steps  []Choice                   // the question ids of the flow being built
	inFact bool                       // inside a fact node, which carries the mark for all
	when   func(tags []string) string // a rule's flow tags in the resident's answers (procedures)
	tags   []Choice                   // the flow's tags, by the answers that set them (procedures)
	ruled  bool                       // a procedure: its rules' "if" are the flow's tags, even when no answer sets one
}

// Build makes the form of a content value (a pointer Decode returned).
func Build(v any, opts Options) *Node {
	rv := valueOf(v)
	b := &builder{opts: opts, langs: opts.Languages}
	if len(b.langs) == 0 {
		b.langs = lang.Known
	}
	switch rv.Interface().(type) {
	case content.Tutorial:
		b.prefix = "lesson."
	case content.Course:
		b.prefix = "course."
	case content.Procedure:
		pr := rv.Interface().(content.Procedure)
		b.cases = caseChoices(pr.Cases)
		b.when = studio.ConditionOf(&pr.Flow)
		b.ruled = true
		for _, t := range studio.FlowTags(&pr.Flow) {
			b.tags = append(b.tags, Choice{Value: t.Code, Label: t.Words})
		}
	}
	b.life = rv.Type() == assistant
	root := &Node{Kind: Group}
	b.fields(root, rv, "", nil)
	attachProblems(root, opts)
	switch {
	case opts.Focus != "":
		focus(root, opts.Focus)
	case len(opts.Errors) > 0:
		focusProblem(root) // a save refused: the keyboard starts at what to fix
	}
	return root
}

// focusProblem marks the first input at or inside the first node with a
// problem.
func focusProblem(n *Node) bool {
	if len(n.Problems) > 0 && n.Name != "" {
		if first := firstInput(n); first != nil {
			first.Focus = true
			return true
		}
	}
	for _, c := range n.Children {
		if focusProblem(c) {
			return true
		}
	}
	return false
}

// fields adds a node for each field of the struct rv to n.
func (b *builder) fields(n *Node, rv reflect.Value, name string, segs []string) {
	t := rv.Type()
	for _, f := range fieldsOf(t) {
		sf := t.Field(f.index)
		child := b.node(rv.Field(f.index), join(name, f.key), append(segs[:len(segs):len(segs)], f.key), t, sf.Name)
		child.key = f.key
		n.Children = append(n.Children, child)
	}
}

// node builds the node of one value; owner and field name the struct field
// it is, for its closed set of choices.
func (b *builder) node(rv reflect.Value, name string, segs []string, owner reflect.Type, field string) *Node {
	key := b.catalogueKey(segs)
	n := &Node{Name: name, Label: b.label(key, segs), Fact: studio.IsFact(key), labelled: hasLabel(key)}
	n.FactMark = n.Fact && !b.inFact
	if n.Fact {
		saved := b.inFact
		b.inFact = true
		defer func() { b.inFact = saved }()
	}
	t := rv.Type()
	switch {
	case t == textType || t.Kind() == reflect.Map && t.Elem().Kind() == reflect.String:
		n.Long = studio.IsProse(key)
		b.textSet(n, rv)
	case t.Kind() == reflect.Map:
		n.Kind = Group
		for _, k := range sortedKeys(rv) {
			c := b.node(rv.MapIndex(reflect.ValueOf(k)), join(name, k), append(segs[:len(segs):len(segs)], k), nil, "")
			c.key = k
			n.Children = append(n.Children, c)
		}
	case t.Kind() == reflect.Struct:
		n.Kind = Group
		if t == flowType {
			saved := b.steps
			b.steps = questionChoices(rv.Interface().(flow.Flow).Questions)
			defer func() { b.steps = saved }()
		}
		b.fields(n, rv, name, segs)
	case t.Kind() == reflect.Pointer:
		b.optional(n, rv, segs)
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.String && field == "If" && b.ruled:
		b.tagSet(n, rv.Interface().([]string))
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.String:
		n.Kind, n.Long = Lines, true
		n.Value = b.posted(name, strings.Join(rv.Interface().([]string), "\n"))
	case t.Kind() == reflect.Slice:
		b.list(n, rv, segs, owner == flowType || owner == reflect.TypeFor[flow.Question]())
	case t.Kind() == reflect.Bool:
		n.Kind = Bool
		n.Present = rv.Bool()
		if b.opts.Values != nil {
			n.Present = b.opts.Values.Has(name)
		}
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Int64:
		n.Kind = Int
		n.Value = b.posted(name, intText(rv.Int(), omitsZero(owner, field)))
	case t == dateType:
		n.Kind = Date
		n.Value = b.posted(name, rv.String())
	default:
		n.Kind = String
		n.Value = b.posted(name, rv.String())
		n.Long = utf8.RuneCountInString(n.Value) > longRunes || strings.Contains(n.Value, "\n")
		if set := b.choices(owner, field); set != nil {
			n.Kind, n.Long = Select, false
			n.Choices = withCurrent(set, n.Value)
		}
	}
	return n
}

// longRunes is the length from which a text is edited in a textarea.
const longRunes = 50

// textSet fills a TextSet: one child per language of the pack, and any other
// language the text already has, so that nothing is lost.
func (b *builder) textSet(n *Node, rv reflect.Value) {
	n.Kind = TextSet
	langs := slices.Clone(b.langs)
	for _, l := range sortedKeys(rv) {
		if !slices.Contains(langs, l) {
			langs = append(langs, l)
		}
	}
	for _, l := range langs {
		v := ""
		if e := rv.MapIndex(reflect.ValueOf(l)); e.IsValid() {
			v = e.String()
		}
		c := &Node{Kind: String, Name: join(n.Name, l), Lang: l, Label: studio.LanguageName(l), key: l, labelled: true}
		c.Value = b.posted(c.Name, v)
		n.Long = n.Long || utf8.RuneCountInString(c.Value) > longRunes || strings.Contains(c.Value, "\n")
		n.Children = append(n.Children, c)
	}
	for _, c := range n.Children {
		c.Long = n.Long
	}
}

// optional fills an Optional: the part's group when present, else only the
// button that adds it.
func (b *builder) optional(n *Node, rv reflect.Value, segs []string) {
	n.Kind = Optional
	n.Add = "Thêm " + lowerFirst(n.Label)
	if rv.IsNil() {
		return
	}
	n.Present = true
	g := b.node(rv.Elem(), n.Name, segs, nil, "")
	g.Label, g.Fact, g.FactMark, g.Removable = n.Label, n.Fact, n.FactMark, true
	n.Children = []*Node{g}
}

// list fills a List with its items, labelled "Giấy tờ 3: Tờ khai…".
func (b *builder) list(n *Node, rv reflect.Value, segs []string, inFlow bool) {
	n.Kind = List
	n.zeroBased = inFlow
	n.Add = "Thêm " + lowerFirst(n.Label)
	for i := 0; i < rv.Len(); i++ {
		item := b.node(rv.Index(i), join(n.Name, strconv.Itoa(i)), segs, nil, "")
		item.key = strconv.Itoa(i)
		item.id = itemID(rv.Index(i))
		item.Label = n.Label + " " + strconv.Itoa(i+1)
		if s := b.summary(rv.Index(i)); s != "" {
			item.Label += ": " + s
		}
		item.Removable = true
		item.MoveUp, item.MoveDown = i > 0, i < rv.Len()-1
		n.Children = append(n.Children, item)
	}
}

// tagSet makes n a box for each of the flow's tags: first those the rule
// has (or the refused form had ticked), in its order, so that saving the
// form rewrites nothing it did not change, then the others. A tag no
// answer sets any more stays, ticked and said to be so: lint reports it,
// the form must not drop it unseen.
func (b *builder) tagSet(n *Node, own []string) {
	n.Kind = Tags
	if b.opts.Values != nil {
		if vs, ok := b.opts.Values[n.Name]; ok {
			own = lines(strings.Join(vs, "\n"))
		}
	}
	for _, t := range own {
		c := Choice{Value: t, Label: `"` + t + `" (không câu trả lời nào đặt)`, Selected: true}
		if i := slices.IndexFunc(b.tags, func(c Choice) bool { return c.Value == t }); i >= 0 {
			c.Label = b.tags[i].Label
		}
		n.Choices = append(n.Choices, c)
	}
	for _, c := range b.tags {
		if !slices.Contains(own, c.Value) {
			n.Choices = append(n.Choices, c)
		}
	}
}

// posted is the value to show: the one posted again when Options.Values has
// it, else the value's own, tidied as a save will keep it — an invisible
// character the console would show as "�" is not shown, so it is not saved
// back as one.
func (b *builder) posted(name, own string) string {
	if b.opts.Values != nil {
		if vs, ok := b.opts.Values[name]; ok && len(vs) > 0 {
			return vs[0]
		}
	}
	return tidy(own)
}

// catalogueKey is the studio catalogue's key of a field: its YAML keys
// without indices, answers named apart from their questions, life events
// as "life", lessons and the course under their prefix; a case's documents
// and time fall back to the procedure's entries.
func (b *builder) catalogueKey(segs []string) string {
	s := make([]string, 0, len(segs))
	for i, seg := range segs {
		if seg == "questions" && slices.Contains(segs[i+1:], "answers") {
			continue
		}
		if b.life && i == 0 && seg == "life_events" {
			seg = "life"
		}
		s = append(s, seg)
	}
	for i := range s {
		if k := b.prefix + strings.Join(s[i:], "."); hasLabel(k) {
			return k
		}
	}
	return b.prefix + strings.Join(s, ".")
}

func hasLabel(key string) bool {
	_, ok := studio.Label(key)
	return ok
}

// label is the catalogue's label; a field it misses shows its YAML key
// (the tests refuse any).
func (b *builder) label(key string, segs []string) string {
	if l, ok := studio.Label(key); ok {
		return studio.UpperFirst(l)
	}
	if len(segs) == 0 {
		return ""
	}
	return segs[len(segs)-1]
}

func join(name, key string) string {
	if name == "" {
		return key
	}
	return name + "." + key
}

func sortedKeys(m reflect.Value) []string {
	keys := make([]string, 0, m.Len())
	for _, k := range m.MapKeys() {
		keys = append(keys, k.String())
	}
	slices.Sort(keys)
	return keys
}

// itemID is the id field of a list item, by which problems may name it.
func itemID(rv reflect.Value) string {
	if rv.Kind() != reflect.Struct {
		return ""
	}
	if f := rv.FieldByName("ID"); f.IsValid() && f.Kind() == reflect.String {
		return f.String()
	}
	return ""
}

// summary names a list item in its label: its id, name, title or text.
func (b *builder) summary(rv reflect.Value) string {
	if rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return ""
		}
		rv = rv.Elem()
	}
	if rv.Type() == textType {
		return ""
	}
	if rv.Kind() != reflect.Struct {
		return ""
	}
	for _, name := range []string{"ID", "Name", "Title", "Question", "Text", "Document", "URL", "Kind"} {
		f := rv.FieldByName(name)
		if !f.IsValid() {
			continue
		}
		s := ""
		switch {
		case f.Type() == textType:
			s = f.Interface().(lang.Text).Vi()
		case f.Kind() == reflect.String:
			s = f.String()
		}
		if w, ok := studio.CodeWord(s); ok && name == "Kind" {
			s = w
		}
		if s != "" {
			return clip(s) + b.condition(rv)
		}
	}
	return b.condition(rv)
}

// condition names the flow tags a rule applies under by the answers that
// set them: ` (khi “Đã quá 60 ngày”)`; by the tags themselves where the file
// has no flow to read them from.
func (b *builder) condition(rv reflect.Value) string {
	f := rv.FieldByName("If")
	if !f.IsValid() || f.Len() == 0 {
		return ""
	}
	tags := f.Interface().([]string)
	if b.when != nil {
		return " (" + b.when(tags) + ")"
	}
	return " (khi " + strings.Join(tags, ", ") + ")"
}

func clip(s string) string { return clipTo(s, 60) }

// clipTo shortens s to max runes and an ellipsis.
func clipTo(s string, max int) string {
	if r := []rune(s); len(r) > max {
		return string(r[:max]) + "…"
	}
	return s
}

func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return strings.ToLower(string(r)) + s[n:]
}

// focus marks the first input inside the node named name.
func focus(n *Node, name string) bool {
	if n.Name == name || strings.HasPrefix(n.Name, name+".") {
		if first := firstInput(n); first != nil {
			first.Focus = true
			return true
		}
	}
	for _, c := range n.Children {
		if focus(c, name) {
			return true
		}
	}
	return false
}

func firstInput(n *Node) *Node {
	switch n.Kind {
	case Group, List, Optional, TextSet:
		for _, c := range n.Children {
			if f := firstInput(c); f != nil {
				return f
			}
		}
		return nil
	}
	return n
}

// intText is a number as its box shows it. A zero the file leaves out
// (omitempty: a fee's amount, a time's days) is an empty box, not "0": an
// emptied amount came back as "0" and read as a fee of 0 đ (outside QA).
// Zero that means something (no copies) is shown.
func intText(v int64, omitted bool) string {
	if v == 0 && omitted {
		return ""
	}
	return strconv.FormatInt(v, 10)
}

// omitsZero reports whether the struct field named field of owner leaves a
// zero out of the YAML file.
func omitsZero(owner reflect.Type, field string) bool {
	if owner == nil || owner.Kind() != reflect.Struct {
		return false
	}
	f, ok := owner.FieldByName(field)
	if !ok {
		return false
	}
	_, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
	return slices.Contains(strings.Split(opts, ","), "omitempty")
}
