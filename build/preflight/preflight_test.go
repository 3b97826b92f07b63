package main

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// testdata/repo is a miniature repository whose Go test, e2e test and test
// script all run frobnicate, which its table does not list. Each case adds
// rows to its table and says what the preflight must report.
func TestPreflight(t *testing.T) {
	if _, err := exec.LookPath("dpkg-query"); err != nil {
		t.Fatal("the preflight asks dpkg: the test command runs on Debian 12, where dpkg-query is always present")
	}
	const bin = "kiosk/tool/tool_test.go: bin\tbuilt"
	everywhere := site(t, "build/scripts/test.sh", "frobnicate --twice") + ", " +
		site(t, "frontend/e2e/run.test.mjs", "'frobnicate'") + ", " +
		site(t, "kiosk/tool/tool_test.go", `"frobnicate"`)
	cases := []struct {
		name string
		rows []string
		want []string // each must be a problem's substring; none: no problems at all
	}{
		{"an unlisted program is named, with every place it is invoked", []string{bin}, []string{
			"frobnicate is invoked at " + everywhere + " but has no row",
		}},
		{"listed as ours, the tree is clean: wrappers, sh -c, chroot, paths and os.Args[0] are understood",
			[]string{bin, "frobnicate\tbuilt"}, nil},
		{"a package the test command does not install", []string{bin, "frobnicate\tfrobnicate-tools"}, []string{
			"frobnicate (frobnicate-tools) is invoked at " + everywhere + ", but build/scripts/test.sh does not install frobnicate-tools",
		}},
		{"the table cannot lie: dpkg knows where ls comes from", []string{bin, "frobnicate\tbuilt", "ls\tbash"}, []string{
			"ls: the table says bash, but dpkg says /usr/bin/ls is from coreutils",
		}},
		{"a program off PATH is found by its row's glob, and dpkg judges that file", []string{bin, "frobnicate\tbash\t/usr/bin/l[s]"}, []string{
			"frobnicate: the table says bash, but dpkg says /usr/bin/ls is from coreutils",
		}},
		{"a computed program needs a row", []string{"frobnicate\tbuilt"}, []string{
			site(t, "kiosk/tool/tool_test.go", "exec.Command(bin)") + ` runs a program it computes (bin)`,
		}},
		{"a row nothing uses is stale", []string{bin, "frobnicate\tbuilt", "gone\tbuilt"}, []string{
			"gone has a row but nothing invokes it",
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			root := copyTree(t, "testdata/repo")
			appendRows(t, filepath.Join(root, tablePath), c.rows)
			problems, _, err := run(root, false)
			if err != nil {
				t.Fatal(err)
			}
			if len(c.want) == 0 && len(problems) > 0 {
				t.Fatalf("want no problems, got:\n%s", strings.Join(problems, "\n"))
			}
			for _, w := range c.want {
				if !containsSubstring(problems, w) {
					t.Errorf("no problem says %q; got:\n%s", w, strings.Join(problems, "\n"))
				}
			}
			if strings.Contains(strings.Join(problems, "\n"), "only-in-the-root") {
				t.Errorf("a program run in another root (chroot) was taken for this machine's")
			}
		})
	}
}

// site is file:line of the first line of a testdata file holding text.
func site(t *testing.T, file, text string) string {
	f, err := os.Open(filepath.Join("testdata/repo", file))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		if strings.Contains(sc.Text(), text) {
			return fmt.Sprintf("%s:%d", file, n)
		}
	}
	t.Fatalf("%s holds no %q", file, text)
	return ""
}

func containsSubstring(list []string, s string) bool {
	for _, l := range list {
		if strings.Contains(l, s) {
			return true
		}
	}
	return false
}

func copyTree(t *testing.T, src string) string {
	dst := t.TempDir()
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	return dst
}

func appendRows(t *testing.T, table string, rows []string) {
	f, err := os.OpenFile(table, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, r := range rows {
		fmt.Fprintln(f, r)
	}
}
