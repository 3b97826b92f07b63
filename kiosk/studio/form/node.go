package form

import (
	"net/url"

	"tramso/kiosk/content"
)

// Kind is what a node of a form is; Render draws each kind its own way.
type Kind string

// Kinds of node.
const (
	Group    Kind = "group"    // a struct: a fieldset of its fields
	List     Kind = "list"     // a list: its items, each with a "Bỏ" button, and a "Thêm …" button
	Optional Kind = "optional" // a part that may be absent (a case's own time, a practice screen)
	TextSet  Kind = "text"     // a text in every language: one input per language, side by side
	String   Kind = "string"
	Int      Kind = "int"
	Bool     Kind = "bool"
	Date     Kind = "date"
	Select   Kind = "select" // a closed set: document action, fee kind, time unit…
	Lines    Kind = "lines"  // a list of words or codes, one per line
	Tags     Kind = "tags"   // a rule's flow tags: a box for each answer that sets one
)

// Node is one field of a form, or a group or list of them.
type Node struct {
	Kind  Kind
	Name  string // the form name: YAML path with 0-based indices, "documents.2.name"
	Label string // Vietnamese; a list item's label numbers it from 1 and names it
	Fact  bool   // a change to it needs a source before approval (studio.IsFact)
	// FactMark: Fact and not inside a fact group, whose mark says it for all.
	FactMark bool
	Value    string // of a scalar, a text's language or the lines of a Lines node
	Lang     string // the language of a TextSet's child
	Long     bool   // drawn as a textarea
	// Choices of a Select, the current value among them.
	Choices []Choice
	// Problems are the lint problems and input errors about this field; at
	// the root, those that matched no field.
	Problems []string
	// Warnings say that a value looks like a slip (a fee ten times the
	// approved one): shown beside the field, never a refusal.
	Warnings []string
	// Children: a Group's fields, a List's items, an Optional's group when
	// present, a TextSet's languages.
	Children  []*Node
	Add       string // a List's or absent Optional's add button: "Thêm giấy tờ"
	Removable bool   // a list item or present Optional: has a "Bỏ" button
	MoveUp    bool   // a list item after the first: has "Lên trên"
	MoveDown  bool   // a list item before the last: has "Xuống dưới"
	Present   bool   // an Optional holds a value
	Focus     bool   // the first input after an add: autofocus

	// Is is Kind as flags, set by Render for its template (a field test is
	// much cheaper there than comparing strings).
	Is Is

	key       string // YAML key, or the item's index for list items
	id        string // a list item's id field, which problems name it by
	zeroBased bool   // a flow list: problems number its items from 0
	labelled  bool   // the catalogue names it (tests refuse a field it does not)
}

// Is says a node's kind, one flag per kind.
type Is struct {
	Group, List, Optional, TextSet, String, Int, Bool, Date, Select, Lines, Tags bool
}

func (n *Node) setIs() {
	n.Is = Is{Group: n.Kind == Group, List: n.Kind == List, Optional: n.Kind == Optional, TextSet: n.Kind == TextSet,
		String: n.Kind == String, Int: n.Kind == Int, Bool: n.Kind == Bool, Date: n.Kind == Date,
		Select: n.Kind == Select, Lines: n.Kind == Lines, Tags: n.Kind == Tags}
	for _, c := range n.Children {
		c.setIs()
	}
}

// Choice is one option of a Select, or one box of a Tags node.
type Choice struct {
	Value, Label string
	Selected     bool
}

// Options are what Build needs besides the value.
type Options struct {
	// Languages of the pack, Vietnamese first (pack.yaml); a language a text
	// already has is shown too. Empty means lang.Known.
	Languages []string
	// Problems are the lint problems of this file (content.Problem.Field
	// such as "documents[1].name", "flow.questions[age].audio"): each shows
	// beside the nearest field, those that match none at the top.
	Problems []content.Problem
	// Warnings are doubts about values, said in Vietnamese, by field as
	// Problems name them ("fees[2].amount"): shown beside the field as a
	// warning, not an error (studio.FeeDoubts).
	Warnings []content.Problem
	// Errors are the input errors Apply returned: beside their fields.
	Errors Errors
	// Values, when set, are the posted values to show again instead of the
	// value's own (after Apply refused them), so nothing typed is lost.
	Values url.Values
	// Focus is the name of a list item or part just added (Op.Path of an
	// add): its first input gets autofocus.
	Focus string
	// Procedures are the pack's procedures an answer may hand over to
	// (ProcedureChoices); nil leaves that field free text.
	Procedures []Choice
}

// Op is the button a posted form was sent with: add an item to a list (or
// an optional part) or remove one. Kind is "" when the form was saved.
type Op struct {
	Kind string // "add", "remove", "up", "down", "today" or "" (save)
	Path string // the list or part added to ("documents"), the item removed ("documents.2") or moved (its new place)
}
