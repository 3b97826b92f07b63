package search

import (
	"bufio"
	"os"
	"slices"
	"strings"
	"testing"
)

// relevanceCase is one line of testdata/relevance.tsv.
type relevanceCase struct {
	line        int
	query, kind string
	want        []string
}

func readRelevance(t *testing.T) []relevanceCase {
	t.Helper()
	f, err := os.Open("testdata/relevance.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cases []relevanceCase
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) != 3 || cols[0] == "" || cols[1] == "" {
			t.Fatalf("relevance.tsv:%d: want query, TAB, ids, TAB, kind; got %q", n, line)
		}
		cases = append(cases, relevanceCase{n, cols[0], cols[2], strings.Fields(cols[1])})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return cases
}

// TestRelevance runs the resident-style queries of testdata/relevance.tsv
// over the whole starter pack (search.yaml included) and requires recall@3 —
// the share of expected results found among the first three — of at least
// 95%, reported per kind of query.
func TestRelevance(t *testing.T) {
	ix := starterIndex(t)
	cases := readRelevance(t)
	if len(cases) < 150 {
		t.Fatalf("%d queries in relevance.tsv; the set needs at least 150", len(cases))
	}
	type tally struct{ found, wanted int }
	byKind := map[string]*tally{}
	var all tally
	first := 0 // queries whose first result is one expected
	for _, c := range cases {
		res := ix.Search(c.query, "vi")
		if len(res) > 0 && slices.Contains(c.want, res[0].ID) {
			first++
		} else {
			t.Logf("not first relevance.tsv:%d %q: %v", c.line, c.query, ids(res, 3))
		}
		top := map[string]bool{}
		for i := 0; i < len(res) && i < 3; i++ {
			top[res[i].ID] = true
		}
		k := byKind[c.kind]
		if k == nil {
			k = &tally{}
			byKind[c.kind] = k
		}
		for _, id := range c.want {
			k.wanted++
			all.wanted++
			if top[id] {
				k.found++
				all.found++
				continue
			}
			t.Logf("miss relevance.tsv:%d %q: %s not in top 3 %v", c.line, c.query, id, ids(res, 5))
		}
	}
	for kind, k := range byKind {
		t.Logf("recall@3 %-12s %3d/%-3d %.1f%%", kind, k.found, k.wanted, 100*float64(k.found)/float64(k.wanted))
	}
	recall := float64(all.found) / float64(all.wanted)
	t.Logf("recall@3 over %d queries: %d/%d = %.1f%%; first result expected: %d/%d", len(cases), all.found, all.wanted, 100*recall, first, len(cases))
	if recall < 0.95 {
		t.Errorf("recall@3 %.1f%% is under 95%%", 100*recall)
	}
}

func ids(res []Result, n int) []string {
	var out []string
	for i := 0; i < len(res) && i < n; i++ {
		out = append(out, res[i].ID)
	}
	return out
}
