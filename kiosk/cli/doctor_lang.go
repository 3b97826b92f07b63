package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"syscall"

	"tramso/kiosk/config"
)

// Doctor speaks to a commune technician, in Vietnamese unless told --lang en.
// Every sentence it prints is a text: an English format, the key of its
// Vietnamese in doctorVi (doctor_vi.go), and its arguments. The English is
// what doctor printed before it spoke Vietnamese, unchanged; paths, commands,
// config fields and values are arguments or stay as written in both.

// Doctor's languages: the --lang values.
const (
	langVi = "vi"
	langEn = "en"
)

// phrase is something a printer can say in the report's language.
type phrase interface {
	in(p *printer) string
}

// text is one sentence, or part of one, in doctor's report.
type text struct {
	format string
	args   []any
}

// msg is the sentence format says with args. A text among args is said in
// the same language. Without args, format is printed as it is (no %%).
func msg(format string, args ...any) text { return text{format: format, args: args} }

func (x text) isZero() bool { return x.format == "" }

// String is the English, for tests and logs.
func (x text) String() string { return x.in(&printer{lang: langEn}) }

func (x text) in(p *printer) string {
	format := x.format
	if vi, ok := doctorVi[format]; ok {
		if p.lang == langVi {
			format = vi
		}
	} else if p.missed != nil {
		p.missed[x.format] = true
	}
	if len(x.args) == 0 {
		return format
	}
	args := make([]any, len(x.args))
	for i, a := range x.args {
		if ph, ok := a.(phrase); ok {
			a = ph.in(p)
		}
		args[i] = a
	}
	return fmt.Sprintf(format, args...)
}

// joined says parts one after the other with sep between them: the steps of
// a fix ("mkdir -p … && chown …").
type joined struct {
	parts []text
	sep   string
}

func (j joined) in(p *printer) string {
	out := make([]string, len(j.parts))
	for i, part := range j.parts {
		out[i] = part.in(p)
	}
	return strings.Join(out, j.sep)
}

// printer says texts in one language. missed, when not nil, collects the
// formats that have no Vietnamese (tests fail on any).
type printer struct {
	lang   string
	missed map[string]bool
}

func (p *printer) say(x text) string { return x.in(p) }

// level says a level as the report shows it: short, and a fault loud.
func (p *printer) level(l level) string {
	if p.lang == langVi {
		return [...]string{"ổn", "chú ý", "LỖI"}[l]
	}
	return l.String()
}

// checkNamesVi are the checks' names in the Vietnamese report.
var checkNamesVi = map[string]string{
	"display":  "màn hình",
	"webkit":   "webkit",
	"screens":  "giao diện",
	"sound":    "âm thanh",
	"data":     "dữ liệu",
	"database": "CSDL",
	"disk":     "ổ đĩa",
	"config":   "cấu hình",
	"speech":   "giọng đọc",
	"hub":      "máy chủ",
	"key":      "khóa",
	"content":  "nội dung",
	"offices":  "cơ quan",
	"language": "ngôn ngữ",
	"clock":    "đồng hồ",
}

func (p *printer) check(name string) string {
	if p.lang == langVi {
		if vi, ok := checkNamesVi[name]; ok {
			return vi
		}
		if p.missed != nil {
			p.missed["check "+name] = true
		}
	}
	return name
}

// checkWidth is the width of the report's check column: the English one is
// as it always was.
func (p *printer) checkWidth() int {
	if p.lang != langVi {
		return 8
	}
	w := 0
	for _, name := range checkNamesVi {
		w = max(w, len([]rune(name)))
	}
	return w
}

// parseLang checks a --lang value.
func parseLang(lang string) (string, error) {
	if !slices.Contains([]string{langVi, langEn}, lang) {
		return "", usageError{fmt.Sprintf("--lang %q: doctor speaks vi (Vietnamese) or en (English)", lang)}
	}
	return lang, nil
}

// osErr is an error from the system: in English as Go words it; in
// Vietnamese, the cause a technician meets (errnoVi) after the path it names.
type osErr struct{ err error }

func osError(err error) phrase { return osErr{err} }

func (e osErr) in(p *printer) string {
	var errno syscall.Errno
	if p.lang != langVi || !errors.As(e.err, &errno) || errnoVi[errno] == "" {
		return e.err.Error()
	}
	var pathErr *fs.PathError
	if errors.As(e.err, &pathErr) {
		return pathErr.Path + ": " + errnoVi[errno]
	}
	return errnoVi[errno]
}

// rewritten is English another package words, said in Vietnamese by rules:
// what they do not know stays English.
type rewritten struct {
	en    string
	rules [][]rule
}

func (r rewritten) in(p *printer) string {
	if p.lang != langVi {
		return r.en
	}
	s := r.en
	for _, set := range r.rules {
		for _, ru := range set {
			s = ru.re.ReplaceAllString(s, ru.vi)
		}
	}
	return s
}

// hoursError is an office hours line's problem (hours.ParseLine).
type hoursError struct{ err error }

func (h hoursError) in(p *printer) string {
	return rewritten{h.err.Error(), [][]rule{hoursRulesVi}}.in(p)
}

// configError is a config that does not load: in English as config.Load
// says it, in Vietnamese its parts in the technician's words.
type configError struct{ err error }

func (c configError) in(p *printer) string {
	if p.lang != langVi {
		return c.err.Error()
	}
	problem := func(s string) rewritten { return rewritten{s, [][]rule{configRulesVi, hoursRulesVi}} }
	var fe *config.FieldError
	var pathErr *fs.PathError
	rest, framed := strings.CutPrefix(c.err.Error(), "config ")
	path, rest, _ := strings.Cut(rest, ": ")
	switch {
	case !framed:
		return problem(c.err.Error()).in(p)
	case errors.As(c.err, &fe) && rest == fe.Error():
		return msg("config %s: %s: %s", path, fe.Field, problem(fe.Problem)).in(p)
	case errors.As(c.err, &pathErr):
		return msg("cannot open the config %s: %s", path, osError(pathErr.Err)).in(p)
	}
	if yamlSlip, ok := strings.CutPrefix(rest, "not valid YAML for this config: "); ok {
		return msg("the config %s is not valid YAML: %s", path, problem(yamlSlip)).in(p)
	}
	return msg("config %s: %s", path, problem(rest)).in(p)
}

// untrustedHubFix is untrustedHub's advice (enroll.go), said in the
// report's language.
func untrustedHubFix(caFile, configPath string) text {
	if caFile != "" {
		return msg("the hub's certificate is signed neither by the CA in %s (hub.ca_file) nor by a public one: "+
			"ask the province for its CA certificate (PEM) and put it there", caFile)
	}
	return msg("if the province runs its own CA, get its certificate (PEM) from the province, save it as /etc/tramso/hub-ca.pem "+
		"and set hub.ca_file: /etc/tramso/hub-ca.pem in %s", configPath)
}
