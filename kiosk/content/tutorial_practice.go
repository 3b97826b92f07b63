package content

import (
	"fmt"
	"slices"
	"strings"
)

// Practice is a safe imitation of a phone screen, drawn by the UI from this
// description. The learner taps one of the correct elements; any other
// tappable element shows its hint (or the practice's) and highlights the right
// one. Nothing real happens, and the player always says so.
type Practice struct {
	Elements []Element `yaml:"elements"`
	Hint     Text      `yaml:"hint"`  // after a wrong tap, unless the element has its own
	Right    Text      `yaml:"right"` // after the right tap
}

// Element is one thing on a practice screen.
type Element struct {
	Kind    string `yaml:"kind"`
	Text    Text   `yaml:"text"`
	Label   Text   `yaml:"label"` // input: field name; item: second line; bubble: sender
	Value   Text   `yaml:"value"` // input: what is shown filled in
	Style   string `yaml:"style"`
	Correct bool   `yaml:"correct"`
	Hint    Text   `yaml:"hint"` // after tapping this element when it is wrong
}

// Element kinds, and which of them the learner can tap.
var (
	ElementKinds    = []string{"status", "title", "text", "input", "button", "item", "bubble", "link"}
	tappableKinds   = []string{"input", "button", "item", "bubble", "link"}
	elementStyles   = map[string][]string{"text": {"big", "warn", "muted"}, "button": {"primary", "danger"}, "bubble": {"in", "out"}, "title": {"back"}}
	maxElements     = 16
	elementsNeeding = map[string]bool{"title": true, "text": true, "button": true, "item": true, "bubble": true, "link": true}
)

// ElementStyles is every style some element kind takes, sorted, for the
// studio's forms (lint checks each kind's own).
func ElementStyles() []string {
	var out []string
	for _, styles := range elementStyles {
		out = append(out, styles...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Tappable says whether the learner can tap an element of this kind.
func Tappable(kind string) bool { return slices.Contains(tappableKinds, kind) }

func (c lessonChecker) practice(n int, p *Practice) {
	where := fmt.Sprintf("step %d: practice: ", n)
	field := fmt.Sprintf("steps[%d].practice", n)
	if len(p.Elements) == 0 {
		c.add(field+".elements", where+"has no elements")
		return
	}
	if len(p.Elements) > maxElements {
		c.add(field+".elements", where+"has %d elements; a phone screen shows at most %d", len(p.Elements), maxElements)
	}
	c.text(field+".hint", p.Hint, true)
	c.text(field+".right", p.Right, true)
	correct := 0
	for i, e := range p.Elements {
		ef := fmt.Sprintf("%s.elements[%d]", field, i+1)
		ew := fmt.Sprintf("%selement %d (%s): ", where, i+1, e.Kind)
		if !slices.Contains(ElementKinds, e.Kind) {
			c.add(ef+".kind", ew+"unknown kind; use one of %s", strings.Join(ElementKinds, ", "))
			continue
		}
		if e.Style != "" && !slices.Contains(elementStyles[e.Kind], e.Style) {
			c.add(ef+".style", ew+"style %q is not one of %v", e.Style, elementStyles[e.Kind])
		}
		if elementsNeeding[e.Kind] && len(e.Text) == 0 {
			c.add(ef+".text", ew+"text is required")
		}
		if e.Kind == "input" && len(e.Label) == 0 {
			c.add(ef+".label", ew+"an input needs a label")
		}
		c.text(ef+".text", e.Text, e.Kind != "status" && e.Kind != "input")
		c.text(ef+".label", e.Label, false)
		c.text(ef+".value", e.Value, false)
		c.text(ef+".hint", e.Hint, false)
		if e.Correct {
			if !Tappable(e.Kind) {
				c.add(ef+".correct", ew+"a %s cannot be tapped, so it cannot be the correct target", e.Kind)
				continue
			}
			correct++
		}
	}
	if correct == 0 {
		c.add(field, where+"has no correct target; mark the control to tap with correct: true")
	}
}
