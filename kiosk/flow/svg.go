package flow

import (
	"encoding/xml"
	"fmt"
	"slices"
	"strings"
)

// SVG draws f as a picture the console shows beside the flow's form, with
// no script and no style element or attribute (the console's policy allows
// neither): only SVG presentation attributes. Each question is a box with
// its answers as rows; an arrow leaves each answer's row for the question or
// the end it leads to. Rows of boxes go down by distance from the start (the
// longest way there, so every arrow of a flow without loops points down);
// ends are rounded boxes: a case, another procedure, "ask the staff", or a
// red "leads nowhere". Questions the start cannot reach are drawn with a
// dashed red border. Broken flows are drawn too, like Diagram.
//
// endLabel names an end for people ("case:giay-chung-sinh" → "Trường hợp: Có
// Giấy chứng sinh"); nil, or "" for an end, keeps the short default.
func SVG(f *Flow, endLabel func(end string) string) string {
	if f == nil {
		return ""
	}
	d := layout(f, endLabel)
	return d.render(f.ID)
}

// Sizes, in SVG user units (CSS pixels at scale 1).
const (
	svgMargin     = 16
	svgGapX       = 48 // between boxes of a row: room for the arrows leaving a box
	svgGapY       = 56 // between rows: room for the arrows
	svgPad        = 10 // inside a box
	svgQuestionW  = 300
	svgEndW       = 200
	svgStartR     = 30
	svgLineH      = 18 // a line of question text (14 px type)
	svgRowLineH   = 17 // a line of an answer (13 px type)
	svgQuestionCh = 34 // characters per line of a question box…
	svgAnswerCh   = 36 // …of an answer row (after the arrow sign)
	svgEndCh      = 24 // …of an end box
)

// svgNode is a box of the drawing.
type svgNode struct {
	key      string // "start", "q:<id>", or an end key (endName, "nowhere")
	kind     string // start, question, unreachable, case, procedure, staff, nowhere
	title    []string
	rows     [][]string // a question's answers, each wrapped
	rowY     []int      // the middle of each answer row, from the box's top
	layer    int
	order    int // first-seen order, to break ties
	x, y     int
	w, h     int
	incoming []*svgNode
}

// svgEdge is an arrow from a question's answer row (row -1: the start).
type svgEdge struct {
	from *svgNode
	row  int
	to   *svgNode
}

type svgDrawing struct {
	nodes  []*svgNode
	edges  []svgEdge
	layers [][]*svgNode
	w, h   int
}

func layout(f *Flow, endLabel func(string) string) *svgDrawing {
	d := &svgDrawing{}
	byKey := map[string]*svgNode{}
	node := func(key string) *svgNode {
		if n, ok := byKey[key]; ok {
			return n
		}
		n := &svgNode{key: key, order: len(d.nodes)}
		byKey[key] = n
		d.nodes = append(d.nodes, n)
		return n
	}
	start := node("start")
	start.kind, start.title, start.w, start.h = "start", []string{"Bắt đầu"}, 2*svgStartR, 2*svgStartR
	for i := range f.Questions {
		q := &f.Questions[i]
		n := node("q:" + q.ID)
		n.kind, n.title = "question", wrap(label(q.Text, q.ID), svgQuestionCh)
		for j := range q.Answers {
			n.rows = append(n.rows, wrap(answerLabel(&q.Answers[j]), svgAnswerCh))
		}
	}
	if f.Start != "" {
		d.edges = append(d.edges, svgEdge{from: start, row: -1, to: node("q:" + f.Start)})
	}
	texts := map[string]string{}
	for i := range f.Questions {
		q := &f.Questions[i]
		for j := range q.Answers {
			key, text := edgeTarget(&q.Answers[j])
			texts[key] = text
			d.edges = append(d.edges, svgEdge{from: byKey["q:"+q.ID], row: j, to: node(key)})
		}
	}
	for _, n := range d.nodes {
		if n.kind == "" { // an end, or a question the flow lacks
			n.kind, n.title = endKind(n.key), wrap(endText(n.key, texts[n.key], endLabel), svgEndCh)
		}
	}
	for _, e := range d.edges {
		e.to.incoming = append(e.to.incoming, e.from)
	}
	d.size()
	d.assignLayers(start)
	d.place()
	return d
}

// endKind is how an end is drawn.
func endKind(key string) string {
	switch {
	case strings.HasPrefix(key, "case:"):
		return "case"
	case strings.HasPrefix(key, "procedure:"):
		return "procedure"
	case key == "ask_staff":
		return "staff"
	}
	return "nowhere" // "nowhere", or a next question the flow lacks
}

func endText(key, text string, endLabel func(string) string) string {
	if endLabel != nil && key != "nowhere" {
		if l := endLabel(key); l != "" {
			return l
		}
	}
	if text == "" { // a next question the flow does not have
		return "⚠ không có câu hỏi " + strings.TrimPrefix(key, "q:")
	}
	return text
}

// size gives each box its width and height from its wrapped text.
func (d *svgDrawing) size() {
	for _, n := range d.nodes {
		switch n.kind {
		case "start":
		case "question":
			n.w = svgQuestionW
			y := svgPad + len(n.title)*svgLineH + svgPad/2
			for _, r := range n.rows {
				h := len(r)*svgRowLineH + 8
				n.rowY = append(n.rowY, y+h/2)
				y += h
			}
			n.h = y + svgPad/2
		default:
			n.w, n.h = svgEndW, 2*svgPad+len(n.title)*svgRowLineH
		}
	}
}

// assignLayers puts the start on row 0 and every other box one row below
// the lowest box that leads to it, ignoring the arrows that close a loop
// (found by a depth-first walk). Boxes the start cannot reach are walked
// from afterwards, in the flow's order, and marked.
func (d *svgDrawing) assignLayers(start *svgNode) {
	out := map[*svgNode][]*svgNode{}
	for _, e := range d.edges {
		out[e.from] = append(out[e.from], e.to)
	}
	const (
		unseen = iota
		open
		done
	)
	state := map[*svgNode]int{}
	var post []*svgNode // reverse topological order of the walk
	back := map[[2]*svgNode]bool{}
	var visit func(n *svgNode)
	visit = func(n *svgNode) {
		state[n] = open
		for _, m := range out[n] {
			switch state[m] {
			case unseen:
				visit(m)
			case open:
				back[[2]*svgNode{n, m}] = true
			}
		}
		state[n] = done
		post = append(post, n)
	}
	visit(start)
	for _, n := range d.nodes {
		if state[n] == unseen {
			if n.kind == "question" {
				n.kind = "unreachable"
			}
			n.layer = 1 // beside the first question, not the start
			visit(n)
		}
	}
	for i := len(post) - 1; i >= 0; i-- {
		n := post[i]
		for _, m := range out[n] {
			if !back[[2]*svgNode{n, m}] && m.layer < n.layer+1 {
				m.layer = n.layer + 1
			}
		}
	}
	for _, n := range d.nodes {
		for len(d.layers) <= n.layer {
			d.layers = append(d.layers, nil)
		}
		d.layers[n.layer] = append(d.layers[n.layer], n)
	}
}

// place orders each row by where the boxes leading to it sit (fewer
// crossings), then gives every box its position, each row centred.
func (d *svgDrawing) place() {
	y := svgMargin
	widths := make([]int, len(d.layers))
	for i, row := range d.layers {
		if i > 0 {
			slices.SortStableFunc(row, func(a, b *svgNode) int { return barycentre(a) - barycentre(b) })
		}
		x, h := 0, 0
		for _, n := range row {
			n.x, n.y = x, y
			x += n.w + svgGapX
			h = max(h, n.h)
		}
		widths[i] = x - svgGapX
		y += h + svgGapY
		d.w = max(d.w, widths[i])
	}
	for i, row := range d.layers {
		shift := svgMargin + (d.w-widths[i])/2
		for _, n := range row {
			n.x += shift
		}
	}
	d.w += 2 * svgMargin
	d.h = y - svgGapY + svgMargin
}

// barycentre is the mean centre of the boxes above that lead to n (boxes
// of earlier rows are placed already), or its first-seen order when none.
func barycentre(n *svgNode) int {
	sum, count := 0, 0
	for _, m := range n.incoming {
		if m.layer < n.layer {
			sum += m.x + m.w/2
			count++
		}
	}
	if count == 0 {
		return n.order * svgGapX
	}
	return sum / count
}

// Colours: readable on white, the kinds of end told apart by more than hue
// (the words inside say which end it is).
var svgFill = map[string]string{
	"start": "#1d4f91", "question": "#ffffff", "unreachable": "#ffffff",
	"case": "#e3f1e6", "procedure": "#e4ecf7", "staff": "#fdf0d5", "nowhere": "#fbe3e1",
}

var svgStroke = map[string]string{
	"start": "#1d4f91", "question": "#3c4650", "unreachable": "#b3261e",
	"case": "#2e7d32", "procedure": "#1d4f91", "staff": "#8a5a00", "nowhere": "#b3261e",
}

func (d *svgDrawing) render(flowID string) string {
	var b strings.Builder
	marker := "arrow-" + svgID(flowID)
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="flow-diagram" viewBox="0 0 %d %d" width="%d" height="%d" role="img" font-family="Noto Sans, sans-serif">`,
		d.w, d.h, d.w, d.h)
	fmt.Fprintf(&b, `<title>Sơ đồ câu hỏi %s</title>`, esc(flowID))
	fmt.Fprintf(&b, `<defs><marker id="%s" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#3c4650"/></marker></defs>`, marker)
	// Arrows first: a box drawn later hides an arrow that passes behind it.
	b.WriteString(`<g fill="none" stroke="#3c4650" stroke-width="1.5">`)
	for _, e := range d.edges {
		fmt.Fprintf(&b, `<path d="%s" marker-end="url(#%s)"/>`, e.path(), marker)
	}
	b.WriteString(`</g>`)
	for _, n := range d.nodes {
		n.render(&b)
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// path leaves the answer's row to the right, runs down the gap beside its
// box (each row a little further out, so the arrows stay apart) to below
// the box, then bends to the top of the box it leads to, or to that box's
// right side when it is not below.
func (e svgEdge) path() string {
	if e.row < 0 { // the start, a circle above the first question
		sx, sy := e.from.x+e.from.w/2, e.from.y+e.from.h
		tx, ty := e.to.x+e.to.w/2, e.to.y-2
		return fmt.Sprintf("M%d,%d C%d,%d %d,%d %d,%d", sx, sy, sx, sy+svgGapY/2, tx, ty-svgGapY/2, tx, ty)
	}
	sx, sy := e.from.x+e.from.w, e.from.y+e.from.rowY[e.row]
	gx := sx + 8 + 5*min(e.row, 5)
	if e.to.layer > e.from.layer {
		by := e.from.y + e.from.h + 8
		tx, ty := e.to.x+e.to.w/2, e.to.y-2
		return fmt.Sprintf("M%d,%d H%d V%d C%d,%d %d,%d %d,%d", sx, sy, gx, by, gx, by+svgGapY/2, tx, ty-svgGapY/2, tx, ty)
	}
	tx, ty := e.to.x+e.to.w+2, e.to.y+e.to.h/2
	return fmt.Sprintf("M%d,%d H%d C%d,%d %d,%d %d,%d", sx, sy, gx, gx+svgGapX, sy, tx+svgGapX, ty, tx, ty)
}

func (n *svgNode) render(b *strings.Builder) {
	fill, stroke := svgFill[n.kind], svgStroke[n.kind]
	fmt.Fprintf(b, `<g data-node="%s">`, esc(n.key))
	if n.kind == "start" {
		fmt.Fprintf(b, `<rect x="%d" y="%d" width="%d" height="%d" rx="%d" fill="%s" stroke="%s"/>`, n.x, n.y, n.w, n.h, svgStartR, fill, stroke)
		fmt.Fprintf(b, `<text x="%d" y="%d" text-anchor="middle" font-size="13" font-weight="700" fill="#ffffff">Bắt đầu</text></g>`,
			n.x+n.w/2, n.y+n.h/2+5)
		return
	}
	rx, dash := 4, ""
	if n.kind != "question" && n.kind != "unreachable" {
		rx = 14
	}
	if n.kind == "unreachable" || n.kind == "nowhere" {
		dash = ` stroke-dasharray="6 4"`
	}
	fmt.Fprintf(b, `<rect x="%d" y="%d" width="%d" height="%d" rx="%d" fill="%s" stroke="%s" stroke-width="2"%s/>`,
		n.x, n.y, n.w, n.h, rx, fill, stroke, dash)
	if n.kind != "question" && n.kind != "unreachable" {
		lines(b, n.title, n.x+n.w/2, n.y+svgPad+13, svgRowLineH, `text-anchor="middle" font-size="13"`)
		b.WriteString(`</g>`)
		return
	}
	lines(b, n.title, n.x+svgPad, n.y+svgPad+14, svgLineH, `font-size="14" font-weight="700" fill="#1b1f24"`)
	for i, r := range n.rows {
		top := n.y + n.rowY[i] - (len(r)*svgRowLineH+8)/2
		fmt.Fprintf(b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#c9d1d9"/>`, n.x, top, n.x+n.w, top)
		r = slices.Clone(r)
		r[0] = "→ " + r[0]
		lines(b, r, n.x+svgPad, top+4+13, svgRowLineH, `font-size="13" fill="#1b1f24"`)
	}
	if n.kind == "unreachable" {
		fmt.Fprintf(b, `<text x="%d" y="%d" font-size="12" fill="#b3261e">⚠ không tới được từ đầu</text>`, n.x, n.y-4)
	}
	b.WriteString(`</g>`)
}

// lines writes text as one <text> of lines, each a <tspan>.
func lines(b *strings.Builder, text []string, x, y, lineH int, attrs string) {
	fmt.Fprintf(b, `<text x="%d" y="%d" %s>`, x, y, attrs)
	for i, l := range text {
		dy := 0
		if i > 0 {
			dy = lineH
		}
		fmt.Fprintf(b, `<tspan x="%d" dy="%d">%s</tspan>`, x, dy, esc(l))
	}
	b.WriteString(`</text>`)
}

// wrap breaks s into lines of at most width characters at spaces; a longer
// word is cut.
func wrap(s string, width int) []string {
	var out []string
	line := ""
	for _, w := range strings.Fields(s) {
		for r := []rune(w); len(r) > width; r = []rune(w) {
			if line != "" {
				out, line = append(out, line), ""
			}
			out, w = append(out, string(r[:width])), string(r[width:])
		}
		switch {
		case line == "":
			line = w
		case len([]rune(line))+1+len([]rune(w)) <= width:
			line += " " + w
		default:
			out, line = append(out, line), w
		}
	}
	if line != "" || len(out) == 0 {
		out = append(out, line)
	}
	return out
}

// esc escapes text for XML; characters XML cannot hold become U+FFFD.
func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// svgID makes a flow id safe inside an XML id and a url(#…) reference.
func svgID(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, s)
}
