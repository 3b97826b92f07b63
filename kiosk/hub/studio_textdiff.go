package hub

import (
	"bytes"
	"strconv"

	"tramso/kiosk/studio"
)

// A file no form describes (the course, search.yaml, pack.yaml) is
// compared line by line, so a reviewer still reads what changed rather
// than "the file changed".

// maxDiffCells bounds the line comparison's table (lines before × after):
// beyond it the summary only says the file changed.
const maxDiffCells = 4 << 20

// textChanges lists the lines that differ between two texts: within a run
// of edits, removed and added lines pair up in order as changed lines.
func textChanges(before, after []byte) []studio.Change {
	b, a := splitLines(before), splitLines(after)
	if len(a)*len(b) > maxDiffCells {
		return nil
	}
	var out []studio.Change
	var removed, added []int
	flush := func() {
		for i := range max(len(removed), len(added)) {
			switch {
			case i < len(removed) && i < len(added):
				out = append(out, lineChange(studio.Changed, added[i], b[removed[i]], a[added[i]]))
			case i < len(removed):
				out = append(out, lineChange(studio.Removed, removed[i], b[removed[i]], ""))
			default:
				out = append(out, lineChange(studio.Added, added[i], "", a[added[i]]))
			}
		}
		removed, added = nil, nil
	}
	for _, op := range lineScript(b, a) {
		switch {
		case op.a < 0:
			removed = append(removed, op.b)
		case op.b < 0:
			added = append(added, op.a)
		default:
			flush()
		}
	}
	flush()
	return out
}

func lineChange(op studio.Op, line int, before, after string) studio.Change {
	n := strconv.Itoa(line + 1)
	return studio.Change{Key: "line " + n, Field: "line", Label: "Dòng " + n, Op: op, Before: before, After: after}
}

func splitLines(s []byte) []string {
	s = bytes.TrimSuffix(s, []byte("\n"))
	if len(s) == 0 {
		return nil
	}
	var out []string
	for _, l := range bytes.Split(s, []byte("\n")) {
		out = append(out, string(l))
	}
	return out
}

// scriptOp is one step of an edit script: a line kept (both indexes), removed
// from b (a = -1) or added from a (b = -1).
type scriptOp struct{ b, a int }

// lineScript is the edit script from b to a by the longest common
// subsequence of lines.
func lineScript(b, a []string) []scriptOp {
	// lcs[i][j]: the common length of b[i:] and a[j:].
	lcs := make([][]int32, len(b)+1)
	for i := range lcs {
		lcs[i] = make([]int32, len(a)+1)
	}
	for i := len(b) - 1; i >= 0; i-- {
		for j := len(a) - 1; j >= 0; j-- {
			if b[i] == a[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []scriptOp
	i, j := 0, 0
	for i < len(b) || j < len(a) {
		switch {
		case i < len(b) && j < len(a) && b[i] == a[j]:
			out = append(out, scriptOp{i, j})
			i, j = i+1, j+1
		case j < len(a) && (i == len(b) || lcs[i][j+1] >= lcs[i+1][j]):
			out = append(out, scriptOp{-1, j})
			j++
		default:
			out = append(out, scriptOp{i, -1})
			i++
		}
	}
	return out
}
