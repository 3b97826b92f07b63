package studio

import (
	"fmt"
	"slices"
	"strings"

	"tramso/kiosk/content"
)

// A file that cannot be read (broken YAML, an unknown field, a file
// missing) defines nothing, so every other file that names what it would
// have defined is reported too: one broken procedure gave its own YAML
// error and then "thủ tục 2.000884 không có trong nội dung" in files the
// officer never touched (outside QA, finding 12). Those lines cannot be
// judged until the file reads, so they are held back, and the unreadable
// file says how many wait on it and where, rather than hiding them.

// namesElsewhere are the lint formats that say a file names something
// another file should define: a procedure, a lesson, a life event, a field
// of life-events.yaml, a module of the course.
var namesElsewhere = map[string]bool{
	"procedure %q is not in the pack": true,
	"unknown %s %q":                   true,
	"answer %q of question %q leads nowhere: procedure %q does not exist": true,
	"field %q is not listed in %s":                                        true,
	"module %q has no name in %s":                                         true,
}

// unreadable tells a problem that says its whole file could not be read
// (content.decodeYAML's errors), as opposed to one about a field of it.
func unreadable(p content.Problem) bool {
	return p.Field == "" && (strings.HasPrefix(p.Message, "not valid: ") || strings.HasPrefix(p.Message, "file is missing"))
}

// HoldBackConsequences drops, while some file cannot be read, the problems
// of other files that name something that may be defined in it, and adds
// one line to the first unreadable file saying how many wait on it. With
// every file readable it returns probs as they are.
func HoldBackConsequences(probs content.Problems) content.Problems {
	broken := map[string]bool{}
	first := -1
	for i, p := range probs {
		if unreadable(p) {
			broken[p.File] = true
			if first < 0 {
				first = i
			}
		}
	}
	if first < 0 {
		return probs
	}
	var out content.Problems
	var held int
	var where []string
	for _, p := range probs {
		if !broken[p.File] && namesElsewhere[ruleOf(p.Message)] {
			held++
			if !slices.Contains(where, p.File) {
				where = append(where, p.File)
			}
			continue
		}
		out = append(out, p)
	}
	if held == 0 {
		return out
	}
	note := content.Problem{File: probs[first].File, Message: fmt.Sprintf(
		"chưa liệt kê %d lỗi ở %s: các lỗi đó nhắc tới thủ tục, bài học hoặc lĩnh vực có thể được ghi trong tệp chưa đọc được; sửa xong tệp này thì chúng được kiểm tra lại",
		held, strings.Join(where, ", "))}
	for i, p := range out { // right after the file's own error
		if p == probs[first] {
			return slices.Insert(out, i+1, note)
		}
	}
	return append(out, note)
}

// ruleOf is the lint format a message (without its places) was made by,
// or "" when none matches.
func ruleOf(msg string) string {
	_, rest := places(msg)
	if r, _ := ruleFor(rest); r != nil {
		return r.en
	}
	return ""
}
