package search

import (
	"os"
	"strings"
	"testing"
)

func TestZZ(t *testing.T) {
	ix := starterIndex(t)
	for _, q := range strings.Split(os.Getenv("ZZQ"), "|") {
		rs := ix.Search(q, "vi")
		var out []string
		for i, r := range rs {
			if i >= 5 {
				break
			}
			out = append(out, r.Kind+":"+r.Title)
		}
		t.Logf("%q → %v", q, out)
	}
}
