package api

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"tramso/kiosk/httpjson"
)

// The committed TypeScript contract is what the Go types say now; a changed
// JSON shape fails here until `go generate ./kiosk/api` has been run.
func TestTypeScriptIsCurrent(t *testing.T) {
	want, err := TypeScript()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("..", "..", TypeScriptFile)
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		i := 0
		for i < len(gl) && i < len(wl) && gl[i] == wl[i] {
			i++
		}
		line := func(ls []string) string {
			if i < len(ls) {
				return ls[i]
			}
			return "(end of file)"
		}
		t.Fatalf("%s is stale: run `go generate ./kiosk/api`.\nline %d is   %q\nit should be %q", TypeScriptFile, i+1, line(gl), line(wl))
	}
}

// Every error the handlers answer carries one of errorCodes, named by its
// constant, so the generated ApiErrorCode union holds every code a client
// can see; and every listed code is answered somewhere.
func TestEveryErrorHasACode(t *testing.T) {
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	consts := map[string]string{} // constant name → value
	var parsed []*ast.File
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		parsed = append(parsed, f)
		collectConsts(f, consts)
	}
	used := map[string]bool{}
	for _, f := range parsed {
		ast.Inspect(f, func(n ast.Node) bool {
			var code ast.Expr
			switch n := n.(type) {
			case *ast.CallExpr:
				if isSelector(n.Fun, "httpjson", "Error") && len(n.Args) == 4 {
					code = n.Args[2]
				}
			case *ast.CompositeLit:
				if isSelector(n.Type, "httpjson", "ErrorBody") && len(n.Elts) > 0 { // ErrorBody{} names the type
					for _, el := range n.Elts {
						if kv, ok := el.(*ast.KeyValueExpr); ok && isIdent(kv.Key, "Code") {
							code = kv.Value
						}
					}
					if code == nil {
						t.Errorf("%s: an ErrorBody without a Code", fset.Position(n.Pos()))
					}
				}
			}
			if code == nil {
				return true
			}
			id, ok := code.(*ast.Ident)
			value, known := consts[idName(id)]
			if !ok || !known {
				t.Errorf("%s: the error code must be one of the code constants (codes.go)", fset.Position(code.Pos()))
				return true
			}
			if !slices.Contains(errorCodes, value) {
				t.Errorf("%s: code %q is not in errorCodes", fset.Position(code.Pos()), value)
			}
			used[value] = true
			return true
		})
	}
	for _, c := range errorCodes {
		ownedByKit := c == httpjson.CodeNotJSON || c == httpjson.CodeTooLarge || c == httpjson.CodeInvalidJSON
		if !used[c] && !ownedByKit {
			t.Errorf("code %q is listed but no handler answers it", c)
		}
		if n := strings.Count(","+strings.Join(errorCodes, ",")+",", ","+c+","); n != 1 {
			t.Errorf("code %q is listed %d times", c, n)
		}
	}
}

func collectConsts(f *ast.File, into map[string]string) {
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, spec := range g.Specs {
			vs := spec.(*ast.ValueSpec)
			for i, name := range vs.Names {
				if i < len(vs.Values) {
					if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
						into[name.Name], _ = strconv.Unquote(lit.Value)
					}
				}
			}
		}
	}
}

func isSelector(e ast.Expr, pkg, name string) bool {
	sel, ok := e.(*ast.SelectorExpr)
	return ok && isIdent(sel.X, pkg) && sel.Sel.Name == name
}

func isIdent(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == name
}

func idName(id *ast.Ident) string {
	if id == nil {
		return ""
	}
	return id.Name
}
