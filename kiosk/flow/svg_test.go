package flow_test

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"tramso/kiosk/content"
	"tramso/kiosk/flow"
)

// svgBox is a node of a drawn flow: its key, its box and its words.
type svgBox struct {
	key        string
	x, y, w, h float64
	text       string
}

// parseSVG reads a drawing as XML (failing on anything that is not) and
// returns its node boxes and the attribute names used anywhere.
func parseSVG(t *testing.T, svg string) ([]svgBox, map[string]bool) {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(svg))
	var boxes []svgBox
	attrs := map[string]bool{}
	var cur *svgBox
	depth := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not XML: %v\n%s", err, svg)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			depth++
			for _, a := range el.Attr {
				attrs[a.Name.Local] = true
			}
			if el.Name.Local == "script" || el.Name.Local == "style" || el.Name.Local == "foreignObject" {
				t.Errorf("a <%s> element", el.Name.Local)
			}
			if el.Name.Local == "g" && attr(el, "data-node") != "" {
				boxes = append(boxes, svgBox{key: attr(el, "data-node")})
				cur = &boxes[len(boxes)-1]
			}
			if el.Name.Local == "rect" && cur != nil && cur.w == 0 {
				cur.x, cur.y, cur.w, cur.h = num(t, el, "x"), num(t, el, "y"), num(t, el, "width"), num(t, el, "height")
			}
		case xml.CharData:
			if cur != nil {
				cur.text += " " + string(el)
			}
		case xml.EndElement:
			depth--
			if el.Name.Local == "g" {
				cur = nil
			}
		}
	}
	return boxes, attrs
}

func attr(el xml.StartElement, name string) string {
	for _, a := range el.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func num(t *testing.T, el xml.StartElement, name string) float64 {
	var f float64
	if _, err := fmt.Sscan(attr(el, name), &f); err != nil {
		t.Fatalf("<%s %s=%q>: %v", el.Name.Local, name, attr(el, name), err)
	}
	return f
}

// words is s with runs of space made one, for comparing wrapped text.
func words(s string) string { return strings.Join(strings.Fields(s), " ") }

func overlap(a, b svgBox) bool {
	return a.x < b.x+b.w && b.x < a.x+a.w && a.y < b.y+b.h && b.y < a.y+a.h
}

// checkDrawing checks what every drawing must be: XML with no script or
// style, every question drawn with its Vietnamese words and answers, and no
// two boxes on top of each other.
func checkDrawing(t *testing.T, f *flow.Flow, svg string) []svgBox {
	t.Helper()
	boxes, attrs := parseSVG(t, svg)
	if attrs["style"] || attrs["onload"] || attrs["onclick"] {
		t.Errorf("%s: a style or script attribute", f.ID)
	}
	byKey := map[string]svgBox{}
	for _, b := range boxes {
		byKey[b.key] = b
	}
	for _, q := range f.Questions {
		b, ok := byKey["q:"+q.ID]
		if !ok {
			t.Errorf("%s: question %s is not drawn", f.ID, q.ID)
			continue
		}
		text := words(b.text)
		if want := words(q.Text.Vi()); !strings.Contains(strings.ReplaceAll(text, " ", ""), strings.ReplaceAll(want, " ", "")) {
			t.Errorf("%s: question %s reads %q, want %q", f.ID, q.ID, text, want)
		}
		for _, a := range q.Answers {
			if want := words(a.Text.Vi()); !strings.Contains(strings.ReplaceAll(text, " ", ""), strings.ReplaceAll(want, " ", "")) {
				t.Errorf("%s: question %s lacks its answer %q: %q", f.ID, q.ID, want, text)
			}
		}
	}
	for i := range boxes {
		if boxes[i].w <= 0 || boxes[i].h <= 0 {
			t.Errorf("%s: %s has no box", f.ID, boxes[i].key)
		}
		for j := i + 1; j < len(boxes); j++ {
			if overlap(boxes[i], boxes[j]) {
				t.Errorf("%s: %s and %s overlap: %+v %+v", f.ID, boxes[i].key, boxes[j].key, boxes[i], boxes[j])
			}
		}
	}
	return boxes
}

// Every flow of the starter content is drawn whole and readable.
func TestSVGStarterFlows(t *testing.T) {
	p, err := content.Load(content.Starter())
	if err != nil {
		t.Fatal(err)
	}
	refs := p.Flows()
	if len(refs) < 5 {
		t.Fatalf("the starter has %d flows", len(refs))
	}
	for _, ref := range refs {
		svg := flow.SVG(ref.Flow, nil)
		boxes := checkDrawing(t, ref.Flow, svg)
		if !strings.Contains(svg, "Bắt đầu") || len(boxes) < len(ref.Flow.Questions)+2 {
			t.Errorf("%s: %d boxes for %d questions", ref.File, len(boxes), len(ref.Flow.Questions))
		}
		for _, e := range ref.Flow.Ends() {
			found := false
			for _, b := range boxes {
				found = found || b.key == e
			}
			if !found {
				t.Errorf("%s: end %s is not drawn", ref.File, e)
			}
		}
	}
}

// A broken flow is drawn too, its faults in words; what authors type is
// text, never markup; an end is named as the caller says.
func TestSVGBrokenFlowAndEscaping(t *testing.T) {
	var f flow.Flow
	src := `
id: "x<y>"
start: a
questions:
  - id: a
    text: "Bé <b>sinh</b> & \"lớn\" chưa?"
    answers:
      - {id: yes, text: "Có", next: b}
      - {id: no, text: "Không", next: missing}
      - {id: lost, text: "Lạc"}
  - id: b
    text: "Câu hai"
    answers:
      - {id: back, text: "Quay lại", next: a}
      - {id: done, text: "Xong", case: giay-chung-sinh}
  - id: alone
    text: "Câu không ai hỏi tới"
    answers:
      - {id: s, text: "Hỏi", ask_staff: true}
`
	if err := yaml.Unmarshal([]byte(src), &f); err != nil {
		t.Fatal(err)
	}
	svg := flow.SVG(&f, func(end string) string {
		if end == "case:giay-chung-sinh" {
			return "Trường hợp: Có Giấy chứng sinh"
		}
		return ""
	})
	boxes := checkDrawing(t, &f, svg)
	if strings.Contains(svg, "<b>") || !strings.Contains(svg, "&lt;b&gt;sinh&lt;/b&gt; &amp;") {
		t.Errorf("author text is not escaped:\n%s", svg)
	}
	var all []string
	for _, b := range boxes {
		all = append(all, b.text)
	}
	text := words(strings.Join(all, " "))
	for _, want := range []string{"không dẫn tới đâu", "không có câu hỏi missing", "không tới được từ đầu", "Trường hợp: Có Giấy chứng sinh", "Hỏi cán bộ"} {
		if !strings.Contains(text, want) {
			t.Errorf("the drawing lacks %q: %s", want, text)
		}
	}
	if !strings.Contains(svg, `id="arrow-x_y_"`) {
		t.Error("the arrow marker's id is not made safe")
	}
	if len(boxes) != 8 { // start, 3 questions, nowhere, missing, case, staff
		t.Errorf("%d boxes, want 8", len(boxes))
	}
	if flow.SVG(nil, nil) != "" {
		t.Error("a drawing of no flow")
	}
}

// The starter's ends read as people name them, not as ids.
func TestSVGEndLabels(t *testing.T) {
	p, err := content.Load(content.Starter())
	if err != nil {
		t.Fatal(err)
	}
	label := p.FlowEndLabels("khai-sinh")
	if got := label("case:giay-chung-sinh"); !strings.HasPrefix(got, "Trường hợp: ") || strings.Contains(got, "giay-chung-sinh") {
		t.Errorf("case label %q", got)
	}
	if got := label("procedure:1.001193"); !strings.Contains(got, "(1.001193)") {
		t.Errorf("procedure label %q", got)
	}
	if got := label("ask_staff"); got != "" {
		t.Errorf("ask_staff label %q, want the default", got)
	}
	checkDrawing(t, p.Flow("khai-sinh"), flow.SVG(p.Flow("khai-sinh"), label))
}
