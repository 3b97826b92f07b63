package studio

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// A file that is not valid YAML is said by the parser (gopkg.in/yaml.v3) in
// English, "yaml: line 1: did not find expected ',' or '}'", and for its
// parser errors (as against its scanner's) with the line counted from 0: the
// mark of the construct it was parsing is 0-based and only scanner errors
// get the 1 added (decode.go, parser.fail). An officer looking for the
// fault on line 1 of a file whose line 2 opens "{vi: "abc"" without closing
// it finds nothing wrong there (outside QA, finding 13). YAMLError says the
// place in Vietnamese with the line an editor shows, then the parser's words.

// yamlParserProblems are the yaml.v3 parser's own messages (parserc.go),
// whose line is 0-based; every other message is the scanner's, or a
// decoding error's, whose lines count from 1.
var yamlParserProblems = []string{
	"did not find expected ',' or ']'",
	"did not find expected ',' or '}'",
	"did not find expected '-' indicator",
	"did not find expected <document start>",
	"did not find expected <stream-start>",
	"did not find expected key",
	"did not find expected node content",
	"found duplicate %TAG directive",
	"found duplicate %YAML directive",
	"found incompatible YAML document",
	"found undefined tag handle",
}

// yamlHints say in Vietnamese what the commonest faults usually are, for
// someone who has never written YAML; the parser's words follow.
var yamlHints = map[string]string{
	"did not find expected ',' or '}'":                "dấu “{” mở mà chưa đóng bằng “}”, hoặc thiếu dấu phẩy",
	"did not find expected ',' or ']'":                "dấu “[” mở mà chưa đóng bằng “]”, hoặc thiếu dấu phẩy",
	"did not find expected key":                       "thụt đầu dòng chưa thẳng hàng",
	"mapping values are not allowed in this context":  "dấu hai chấm đặt sai chỗ, hoặc thụt đầu dòng chưa đúng; lời có dấu hai chấm cần đặt trong ngoặc kép",
	"could not find expected ':'":                     "thiếu dấu hai chấm sau tên mục",
	"found unexpected end of stream":                  "ngoặc kép mở mà chưa đóng",
	"found character that cannot start any token":     "có ký tự không được đứng đầu (như @ hoặc `); hãy đặt lời trong ngoặc kép",
	"found a tab character that violates indentation": "thụt đầu dòng bằng phím Tab; hãy dùng dấu cách",
}

var (
	yamlLine      = regexp.MustCompile(`^yaml: line ([0-9]+): (.*)$`)
	yamlFieldLine = regexp.MustCompile(`^line ([0-9]+): (.*)$`)
)

// YAMLError says a YAML parser's error in Vietnamese: "dòng 2 (dấu “{” mở
// mà chưa đóng…): did not find expected ',' or '}'", the line as an editor
// numbers it. A decoding error names each line ("dòng 5: field x not
// found…; dòng 9: …"). Anything else is returned as it is.
func YAMLError(detail string) string {
	if m := yamlLine.FindStringSubmatch(detail); m != nil {
		line, _ := strconv.Atoi(m[1])
		if slices.Contains(yamlParserProblems, m[2]) {
			line++
		}
		return atLine(line, m[2])
	}
	if rest, ok := strings.CutPrefix(detail, "yaml: unmarshal errors:\n"); ok {
		var parts []string
		for _, l := range strings.Split(rest, "\n") {
			l = strings.TrimSpace(l)
			if m := yamlFieldLine.FindStringSubmatch(l); m != nil {
				line, _ := strconv.Atoi(m[1])
				l = atLine(line, m[2])
			}
			if l != "" {
				parts = append(parts, l)
			}
		}
		return strings.Join(parts, "; ")
	}
	if rest, ok := strings.CutPrefix(detail, "yaml: "); ok {
		if _, hinted := yamlHints[rest]; hinted || slices.Contains(yamlParserProblems, rest) {
			return atLine(1, rest) // no line named: the mark was on the first (0)
		}
		return rest
	}
	return detail
}

// atLine is a parser message at a line, with its hint.
func atLine(line int, msg string) string {
	where := "dòng " + strconv.Itoa(line)
	if h, ok := yamlHints[msg]; ok {
		where += " (" + h + ")"
	}
	return where + ": " + msg
}
