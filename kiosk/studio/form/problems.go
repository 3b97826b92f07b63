package form

import (
	"strconv"
	"strings"
	"tramso/kiosk/studio"
)

// FieldError is an input Apply could not take: a number that is not one.
type FieldError struct {
	Name    string // the form name of the field
	Message string // Vietnamese, naming the field
}

// Errors are every input error of one posted form.
type Errors []FieldError

func (es Errors) Error() string {
	msgs := make([]string, len(es))
	for i, e := range es {
		msgs[i] = e.Message
	}
	return strings.Join(msgs, "; ")
}

// attachProblems puts each lint problem, warning and input error beside its
// field. A field with an input error shows only that: the lint problem
// beside it is about the value saved before, not what was just typed
// ("3000đ" was told both "cần ghi số tiền" and "phải là một số": outside
// QA s27, finding 8).
func attachProblems(root *Node, opts Options) {
	typed := map[*Node]bool{}
	for _, e := range opts.Errors {
		n := byName(root, e.Name)
		if n == nil {
			n = root
		}
		n.Problems = append(n.Problems, e.Message)
		typed[n] = true
	}
	for _, p := range opts.Problems {
		n := nearest(root, p.Field)
		if typed[n] && n != root {
			continue
		}
		n.Problems = append(n.Problems, studio.ProblemText(p.Message))
	}
	for _, w := range opts.Warnings {
		n := nearest(root, w.Field)
		n.Warnings = append(n.Warnings, w.Message)
	}
}

// nearest is the node a lint problem's field names, or the deepest one on
// its way: "cases[2].documents[1].name" (content numbers items from 1),
// "flow.questions[age].answers[late].next" (flow names them by id, or
// numbers them from 0), "resume_text.en".
func nearest(root *Node, field string) *Node {
	n := root
	for _, seg := range splitField(field) {
		next := child(n, seg.key)
		if next == nil {
			return n
		}
		n = next
		if seg.item == "" {
			continue
		}
		item := listItem(n, seg.item)
		if item == nil {
			return n
		}
		n = item
	}
	return n
}

type segment struct{ key, item string }

// splitField splits "flow.questions[age].audio" into its keys and items.
func splitField(field string) []segment {
	var out []segment
	for _, part := range strings.Split(field, ".") {
		if part == "" {
			continue
		}
		key, item, _ := strings.Cut(part, "[")
		out = append(out, segment{key: key, item: strings.TrimSuffix(item, "]")})
	}
	return out
}

// child is n's field with YAML key key, looking through an Optional.
func child(n *Node, key string) *Node {
	if n.Kind == Optional && len(n.Children) == 1 {
		n = n.Children[0]
	}
	for _, c := range n.Children {
		if c.key == key {
			return c
		}
	}
	return nil
}

// listItem is the item of list n that item names: a number (from 1, or
// from 0 in a flow) or an id.
func listItem(n *Node, item string) *Node {
	if n.Kind != List {
		return nil
	}
	if i, err := strconv.Atoi(item); err == nil {
		if !n.zeroBased {
			i--
		}
		if i >= 0 && i < len(n.Children) {
			return n.Children[i]
		}
		return nil
	}
	for _, c := range n.Children {
		if c.id == item {
			return c
		}
	}
	return nil
}

// byName is the node with form name name, or nil.
func byName(n *Node, name string) *Node {
	if n.Name == name {
		return n
	}
	for _, c := range n.Children {
		if c.Name == name || strings.HasPrefix(name, c.Name+".") || c.Name == "" {
			if found := byName(c, name); found != nil {
				return found
			}
		}
	}
	return nil
}
