package config

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// The YAML library names Go types ("cannot unmarshal !!str `ninety` into
// int", "field idel not found in type config.Config"): a technician editing
// the file needs the field and what it takes (outside QA). explainYAML says
// it in the config's own terms, with the line.

var (
	typeProblem  = regexp.MustCompile("^line (\\d+): cannot unmarshal !!(\\w+)(?: `(.*)`)? into (.+)$")
	fieldProblem = regexp.MustCompile(`^line (\d+): field (\S+) not found in type`)
)

// explainYAML turns a decoding error of src into a *FieldError naming the
// field of its first problem (the others follow in its text).
func explainYAML(src []byte, err error) error {
	var te *yaml.TypeError
	if !errors.As(err, &te) || len(te.Errors) == 0 {
		return fmt.Errorf("not valid YAML for this config: %w%s", err, openQuote(src, err))
	}
	var root yaml.Node
	_ = yaml.Unmarshal(src, &root)
	fields := map[int]string{}
	fieldLines(&root, "", fields)
	var first *FieldError
	var rest []string
	for _, line := range te.Errors {
		fe := explainLine(line, fields)
		if first == nil {
			first = fe
		} else {
			rest = append(rest, fe.Error())
		}
	}
	if len(rest) > 0 {
		first.Problem += "; also " + strings.Join(rest, "; ")
	}
	return first
}

func explainLine(line string, fields map[int]string) *FieldError {
	if m := typeProblem.FindStringSubmatch(line); m != nil {
		n, _ := strconv.Atoi(m[1])
		what := fmt.Sprintf("%q", m[3])
		switch m[2] {
		case "seq":
			what = "a list"
		case "map":
			what = "a section"
		}
		field := fieldAt(fields, n)
		if field == "schedule.opening_hours" && m[2] == "str" {
			// "T2-T6 7h30-17h" in one string (outside QA s26).
			return &FieldError{field, fmt.Sprintf("%s is not a section: write each day on its own line below it, %s (line %d)", what, DayByDay, n)}
		}
		return &FieldError{field, fmt.Sprintf("%s is not %s (line %d)", what, kindOf(m[4]), n)}
	}
	if m := fieldProblem.FindStringSubmatch(line); m != nil {
		n, _ := strconv.Atoi(m[1])
		return &FieldError{fieldAt(fields, n), fmt.Sprintf("is not a field this config knows: misspelt, or in the wrong section? (line %d)", n)}
	}
	return &FieldError{"config", line}
}

// withLine adds to a FieldError of Validate the line of src its field is on,
// as a decoding error has it: the technician edits by line (outside QA s26:
// hours errors named no line). A field src does not write (a default) has
// its section's line, or none.
func withLine(src []byte, err error) error {
	var fe *FieldError
	if !errors.As(err, &fe) || strings.Contains(fe.Problem, "(line ") {
		return err
	}
	if n := FieldLine(src, fe.Field); n > 0 {
		fe.Problem += fmt.Sprintf(" (line %d)", n)
	}
	return err
}

// FieldLine is the line of src that writes field ("commune.offices[0].hours[1]"),
// or else the line of the nearest section holding it; 0 when src writes
// neither or is not YAML. Doctor names config lines with it as validation does.
func FieldLine(src []byte, field string) int {
	var root yaml.Node
	if yaml.Unmarshal(src, &root) != nil {
		return 0
	}
	fields := map[int]string{}
	fieldLines(&root, "", fields)
	lines := map[string]int{}
	for n, f := range fields {
		if l, ok := lines[f]; !ok || n < l {
			lines[f] = n
		}
	}
	for f := field; f != ""; f = parentField(f) {
		if n, ok := lines[f]; ok {
			return n
		}
	}
	return 0
}

// parentField is the section holding a field: "commune.offices[0]" for
// "commune.offices[0].id", "languages" for "languages[1]".
func parentField(f string) string {
	if strings.HasSuffix(f, "]") {
		if i := strings.LastIndex(f, "["); i > 0 {
			return f[:i]
		}
	}
	if i := strings.LastIndex(f, "."); i > 0 {
		return f[:i]
	}
	return ""
}

func fieldAt(fields map[int]string, line int) string {
	if f, ok := fields[line]; ok {
		return f
	}
	return "line " + strconv.Itoa(line)
}

// fieldLines maps each line that holds a key to the key's dotted path.
func fieldLines(n *yaml.Node, prefix string, out map[int]string) {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			fieldLines(c, prefix, out)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			path := n.Content[i].Value
			if prefix != "" {
				path = prefix + "." + path
			}
			out[n.Content[i].Line] = path
			fieldLines(n.Content[i+1], path, out)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			if _, taken := out[c.Line]; !taken {
				out[c.Line] = prefix + "[" + strconv.Itoa(i) + "]"
			}
			fieldLines(c, prefix+"["+strconv.Itoa(i)+"]", out)
		}
	}
}

// kindOf says what a Go type takes, as a person writes it in YAML.
func kindOf(goType string) string {
	switch {
	case strings.HasPrefix(goType, "[]"):
		return "a list (write it [a, b], or one \"- item\" per line)"
	case strings.HasPrefix(goType, "map["), strings.HasPrefix(goType, "struct"), strings.HasPrefix(goType, "config."):
		return "a section (its fields indented on the lines below)"
	case goType == "bool":
		return "true or false"
	case strings.HasPrefix(goType, "int"), strings.HasPrefix(goType, "uint"):
		return "a whole number"
	case strings.HasPrefix(goType, "float"):
		return "a number"
	case goType == "string":
		return "text"
	}
	return "what this field takes (" + goType + ")"
}

// syntaxLine finds the line the YAML library names in a syntax error.
var syntaxLine = regexp.MustCompile(`line (\d+):`)

// openQuote names the line that opens a double quote it never closes, at
// or before the line a syntax error names: the library names where it gave
// up, often lines after the slip (outside QA s26: a quote left open on line
// 2 was reported at line 6). A line is named only when closing its quote
// makes the whole file read: a quoted value folded over two lines, an inch
// mark in a comment or a quote inside single quotes is no slip, and the
// error's own line is then the place to look (review s27).
func openQuote(src []byte, err error) string {
	m := syntaxLine.FindStringSubmatch(err.Error())
	if m == nil {
		return ""
	}
	upTo, _ := strconv.Atoi(m[1])
	lines := strings.Split(string(src), "\n")
	tries := 0 // each try reads the whole file again: a few are enough
	for i, line := range lines {
		if i+1 > upTo || tries == 20 {
			break
		}
		if strings.Count(strings.ReplaceAll(line, `\"`, ""), `"`)%2 == 0 {
			continue
		}
		tries++
		closed := slices.Clone(lines)
		closed[i] += `"`
		var node yaml.Node
		if yaml.Unmarshal([]byte(strings.Join(closed, "\n")), &node) == nil {
			return fmt.Sprintf("; line %d opens a quote (\") it never closes", i+1)
		}
	}
	return ""
}
