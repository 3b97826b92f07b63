package main

import (
	"bufio"
	"fmt"
	"os"
	"path"
	"strings"
)

// The table (build/scripts/programs.tsv), one row a line, tab-separated:
//
//	program              its Debian package, or image (the CI machine image
//	                     has it: Go, Node, npm, git), or built (the project's own)
//	file: expression     what a computed program is: a program of the table, or built;
//	                     the file may be a pattern (frontend/e2e/*: tramsoBin())
//
// A program's row may add a third column, where the program lives when it is
// not on PATH, as a glob (/usr/lib/postgresql/*/bin/initdb: Debian keeps a
// server's programs in a versioned directory); the newest match is checked.
//
// Programs of Essential or priority-required packages need no row: every
// Debian root has them, and dpkg says so at check time.
type table struct {
	providers map[string]string // program → package | image | built
	exprs     map[string]string // "file: expression" → program | built
	where     map[string]string // program → glob of its location off PATH
}

func readTable(p string) (*table, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	t := &table{providers: map[string]string{}, exprs: map[string]string{}, where: map[string]string{}}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line, _, _ := strings.Cut(sc.Text(), "#")
		if strings.TrimSpace(line) == "" {
			continue
		}
		cols := strings.Split(line, "\t")
		key, value, where := strings.TrimSpace(cols[0]), "", ""
		for _, c := range cols[1:] {
			switch c = strings.TrimSpace(c); {
			case c == "":
			case value == "":
				value = c
			case strings.HasPrefix(c, "/") && where == "":
				where = c
			default:
				return nil, fmt.Errorf("%s:%d: %q: a third column must be an absolute path (glob)", p, n, key)
			}
		}
		if value == "" {
			return nil, fmt.Errorf("%s:%d: %q names no package (columns are separated by tabs)", p, n, key)
		}
		rows := t.providers
		if strings.Contains(key, ": ") {
			rows = t.exprs
		}
		if _, dup := rows[key]; dup {
			return nil, fmt.Errorf("%s:%d: %q has a row already", p, n, key)
		}
		rows[key] = value
		if where != "" {
			t.where[key] = where
		}
	}
	return t, sc.Err()
}

// expr is what the table says a computed program is ("" if it says nothing).
func (t *table) expr(e string) string {
	if v, ok := t.exprs[e]; ok {
		return v
	}
	for row, v := range t.exprs {
		if matchExpr(row, e) {
			return v
		}
	}
	return ""
}

// matchExpr: the same expression, in the row's file or files.
func matchExpr(row, e string) bool {
	rowFile, rowExpr, _ := strings.Cut(row, ": ")
	file, expr, _ := strings.Cut(e, ": ")
	ok, _ := path.Match(rowFile, file)
	return ok && rowExpr == expr
}
