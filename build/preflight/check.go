package main

import (
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

// testCommand is the README's test command: Go and Node code runs under it,
// so what they invoke must be what it installs.
const testCommand = "build/scripts/test.sh"

type checker struct {
	repo  *repo
	table *table
	dpkg  *dpkgDB

	byProgram map[string][]use // after computed programs are named
	problems  []string
	base      int // programs accepted as Essential/required
}

func (c *checker) problem(format string, args ...any) {
	c.problems = append(c.problems, fmt.Sprintf(format, args...))
}

func (c *checker) check() []string {
	c.name()
	programs := slices.Sorted(maps.Keys(c.byProgram))
	inTest := c.testScope()
	var toResolve []string
	for _, p := range programs {
		if c.declared(p) && (inTest[p] || c.table.providers[p] == "") {
			toResolve = append(toResolve, p)
		}
	}
	c.resolve(toResolve, inTest)
	for p := range c.table.providers {
		if c.byProgram[p] == nil {
			c.problem("%s has a row but nothing invokes it: remove the row", p)
		}
	}
	for e := range c.table.exprs {
		if !c.exprUsed(e) {
			c.problem("%q has a row but no call runs it any more: remove the row", e)
		}
	}
	sort.Strings(c.problems)
	return c.problems
}

// name turns each computed program into the program its row names.
func (c *checker) name() {
	if c.byProgram != nil {
		return
	}
	c.byProgram = map[string][]use{}
	for _, u := range c.repo.uses {
		if u.expr != "" {
			named := c.table.expr(u.expr)
			switch named {
			case "":
				c.problem("%s runs a program it computes (%s): say which in %s with a row %q<TAB>program (or built)",
					u.site(), strings.SplitN(u.expr, ": ", 2)[1], tablePath, u.expr)
				continue
			case "built":
				continue
			}
			u.program = named
		}
		c.byProgram[u.program] = append(c.byProgram[u.program], u)
	}
}

func (c *checker) exprUsed(row string) bool {
	for _, u := range c.repo.uses {
		if u.expr != "" && matchExpr(row, u.expr) {
			return true
		}
	}
	return false
}

// declared checks that a program's row names a package the scripts running
// it install (or the .deb depends on). A program without a row is left to
// resolve, which accepts it only from an Essential/required package.
func (c *checker) declared(p string) bool {
	pkg := c.table.providers[p]
	switch pkg {
	case "", "image":
		return true
	case "built":
		return false
	}
	if c.dpkg.base(pkg) {
		return true
	}
	missing := map[string][]string{}
	for _, u := range c.byProgram[p] {
		who, pkgs := c.installer(u)
		if !pkgs[pkg] {
			missing[who] = append(missing[who], u.site())
		}
	}
	for _, who := range slices.Sorted(maps.Keys(missing)) {
		c.problem("%s (%s) is invoked at %s, but %s does not install %s", p, pkg, strings.Join(missing[who], ", "), who, pkg)
	}
	return true
}

// installer is what must install the programs a use runs: the test command
// for Go and Node, the .deb's Depends for the scripts it ships, else the
// script itself with what it sources and runs.
func (c *checker) installer(u use) (string, map[string]bool) {
	switch {
	case c.repo.scripts[u.file] == nil:
		return testCommand, c.repo.packages(testCommand)
	case slices.Contains(c.repo.shipped, u.file):
		pkgs := map[string]bool{}
		for _, d := range c.repo.depends {
			pkgs[d] = true
		}
		return nfpmConfig + " (Depends)", pkgs
	}
	return u.file, c.repo.packages(u.file)
}

// testScope: the programs the test command runs, so installed by now.
func (c *checker) testScope() map[string]bool {
	scripts := map[string]bool{}
	for _, s := range c.repo.closure(testCommand) {
		scripts[s.rel] = true
	}
	in := map[string]bool{}
	for p, uses := range c.byProgram {
		for _, u := range uses {
			if c.repo.scripts[u.file] == nil || scripts[u.file] {
				in[p] = true
			}
		}
	}
	return in
}

// resolve finds each program where it runs (PATH, or its absolute path) and
// asks dpkg whose it is: the row's package or one it depends on; with no
// row, an Essential/required package.
func (c *checker) resolve(programs []string, inTest map[string]bool) {
	files := map[string]string{}
	var all []string
	for _, p := range programs {
		f, err := c.locate(p)
		if err != nil {
			if c.table.providers[p] == "" {
				c.problem("%s is invoked at %s but has no row in %s: add its Debian package and install it in the scripts that run it",
					p, c.sites(p), tablePath)
			} else if inTest[p] {
				c.problem("%s (%s) is invoked at %s but is not installed after the test command's installs: %v", p, c.table.providers[p], c.sites(p), err)
			}
			continue
		}
		files[p] = f
		all = append(all, f)
	}
	owner := owners(all)
	for _, p := range programs {
		f := files[p]
		if f == "" {
			continue
		}
		c.judge(p, f, owner[f])
	}
}

func (c *checker) judge(p, file, owner string) {
	pkg := c.table.providers[p]
	switch {
	case pkg == "image":
	case pkg == "" && owner != "" && c.dpkg.base(owner):
		c.base++
	case pkg == "":
		c.problem("%s is invoked at %s but has no row in %s (dpkg: %s is from %s, not an Essential or required package): add its row and install the package",
			p, c.sites(p), tablePath, file, orNone(owner))
	case owner == "":
		c.problem("%s (%s): %s belongs to no package (installed by hand?)", p, pkg, file)
	case !c.dpkg.from(owner, pkg):
		c.problem("%s: the table says %s, but dpkg says %s is from %s", p, pkg, file, owner)
	}
}

// locate is where a program runs from, symlinks (alternatives) followed.
func (c *checker) locate(p string) (string, error) {
	f := ""
	for _, u := range c.byProgram[p] {
		if u.path != "" {
			f = u.path
		}
	}
	if glob := c.table.where[p]; f == "" && glob != "" {
		found, _ := filepath.Glob(glob)
		if len(found) == 0 {
			return "", fmt.Errorf("nothing matches %s", glob)
		}
		f = slices.Max(found)
	}
	if f == "" {
		var err error
		if f, err = exec.LookPath(p); err != nil {
			return "", err
		}
	}
	if _, err := os.Stat(f); err != nil {
		return "", err
	}
	if real, err := filepath.EvalSymlinks(f); err == nil {
		return real, nil
	}
	return f, nil
}

func (c *checker) sites(p string) string {
	var s []string
	for _, u := range c.byProgram[p] {
		s = append(s, u.site())
	}
	if len(s) > 4 {
		s = append(s[:4], fmt.Sprintf("and %d more", len(s)-4))
	}
	return strings.Join(s, ", ")
}

func (c *checker) summary() string {
	sites := 0
	for _, u := range c.byProgram {
		sites += len(u)
	}
	return fmt.Sprintf("%d programs at %d call sites: %d rows in the table, %d programs from Essential/required packages",
		len(c.byProgram), sites, len(c.table.providers), c.base)
}

func (c *checker) list(w io.Writer) {
	c.name()
	for _, p := range slices.Sorted(maps.Keys(c.byProgram)) {
		fmt.Fprintf(w, "%-28s %-24s %s\n", p, orNone(c.table.providers[p]), c.sites(p))
	}
}

func orNone(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
