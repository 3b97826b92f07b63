package flow

import (
	"fmt"
	"strings"
)

// Diagram draws f for the people who own the content: format "mermaid" (a
// flowchart for Markdown viewers) or "dot" (Graphviz). Questions are boxes,
// answers are labelled arrows, ends are rounded nodes. It draws broken flows
// too, so a content author can see what the linter complains about.
func Diagram(f *Flow, format string) (string, error) {
	if f == nil {
		return "", fmt.Errorf("flow diagram: no flow")
	}
	switch format {
	case "mermaid":
		return draw(f, mermaid), nil
	case "dot":
		return draw(f, dot), nil
	}
	return "", fmt.Errorf("flow diagram: format %q is not mermaid or dot", format)
}

// nodeIDs gives every question and end a safe node name, independent of the
// characters authors use in ids.
type nodeIDs map[string]string

func (n nodeIDs) of(key string) string {
	if id, ok := n[key]; ok {
		return id
	}
	id := fmt.Sprintf("n%d", len(n))
	n[key] = id
	return id
}

// edgeTarget names the node an answer leads to; broken answers go to a
// visible "nowhere" node.
func edgeTarget(a *Answer) (key, text string) {
	switch {
	case a.Next != "":
		return "q:" + a.Next, ""
	case a.ends() == 0:
		return "nowhere", "⚠ không dẫn tới đâu"
	}
	e := endName(a)
	switch {
	case a.Case != "":
		return e, "Trường hợp: " + a.Case
	case a.Procedure != "":
		return e, "Thủ tục " + a.Procedure
	}
	return e, "Hỏi cán bộ"
}

// notation is how one diagram language writes each part of a flow; draw
// walks the flow once for both, so the two diagrams always show the same graph.
type notation struct {
	head     func(flowID string) string
	question func(id, text string) string
	start    func(first string) string
	answer   func(from, to, text string) string
	end      func(id, text string) string
	tail     string
}

var mermaid = notation{
	head: func(flowID string) string { return fmt.Sprintf("flowchart TD\n  %%%% flow %s\n", mermaidText(flowID)) },
	question: func(id, text string) string {
		return fmt.Sprintf("  %s[\"%s\"]\n", id, mermaidText(text))
	},
	start: func(first string) string { return fmt.Sprintf("  start((Bắt đầu)) --> %s\n", first) },
	answer: func(from, to, text string) string {
		return fmt.Sprintf("  %s -- \"%s\" --> %s\n", from, mermaidText(text), to)
	},
	end: func(id, text string) string { return fmt.Sprintf("  %s([\"%s\"])\n", id, mermaidText(text)) },
}

var dot = notation{
	head: func(flowID string) string {
		return fmt.Sprintf("digraph %s {\n  rankdir=TB;\n  node [shape=box, fontname=\"Noto Sans\"];\n", dotQuote("flow "+flowID))
	},
	question: func(id, text string) string { return fmt.Sprintf("  %s [label=%s];\n", id, dotQuote(text)) },
	start: func(first string) string {
		return fmt.Sprintf("  start [shape=circle, label=\"Bắt đầu\"];\n  start -> %s;\n", first)
	},
	answer: func(from, to, text string) string {
		return fmt.Sprintf("  %s -> %s [label=%s];\n", from, to, dotQuote(text))
	},
	end: func(id, text string) string {
		return fmt.Sprintf("  %s [shape=box, style=rounded, label=%s];\n", id, dotQuote(text))
	},
	tail: "}\n",
}

func draw(f *Flow, n notation) string {
	var b strings.Builder
	ids := nodeIDs{}
	b.WriteString(n.head(f.ID))
	ends := map[string]string{}
	for _, q := range f.Questions {
		b.WriteString(n.question(ids.of("q:"+q.ID), label(q.Text, q.ID)))
	}
	if f.Start != "" {
		b.WriteString(n.start(ids.of("q:" + f.Start)))
	}
	for _, q := range f.Questions {
		for i := range q.Answers {
			a := &q.Answers[i]
			key, text := edgeTarget(a)
			if text != "" {
				ends[key] = text
			}
			b.WriteString(n.answer(ids.of("q:"+q.ID), ids.of(key), answerLabel(a)))
		}
	}
	for _, key := range sortedKeys(boolSet(ends)) {
		b.WriteString(n.end(ids.of(key), ends[key]))
	}
	b.WriteString(n.tail)
	return b.String()
}

// answerLabel is the answer's text and the tags it sets, which decide fees
// and documents: "Đã quá 60 ngày [late]".
func answerLabel(a *Answer) string {
	l := label(a.Text, a.ID)
	if len(a.Tags) > 0 {
		l += " [" + strings.Join(a.Tags, ", ") + "]"
	}
	return l
}

func boolSet(m map[string]string) map[string]bool {
	out := make(map[string]bool, len(m))
	for k := range m {
		out[k] = true
	}
	return out
}

// mermaidText escapes the characters that end a quoted Mermaid label.
func mermaidText(s string) string {
	return strings.NewReplacer(`"`, "#quot;", "\n", " ", "%%", "% %").Replace(s)
}

// dotQuote makes a Graphviz double-quoted string.
func dotQuote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s) + `"`
}
