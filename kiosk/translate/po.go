// Package translate moves resident-visible text in and out of gettext PO
// files, so native speakers can translate the kiosk in Poedit or Weblate:
// Export writes every shell line and content text of a pack source folder
// with its Vietnamese source, Import checks a translated file and writes it
// back into the folder (content YAML and a shell catalogue that travels in the
// pack), Status counts what is translated.
//
// The PO reader and writer are our own: the Go gettext libraries read PO
// files into lookup tables, but import must name the line of every problem and
// export must write translator comments, which none of them offers.
package translate

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Entry is one PO message.
type Entry struct {
	Comments []string // "#." translator comments, without the marker
	Ref      string   // "#:" reference
	Fuzzy    bool
	Ctxt     string
	ID       string
	Str      string
	Line     int // line of its first keyword (msgctxt) in the file read, 1-based
	StrLine  int // line of its msgstr
}

// File is a PO file: its header fields and messages.
type File struct {
	Header  []string // "Name: value" lines of the header entry
	Entries []Entry
}

// Write writes f as a PO file. Long and multi-line strings are split after
// each newline, as msgfmt and Poedit write them.
func (f *File) Write(w io.Writer) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("msgid \"\"\nmsgstr \"\"\n")
	for _, h := range f.Header {
		fmt.Fprintf(bw, "%s\n", quote(h+"\n"))
	}
	for _, e := range f.Entries {
		bw.WriteString("\n")
		for _, c := range e.Comments {
			fmt.Fprintf(bw, "#. %s\n", c)
		}
		if e.Ref != "" {
			fmt.Fprintf(bw, "#: %s\n", e.Ref)
		}
		if e.Fuzzy {
			bw.WriteString("#, fuzzy\n")
		}
		writeString(bw, "msgctxt", e.Ctxt)
		writeString(bw, "msgid", e.ID)
		writeString(bw, "msgstr", e.Str)
	}
	return bw.Flush()
}

func writeString(w *bufio.Writer, kw, s string) {
	if !strings.Contains(strings.TrimSuffix(s, "\n"), "\n") {
		fmt.Fprintf(w, "%s %s\n", kw, quote(s))
		return
	}
	fmt.Fprintf(w, "%s \"\"\n", kw)
	for _, part := range strings.SplitAfter(s, "\n") {
		if part != "" {
			fmt.Fprintf(w, "%s\n", quote(part))
		}
	}
}

// quote writes s as a PO string: C escapes for backslash, quote, newline, tab.
func quote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\t", `\t`, "\r", `\r`)
	return `"` + r.Replace(s) + `"`
}

// unquote reads one PO string literal.
func unquote(s string) (string, error) {
	if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
		return "", fmt.Errorf("expected a quoted string, found %s", s)
	}
	var b strings.Builder
	in := s[1 : len(s)-1]
	for i := 0; i < len(in); i++ {
		c := in[i]
		if c == '"' {
			return "", fmt.Errorf("unescaped quote in %s", s)
		}
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		i++
		if i == len(in) {
			return "", fmt.Errorf("string ends in a backslash: %s", s)
		}
		switch in[i] {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case '\\', '"':
			b.WriteByte(in[i])
		default:
			return "", fmt.Errorf("unknown escape \\%c in %s", in[i], s)
		}
	}
	return b.String(), nil
}

// ParseError is a PO syntax problem at a line.
type ParseError struct {
	Line int
	Msg  string
}

func (e *ParseError) Error() string { return "line " + strconv.Itoa(e.Line) + ": " + e.Msg }

// Parse reads a PO file. Plural forms and obsolete (#~) entries are not part
// of what export writes and are refused or skipped.
func Parse(r io.Reader) (*File, error) {
	p := parser{f: &File{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		p.line++
		if !utf8.Valid(sc.Bytes()) {
			return nil, &ParseError{Line: p.line, Msg: notUTF8}
		}
		if err := p.feed(strings.TrimSpace(sc.Text())); err != nil {
			return nil, &ParseError{Line: p.line, Msg: err.Error()}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	p.flush()
	if cs := charset(p.f.HeaderValue("Content-Type")); cs != "" && !strings.EqualFold(cs, "UTF-8") {
		return nil, &ParseError{Line: 1, Msg: "the header says charset=" + cs + "; " + notUTF8}
	}
	return p.f, nil
}

// notUTF8 says what to do with a file in another encoding. Office PCs still
// save Vietnamese in TCVN3, VNI or Windows-1258; read as UTF-8, their letters
// would reach the kiosk as "�".
const notUTF8 = "the file is not UTF-8: save it as UTF-8 (Poedit and msgcat do) and import it again"

// charset is the charset of a Content-Type header value ("" if none).
func charset(contentType string) string {
	for _, part := range strings.Split(contentType, ";") {
		if k, v, ok := strings.Cut(strings.TrimSpace(part), "="); ok && strings.EqualFold(k, "charset") {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

type parser struct {
	f       *File
	line    int
	cur     Entry
	started bool    // cur has a keyword
	target  *string // the string continuation lines append to
}

func (p *parser) feed(l string) error {
	switch {
	case l == "":
		p.flush()
	case strings.HasPrefix(l, "#~"):
		// obsolete entry: ignored, as Poedit and msgfmt do
	case strings.HasPrefix(l, "#"):
		if p.started {
			p.flush()
		}
		switch {
		case strings.HasPrefix(l, "#,"):
			for _, flag := range strings.Split(l[2:], ",") {
				if strings.TrimSpace(flag) == "fuzzy" {
					p.cur.Fuzzy = true
				}
			}
		case strings.HasPrefix(l, "#."):
			p.cur.Comments = append(p.cur.Comments, strings.TrimSpace(l[2:]))
		case strings.HasPrefix(l, "#:"):
			p.cur.Ref = strings.TrimSpace(l[2:])
		}
	case strings.HasPrefix(l, `"`):
		if p.target == nil {
			return fmt.Errorf("a string with no msgid, msgstr or msgctxt before it")
		}
		s, err := unquote(l)
		if err != nil {
			return err
		}
		*p.target += s
	default:
		return p.keyword(l)
	}
	return nil
}

func (p *parser) keyword(l string) error {
	kw, rest, _ := strings.Cut(l, " ")
	s, err := unquote(strings.TrimSpace(rest))
	if err != nil {
		return err
	}
	if kw == "msgctxt" && p.started {
		p.flush()
	}
	if p.cur.Line == 0 {
		p.cur.Line = p.line
	}
	p.started = true
	switch kw {
	case "msgctxt":
		p.cur.Ctxt, p.target = s, &p.cur.Ctxt
	case "msgid":
		if p.target == &p.cur.ID || p.target == &p.cur.Str {
			p.flush()
			p.cur.Line, p.started = p.line, true
		}
		p.cur.ID, p.target = s, &p.cur.ID
	case "msgstr":
		p.cur.Str, p.target, p.cur.StrLine = s, &p.cur.Str, p.line
	case "msgid_plural", "msgstr[0]":
		return fmt.Errorf("plural forms are not used by this kiosk's texts")
	default:
		return fmt.Errorf("unknown keyword %q", kw)
	}
	return nil
}

func (p *parser) flush() {
	if p.started {
		if p.cur.ID == "" && p.cur.Ctxt == "" {
			for _, h := range strings.Split(p.cur.Str, "\n") {
				if h != "" {
					p.f.Header = append(p.f.Header, h)
				}
			}
		} else {
			p.f.Entries = append(p.f.Entries, p.cur)
		}
	}
	p.cur, p.started, p.target = Entry{}, false, nil
}

// HeaderValue returns the value of a header field ("Language").
func (f *File) HeaderValue(name string) string {
	for _, h := range f.Header {
		k, v, ok := strings.Cut(h, ":")
		if ok && strings.EqualFold(strings.TrimSpace(k), name) {
			return strings.TrimSpace(v)
		}
	}
	return ""
}
