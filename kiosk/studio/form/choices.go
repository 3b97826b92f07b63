package form

import (
	"reflect"

	"tramso/kiosk/content"
	"tramso/kiosk/flow"
	"tramso/kiosk/studio"
)

// none is the word of an empty choice, by what empty means there.
const (
	noneAll   = "mọi cách nộp"
	noneGiven = "(chưa ghi)"
	noneChose = "(không chọn)"
	noneYet   = "(chưa chọn)"
)

// choices is the closed set of a struct field, or nil for free text.
func (b *builder) choices(owner reflect.Type, field string) []Choice {
	if owner == nil {
		return nil
	}
	switch owner {
	case reflect.TypeFor[content.Document]():
		if field == "Action" {
			return coded(content.DocActions, "")
		}
	case reflect.TypeFor[content.Fee]():
		switch field {
		case "Kind":
			return coded(content.FeeKinds, "")
		case "Channel":
			return coded(content.FeeChannels(), noneAll)
		case "Evidence":
			return coded(append([]string{""}, content.Evidences()...), noneGiven)
		}
	case reflect.TypeFor[content.Duration]():
		switch field {
		case "Unit":
			return coded(content.TimeUnits, "")
		case "Evidence":
			return coded(append([]string{""}, content.Evidences()...), noneGiven)
		}
	case reflect.TypeFor[content.Channel]():
		if field == "Kind" {
			return coded(content.ChannelKinds, "")
		}
	case reflect.TypeFor[content.Source](), reflect.TypeFor[content.Procedure]():
		if field == "Evidence" {
			return coded(content.Evidences(), "")
		}
	case reflect.TypeFor[content.Tutorial]():
		if field == "Module" {
			return coded(content.ModuleIDs, "")
		}
	case reflect.TypeFor[content.Module]():
		if field == "ID" {
			return coded(content.ModuleIDs, "")
		}
	case reflect.TypeFor[content.Element]():
		switch field {
		case "Kind":
			return coded(content.ElementKinds, "")
		case "Style":
			return coded(append([]string{""}, content.ElementStyles()...), "(thường)")
		}
	case reflect.TypeFor[flow.Flow]():
		if field == "Start" {
			return b.steps
		}
	case reflect.TypeFor[flow.Answer]():
		switch field {
		case "Channel":
			return coded(append([]string{""}, content.ChannelKinds...), noneChose)
		case "Next":
			return append([]Choice{{Value: "", Label: noneChose}}, b.steps...)
		case "Case":
			if b.cases != nil {
				return append([]Choice{{Value: "", Label: noneChose}}, b.cases...)
			}
		case "Procedure":
			if b.opts.Procedures != nil {
				return append([]Choice{{Value: "", Label: noneChose}}, b.opts.Procedures...)
			}
		}
	}
	return nil
}

// coded lists codes with their words; empty is the word of "".
func coded(codes []string, empty string) []Choice {
	out := make([]Choice, len(codes))
	for i, c := range codes {
		label, _ := studio.CodeWord(c)
		switch {
		case c == "":
			label = empty
		case label == "":
			label = c
		}
		out[i] = Choice{Value: c, Label: label}
	}
	return out
}

// withCurrent marks the current value, adding it when it is not one of the
// set (lint reports it; the form must not lose it). Nothing chosen yet is
// said so, first, not as a value missing from the list.
func withCurrent(set []Choice, current string) []Choice {
	out := make([]Choice, len(set), len(set)+1)
	copy(out, set)
	for i := range out {
		if out[i].Value == current {
			out[i].Selected = true
			return out
		}
	}
	if current == "" {
		return append([]Choice{{Value: "", Label: noneYet, Selected: true}}, out...)
	}
	return append(out, Choice{Value: current, Label: current + " (không có trong danh sách)", Selected: true})
}

// starts are the choices a new item of a list (or a part just added) starts
// with, where nearly every item says the same: a document is handed in far
// more often than only shown. A closed set with no start here starts
// unchosen, and lint asks for a choice.
var starts = map[reflect.Type]map[string]string{
	reflect.TypeFor[content.Document](): {"Action": content.HandIn},
}

// startNew gives a value just added its starting choices.
func startNew(rv reflect.Value) {
	for field, code := range starts[rv.Type()] {
		if f := rv.FieldByName(field); f.IsValid() && f.String() == "" {
			f.SetString(code)
		}
	}
}

// questionChoices are a flow's questions as targets: "paper: Bạn có Giấy…".
func questionChoices(qs []flow.Question) []Choice {
	out := make([]Choice, 0, len(qs))
	for _, q := range qs {
		out = append(out, Choice{Value: q.ID, Label: q.ID + ": " + clipTo(q.Text.Vi(), 40)})
	}
	return out
}

// ProcedureChoices are a pack's procedures as answer targets, by code and
// plain name: "1.001193: Đăng ký khai sinh".
func ProcedureChoices(ps []content.Procedure) []Choice {
	out := make([]Choice, 0, len(ps))
	for _, p := range ps {
		name := p.PlainName.Vi()
		if name == "" {
			name = p.Name
		}
		out = append(out, Choice{Value: p.Code, Label: p.Code + ": " + clipTo(name, 50)})
	}
	return out
}

// caseChoices are a procedure's cases as answer targets.
func caseChoices(cs []content.Case) []Choice {
	out := make([]Choice, 0, len(cs))
	for _, c := range cs {
		out = append(out, Choice{Value: c.ID, Label: c.ID + ": " + clipTo(c.Name.Vi(), 40)})
	}
	return out
}
