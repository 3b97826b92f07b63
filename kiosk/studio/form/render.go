package form

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"
	"unicode/utf8"
)

// page draws a form's fields; the page around it (the form element, its
// CSRF field and save button) is the console's. No script and no style
// attribute: the console's CSP forbids both; classes are in admin.css
// ("Studio forms"). Every input has a label; problems are role=alert.
var page = template.Must(template.New("form").Funcs(template.FuncMap{"rows": rows, "problemIDs": problemIDs}).Parse(`{{define "probs"}}{{$n := .Name}}{{range $i, $p := .Problems}}<p class="sf-problem" role="alert" id="e-{{$n}}-{{$i}}">{{$p}}</p>{{end}}
{{- range $i, $w := .Warnings}}<p class="sf-warning" id="w-{{$n}}-{{$i}}"><strong>Xem lại:</strong> {{$w}}</p>{{end}}{{end}}
{{- define "invalid"}}{{if .Problems}} aria-invalid="true"{{end}}{{if or .Problems .Warnings}} aria-describedby="{{problemIDs .}}"{{end}}{{end}}
{{- define "fact"}}{{if .FactMark}} <span class="sf-fact">cần nguồn</span>{{end}}{{end}}
{{- define "remove"}}{{if or .Removable .MoveUp .MoveDown}}<div class="sf-item-actions">
{{- if .MoveUp}}<button class="sf-move" name="op" value="up:{{.Name}}" formnovalidate>↑ Lên trên<span class="visually-hidden"> {{.Label}}</span></button>{{end}}
{{- if .MoveDown}}<button class="sf-move" name="op" value="down:{{.Name}}" formnovalidate>↓ Xuống dưới<span class="visually-hidden"> {{.Label}}</span></button>{{end}}
{{- if .Removable}}<button class="sf-remove" name="op" value="remove:{{.Name}}" formnovalidate>Bỏ<span class="visually-hidden"> {{.Label}}</span></button>{{end}}</div>{{end}}{{end}}
{{- define "node"}}
{{- if .Is.Group}}<fieldset class="sf-group" id="f-{{.Name}}"><legend>{{.Label}}{{template "fact" .}}</legend>{{template "probs" .}}{{range .Children}}{{template "node" .}}{{end}}{{template "remove" .}}</fieldset>
{{else if .Is.List}}<fieldset class="sf-list" id="f-{{.Name}}"><legend>{{.Label}}{{template "fact" .}}</legend>{{template "probs" .}}<input type="hidden" name="len:{{.Name}}" value="{{len .Children}}">
{{range .Children}}{{template "node" .}}{{end}}<button class="sf-add" name="op" value="add:{{.Name}}" formnovalidate>{{.Add}}</button></fieldset>
{{else if .Is.Optional}}<input type="hidden" name="has:{{.Name}}" value="{{if .Present}}1{{else}}0{{end}}">
{{- if .Present}}{{template "probs" .}}{{range .Children}}{{template "node" .}}{{end}}{{else}}<div class="sf-absent" id="f-{{.Name}}"><span>{{.Label}}{{template "fact" .}}: chưa có</span> <button class="sf-add" name="op" value="add:{{.Name}}" formnovalidate>{{.Add}}</button>{{template "probs" .}}</div>
{{end}}
{{- else if .Is.TextSet}}<fieldset class="sf-text" id="f-{{.Name}}"><legend>{{.Label}}{{template "fact" .}}</legend>{{template "probs" .}}<div class="sf-langs">
{{- range .Children}}<div class="sf-lang"><label for="f-{{.Name}}">{{.Label}}</label>{{template "input" .}}{{template "probs" .}}</div>{{end}}</div>{{template "remove" .}}</fieldset>
{{else if .Is.Tags}}<fieldset class="sf-tags" id="f-{{.Name}}"><legend>{{.Label}}{{template "fact" .}}{{if .Choices}} <small>(đánh dấu các câu trả lời; không đánh dấu ô nào: mọi trường hợp)</small>{{end}}</legend>{{template "probs" .}}<input type="hidden" name="{{.Name}}" value="">
{{- $n := .}}{{range $i, $c := .Choices}}<div class="sf-field sf-check"><input type="checkbox" id="f-{{$n.Name}}-{{$i}}" name="{{$n.Name}}" value="{{.Value}}"{{if .Selected}} checked{{end}}{{template "invalid" $n}}{{if and $n.Focus (eq $i 0)}} autofocus{{end}}><label for="f-{{$n.Name}}-{{$i}}">{{.Label}}</label></div>
{{- else}}<p class="hint">Mọi trường hợp: chưa câu trả lời nào của thủ tục đặt điều kiện (ô “Đánh dấu” của câu trả lời), nên chưa có gì để chọn.</p>{{end}}</fieldset>
{{else if .Is.Bool}}<div class="sf-field sf-check"><input type="checkbox" id="f-{{.Name}}" name="{{.Name}}" value="1"{{if .Present}} checked{{end}}{{template "invalid" .}}{{if .Focus}} autofocus{{end}}><label for="f-{{.Name}}">{{.Label}}{{template "fact" .}}</label>{{template "probs" .}}</div>
{{else}}<div class="sf-field{{if or .Long (.Is.String)}} sf-wide{{end}}"><label for="f-{{.Name}}">{{.Label}}{{template "fact" .}}{{if .Is.Lines}} <small>(mỗi dòng một mục)</small>{{end}}</label>{{template "input" .}}{{template "probs" .}}</div>
{{end}}{{end}}
{{- define "input"}}
{{- if .Is.Select}}<select id="f-{{.Name}}" name="{{.Name}}"{{template "invalid" .}}{{if .Focus}} autofocus{{end}}>{{range .Choices}}<option value="{{.Value}}"{{if .Selected}} selected{{end}}>{{.Label}}</option>{{end}}</select>
{{- else if .Long}}<textarea id="f-{{.Name}}" name="{{.Name}}" rows="{{rows .}}"{{if .Lang}} lang="{{.Lang}}"{{end}}{{template "invalid" .}}{{if .Focus}} autofocus{{end}}>
{{.Value}}</textarea>
{{- else if .Is.Int}}<input id="f-{{.Name}}" name="{{.Name}}" value="{{.Value}}" inputmode="numeric" class="sf-num"{{template "invalid" .}}{{if .Focus}} autofocus{{end}}>
{{- else if .Is.Date}}<input type="date" id="f-{{.Name}}" name="{{.Name}}" value="{{.Value}}"{{template "invalid" .}}{{if .Focus}} autofocus{{end}}>
{{- if .Warnings}}<div class="sf-item-actions"><button class="sf-today secondary" name="op" value="today:{{.Name}}" formnovalidate>Sửa thành hôm nay</button></div>{{end}}
{{- else}}<input id="f-{{.Name}}" name="{{.Name}}" value="{{.Value}}"{{if .Lang}} lang="{{.Lang}}"{{end}}{{template "invalid" .}}{{if .Focus}} autofocus{{end}}>
{{- end}}{{end}}
{{- define "root"}}<div class="sf-form"><button class="visually-hidden" tabindex="-1" aria-hidden="true">Lưu phiên bản</button>{{if .Problems}}<div class="sf-top" id="f-problems">{{template "probs" .}}</div>{{end}}{{range .Children}}{{template "node" .}}{{end}}</div>{{end}}`))

// rows sizes a textarea to its text: 2 to 8 lines of about 45 characters
// (a language's column beside another).
func rows(n *Node) int {
	r := 1 + utf8.RuneCountInString(n.Value)/45
	for _, c := range n.Value {
		if c == '\n' {
			r++
		}
	}
	return min(max(r, 2), 8)
}

// problemIDs are the ids of n's problems and warnings, for its input's
// aria-describedby: a screen reader reads them with the field.
func problemIDs(n *Node) string {
	var ids []string
	for i := range n.Problems {
		ids = append(ids, fmt.Sprintf("e-%s-%d", n.Name, i))
	}
	for i := range n.Warnings {
		ids = append(ids, fmt.Sprintf("w-%s-%d", n.Name, i))
	}
	return strings.Join(ids, " ")
}

// Render draws the form of n (Build's root) as HTML fields; the page puts
// them in its own <form method="post"> with the CSRF field and a save
// button without name "op" (a post without "op" is a save). The fields
// start with a hidden default button that saves too: Enter in a field
// saves, as the page's own button does, rather than pressing the first "Bỏ"
// or "Thêm" (the first button in the form) — or showing the form again
// unsaved, as it once did, which looked like a save and lost the edit.
func Render(n *Node) template.HTML {
	n.setIs()
	var buf bytes.Buffer
	if err := page.ExecuteTemplate(&buf, "root", n); err != nil {
		// The template and Node are both this package's: an error is a bug.
		panic("form: render: " + err.Error())
	}
	return template.HTML(buf.String())
}
