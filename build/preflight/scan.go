package main

import (
	"cmp"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// A use is one place that runs an external program.
type use struct {
	program string // the name looked up on PATH (for a path: its base name)
	path    string // set when the program is run by its absolute path
	expr    string // set when the program is computed: "file: expression", named by the table
	file    string // repository-relative
	line    int
}

func (u use) site() string { return fmt.Sprintf("%s:%d", u.file, u.line) }

// What the scan found in the repository.
type repo struct {
	uses    []use
	scripts map[string]*script // shell scripts by repository-relative path
	depends []string           // the .deb's Depends: what the scripts shipped in it may run
	shipped []string           // files the .deb ships
}

const nfpmConfig = "build/linux/nfpm.yaml"

// Paths the scan never enters: tools' output, dependencies, fixtures, and
// this command (it looks up every program of the table; it runs none).
var skipDirs = map[string]bool{
	".git": true, "node_modules": true, "testdata": true,
	"build/bin": true, "build/dist": true, "frontend/dist": true, "build/preflight": true,
}

// A literal absolute path into a bin directory names a program as surely as a
// command word does (playwright is handed /usr/bin/chromium, not "chromium").
var binPath = regexp.MustCompile(`^/(usr/)?s?bin/[A-Za-z0-9._+-]+$`)

func scan(root string) (*repo, error) {
	r := &repo{scripts: map[string]*script{}}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel := filepath.ToSlash(strings.TrimPrefix(p, root+string(filepath.Separator)))
		if d.IsDir() {
			if skipDirs[rel] || skipDirs[d.Name()] || (strings.HasPrefix(d.Name(), ".") && rel != ".ci" && p != root) {
				return filepath.SkipDir
			}
			return nil
		}
		return r.scanFile(root, rel)
	})
	if err != nil {
		return nil, err
	}
	r.scanScripts()
	slices.SortFunc(r.uses, func(a, b use) int { // messages list places in reading order
		return cmp.Or(strings.Compare(a.file, b.file), a.line-b.line)
	})
	r.depends, r.shipped, err = readNfpm(filepath.Join(root, nfpmConfig))
	return r, err
}

func (r *repo) scanFile(root, rel string) error {
	kind := fileKind(root, rel)
	if kind == "" {
		return nil
	}
	src, err := os.ReadFile(filepath.Join(root, rel))
	if err != nil {
		return err
	}
	switch kind {
	case "go":
		uses, err := scanGo(rel, src)
		r.uses = append(r.uses, uses...)
		return err
	case "node":
		r.uses = append(r.uses, scanNode(rel, string(src))...)
	case "shell":
		s, err := parseScript(rel, src)
		if err != nil {
			return err
		}
		r.scripts[rel] = s
	}
	return nil
}

// fileKind says which scanner reads a file, if any: Go anywhere, Node in the
// e2e tests and the frontend's scripts, shell under build/ and .ci/.
func fileKind(root, rel string) string {
	ext := path.Ext(rel)
	switch {
	case ext == ".go":
		return "go"
	case strings.HasPrefix(rel, "frontend/e2e/") || strings.HasPrefix(rel, "frontend/scripts/"):
		if ext == ".mjs" || ext == ".js" || ext == ".cjs" || ext == ".ts" {
			return "node"
		}
	case strings.HasPrefix(rel, "build/") || strings.HasPrefix(rel, ".ci/"):
		if ext == ".sh" || isShellScript(filepath.Join(root, rel)) {
			return "shell"
		}
	}
	return ""
}

func isShellScript(p string) bool {
	f, err := os.Open(p)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 64)
	n, _ := f.Read(head)
	line, _, _ := strings.Cut(string(head[:n]), "\n")
	return strings.HasPrefix(line, "#!") && (strings.HasSuffix(line, "/sh") || strings.HasSuffix(line, "bash"))
}

// goFile resolves what one Go file's exec calls run.
type goFile struct {
	rel    string
	fset   *token.FileSet
	exec   string              // the file's name for os/exec
	consts map[string]ast.Expr // top-level constants and variables
}

func scanGo(rel string, src []byte) ([]use, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, rel, src, 0)
	if err != nil {
		return nil, err
	}
	g := &goFile{rel: rel, fset: fset, exec: importName(f, "os/exec"), consts: map[string]ast.Expr{}}
	var uses []use
	for _, d := range f.Decls {
		if gd, ok := d.(*ast.GenDecl); ok {
			addBindings(g.consts, gd)
		}
	}
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil {
			uses = append(uses, g.scanFunc(fd.Body)...)
		}
	}
	ast.Inspect(f, func(n ast.Node) bool { // literal paths to programs
		if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
			if s, err := strconv.Unquote(lit.Value); err == nil && binPath.MatchString(s) {
				uses = append(uses, use{program: path.Base(s), path: s, file: rel, line: g.line(lit)})
			}
		}
		return true
	})
	return uses, nil
}

func importName(f *ast.File, importPath string) string {
	for _, im := range f.Imports {
		if p, _ := strconv.Unquote(im.Path.Value); p == importPath {
			if im.Name != nil {
				return im.Name.Name
			}
			return path.Base(importPath)
		}
	}
	return ""
}

// execArg is which argument of an os/exec function names the program.
var execArg = map[string]int{"Command": 0, "CommandContext": 1, "LookPath": 0}

func (g *goFile) scanFunc(body *ast.BlockStmt) []use {
	binds := map[string][]ast.Expr{}
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			bindAssign(binds, n.Lhs, n.Rhs)
		case *ast.DeclStmt:
			if gd, ok := n.Decl.(*ast.GenDecl); ok {
				for _, spec := range gd.Specs {
					if vs, ok := spec.(*ast.ValueSpec); ok {
						bindIdents(binds, vs.Names, vs.Values)
					}
				}
			}
		}
		return true
	})
	var uses []use
	ast.Inspect(body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		if i, ok := g.execCall(call); ok && i < len(call.Args) {
			uses = append(uses, g.programs(call.Args[i], binds)...)
		}
		return true
	})
	return uses
}

func (g *goFile) execCall(call *ast.CallExpr) (int, bool) {
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok || g.exec == "" {
		return 0, false
	}
	if x, ok := sel.X.(*ast.Ident); !ok || x.Name != g.exec {
		return 0, false
	}
	i, ok := execArg[sel.Sel.Name]
	return i, ok
}

// programs says what an exec call's program argument runs: literal names
// (through constants and local variables), nothing for a path LookPath found
// (that LookPath is a use of its own) or for the test binary re-running
// itself (os.Args[0]); anything else is computed and must be named in the table.
func (g *goFile) programs(e ast.Expr, binds map[string][]ast.Expr) []use {
	names, computed := g.resolve(e, binds, 0)
	if computed {
		return []use{{expr: g.rel + ": " + types.ExprString(e), file: g.rel, line: g.line(e)}}
	}
	var uses []use
	for _, name := range names {
		u := use{program: name, file: g.rel, line: g.line(e)}
		if strings.Contains(name, "/") {
			if !binPath.MatchString(name) {
				continue // a file the test made itself
			}
			u.program, u.path = path.Base(name), name
		}
		uses = append(uses, u)
	}
	return uses
}

func (g *goFile) resolve(e ast.Expr, binds map[string][]ast.Expr, depth int) (names []string, computed bool) {
	if depth > 4 {
		return nil, true
	}
	switch e := e.(type) {
	case *ast.BasicLit:
		s, err := strconv.Unquote(e.Value)
		return []string{s}, err != nil
	case *ast.Ident:
		values := binds[e.Name]
		if v, ok := g.consts[e.Name]; ok {
			values = append(values, v)
		}
		if len(values) == 0 {
			return nil, true
		}
		for _, v := range values {
			n, c := g.resolve(v, binds, depth+1)
			names, computed = append(names, n...), computed || c
		}
		return names, computed
	case *ast.CallExpr: // a path exec.LookPath found
		return nil, types.ExprString(e.Fun) != g.exec+".LookPath"
	case *ast.IndexExpr:
		return nil, types.ExprString(e) != "os.Args[0]"
	}
	return nil, true
}

func (g *goFile) line(n ast.Node) int { return g.fset.Position(n.Pos()).Line }

func addBindings(binds map[string]ast.Expr, gd *ast.GenDecl) {
	for _, spec := range gd.Specs {
		if vs, ok := spec.(*ast.ValueSpec); ok {
			for i, name := range vs.Names {
				if i < len(vs.Values) {
					binds[name.Name] = vs.Values[i]
				}
			}
		}
	}
}

func bindAssign(binds map[string][]ast.Expr, lhs, rhs []ast.Expr) {
	for i, l := range lhs {
		id, ok := l.(*ast.Ident)
		if !ok {
			continue
		}
		switch {
		case len(lhs) == len(rhs):
			binds[id.Name] = append(binds[id.Name], rhs[i])
		case i == 0 && len(rhs) == 1: // path, err := exec.LookPath(…)
			binds[id.Name] = append(binds[id.Name], rhs[0])
		}
	}
}

func bindIdents(binds map[string][]ast.Expr, names []*ast.Ident, values []ast.Expr) {
	lhs := make([]ast.Expr, len(names))
	for i, n := range names {
		lhs[i] = n
	}
	bindAssign(binds, lhs, values)
}

// Node: child_process calls by name (the e2e tests import them so), and
// literal paths to programs (playwright's executablePath).
var (
	nodeCall    = regexp.MustCompile(`(^|[^.\w])(spawn|spawnSync|execFile|execFileSync|execSync|exec)\(\s*`)
	nodeBinPath = regexp.MustCompile(`['"` + "`" + `](/(?:usr/)?s?bin/[A-Za-z0-9._+-]+)['"` + "`" + `]`)
)

func scanNode(rel, src string) []use {
	var uses []use
	lineAt := func(i int) int { return strings.Count(src[:i], "\n") + 1 }
	for _, m := range nodeCall.FindAllStringSubmatchIndex(src, -1) {
		fn, rest := src[m[4]:m[5]], src[m[1]:]
		u := use{file: rel, line: lineAt(m[4])}
		if lit, ok := jsString(rest); ok {
			if fn == "execSync" || fn == "exec" { // a shell command line
				lit, _, _ = strings.Cut(strings.TrimSpace(lit), " ")
			}
			u.program = lit
			if strings.Contains(lit, "/") {
				if !binPath.MatchString(lit) {
					continue
				}
				u.program, u.path = path.Base(lit), lit
			}
		} else {
			u.expr = rel + ": " + jsArg(rest)
		}
		uses = append(uses, u)
	}
	for _, m := range nodeBinPath.FindAllStringSubmatchIndex(src, -1) {
		p := src[m[2]:m[3]]
		uses = append(uses, use{program: path.Base(p), path: p, file: rel, line: lineAt(m[2])})
	}
	return uses
}

// jsString reads a plain string literal at the start of s.
func jsString(s string) (string, bool) {
	if s == "" || !strings.ContainsRune(`'"`+"`", rune(s[0])) {
		return "", false
	}
	end := strings.IndexByte(s[1:], s[0])
	if end < 0 || strings.Contains(s[1:1+end], "${") {
		return "", false
	}
	return s[1 : 1+end], true
}

// jsArg reads the first argument at the start of s, up to a comma or the
// closing parenthesis at its own depth.
func jsArg(s string) string {
	depth := 0
	for i, c := range s {
		switch c {
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			if depth == 0 {
				return strings.TrimSpace(s[:i])
			}
			depth--
		case ',':
			if depth == 0 {
				return strings.TrimSpace(s[:i])
			}
		}
	}
	return strings.TrimSpace(s)
}

// The .deb's side, from nfpm's config: the packages apt brings with it, and
// the scripts it ships, which may run only what those bring.
var (
	nfpmShipped = regexp.MustCompile(`(?m)^\s*(?:- src|preinstall|postinstall|preremove|postremove):\s*(\S+)`)
	nfpmDepend  = regexp.MustCompile(`^  - ([a-z0-9][a-z0-9.+-]*)`)
)

func readNfpm(p string) (depends, shipped []string, err error) {
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, nil, err
	}
	in := false
	for _, line := range strings.Split(string(b), "\n") {
		switch {
		case strings.HasPrefix(line, "depends:"):
			in = true
		case !in || strings.HasPrefix(strings.TrimSpace(line), "#"):
		case nfpmDepend.MatchString(line):
			depends = append(depends, nfpmDepend.FindStringSubmatch(line)[1])
		default:
			in = false
		}
	}
	for _, m := range nfpmShipped.FindAllStringSubmatch(string(b), -1) {
		shipped = append(shipped, path.Join(path.Dir(nfpmConfig), m[1]))
	}
	return depends, shipped, nil
}
