package main

import (
	"bytes"
	"path"
	"regexp"
	"strconv"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// A script is one shell file: what it defines, which scripts it sources or
// runs, and what it installs.
type script struct {
	rel      string
	file     *syntax.File
	funcs    map[string]*syntax.FuncDecl
	arrays   map[string][]string // NAME=(a b c)
	edges    []string            // scripts it sources or runs
	installs [][]*syntax.Word    // the arguments of each apt_install / apt-get install
	uses     []use
}

func parseScript(rel string, src []byte) (*script, error) {
	f, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(bytes.NewReader(src), rel)
	if err != nil {
		return nil, err
	}
	s := &script{rel: rel, file: f, funcs: map[string]*syntax.FuncDecl{}, arrays: map[string][]string{}}
	syntax.Walk(f, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.FuncDecl:
			s.funcs[n.Name.Value] = n
		case *syntax.Assign:
			if n.Array != nil && n.Name != nil {
				s.arrays[n.Name.Value] = arrayWords(n.Array)
			}
		}
		return true
	})
	return s, nil
}

func arrayWords(a *syntax.ArrayExpr) []string {
	var words []string
	for _, e := range a.Elems {
		if lit, ok := literal(e.Value); ok {
			words = append(words, lit)
		}
	}
	return words
}

// scanScripts links the scripts (what each sources or runs), then reads the
// programs each runs with the functions it can see.
func (r *repo) scanScripts() {
	for _, s := range r.scripts {
		s.edges = r.findEdges(s)
	}
	for _, s := range r.scripts {
		sc := &shellScan{repo: r, script: s, funcs: r.visibleFuncs(s)}
		syntax.Walk(s.file, sc.visit)
		r.uses = append(r.uses, s.uses...)
	}
}

// closure is the script and every script it sources or runs, transitively.
func (r *repo) closure(rel string) []*script {
	seen := map[string]bool{}
	var out []*script
	var walk func(string)
	walk = func(p string) {
		s := r.scripts[p]
		if s == nil || seen[p] {
			return
		}
		seen[p] = true
		out = append(out, s)
		for _, e := range s.edges {
			walk(e)
		}
	}
	walk(rel)
	return out
}

func (r *repo) visibleFuncs(s *script) map[string]*syntax.FuncDecl {
	funcs := map[string]*syntax.FuncDecl{}
	for _, c := range r.closure(s.rel) {
		for name, fn := range c.funcs {
			funcs[name] = fn
		}
	}
	return funcs
}

// findEdges: a word that names another script, as the command itself or
// after source, ., bash, sh or exec.
func (r *repo) findEdges(s *script) []string {
	var edges []string
	syntax.Walk(s.file, func(n syntax.Node) bool {
		call, ok := n.(*syntax.CallExpr)
		if !ok {
			return true
		}
		for i, w := range call.Args {
			prev := ""
			if i > 0 {
				prev, _ = literal(call.Args[i-1])
			}
			if i > 0 && !map[string]bool{"source": true, ".": true, "bash": true, "sh": true, "exec": true}[prev] {
				continue
			}
			if target := r.scriptAt(s.rel, w); target != "" && target != s.rel {
				edges = append(edges, target)
			}
		}
		return true
	})
	return edges
}

// scriptAt resolves a word like "$(dirname "$0")/lib.sh", "$ROOT/build/x.sh"
// or build/linux/x.sh to a script of the repository: its literal end, taken
// from the script's own directory or from the repository root (the scripts
// cd there).
func (r *repo) scriptAt(from string, w *syntax.Word) string {
	tail, whole := literalTail(w)
	if tail == "" || (whole && strings.HasPrefix(tail, "/")) {
		return ""
	}
	for _, p := range []string{path.Join(path.Dir(from), tail), strings.TrimPrefix(path.Clean("/"+tail), "/")} {
		if r.scripts[p] != nil {
			return p
		}
	}
	return ""
}

// literalTail is the literal text after a word's last expansion, and whether
// the whole word is literal.
func literalTail(w *syntax.Word) (string, bool) {
	var parts []string
	whole := true
	var add func([]syntax.WordPart)
	add = func(ps []syntax.WordPart) {
		for _, p := range ps {
			switch p := p.(type) {
			case *syntax.Lit:
				parts = append(parts, p.Value)
			case *syntax.SglQuoted:
				parts = append(parts, p.Value)
			case *syntax.DblQuoted:
				add(p.Parts)
			default:
				parts, whole = nil, false
			}
		}
	}
	add(w.Parts)
	return strings.Join(parts, ""), whole
}

// literal is a word's value if it has no expansion.
func literal(w *syntax.Word) (string, bool) {
	if w == nil {
		return "", false
	}
	s, whole := literalTail(w)
	return s, whole
}

func printWord(w *syntax.Word) string {
	var b bytes.Buffer
	syntax.NewPrinter().Print(&b, w)
	return b.String()
}

// isAllArgs: "$@", the words a function was given.
func isAllArgs(w *syntax.Word) bool {
	p := printWord(w)
	return p == `"$@"` || p == `$@` || p == `"${@}"`
}

// The shell's own commands: they run no program.
var builtins = map[string]bool{}

func init() {
	for _, b := range strings.Fields(`. : [ [[ alias bg break builtin caller cd command compgen complete
		continue declare dirs disown echo enable eval exec exit export false fc fg getopts hash help
		history jobs kill let local logout mapfile popd printf pushd pwd read readarray readonly return
		set shift shopt source suspend test times trap true type typeset ulimit umask unalias unset wait`) {
		builtins[b] = true
	}
}

// shellScan reads the programs one script runs.
type shellScan struct {
	repo   *repo
	script *script
	funcs  map[string]*syntax.FuncDecl
	offset int // line offset of a fragment (the string of sh -c)
}

func (sc *shellScan) visit(n syntax.Node) bool {
	switch n := n.(type) {
	case *syntax.CallExpr:
		if len(n.Args) > 0 {
			sc.command(n.Args, int(n.Args[0].Pos().Line()))
		}
	case *syntax.Word:
		if lit, ok := literal(n); ok && binPath.MatchString(lit) {
			sc.add(use{program: path.Base(lit), path: lit, line: int(n.Pos().Line())})
		}
	}
	return true
}

func (sc *shellScan) add(u use) {
	u.file, u.line = sc.script.rel, u.line+sc.offset
	sc.script.uses = append(sc.script.uses, u)
}

// command follows one command line from its first word through wrappers
// (exec, env, timeout, runuser --, functions that run "$@"…) to each program
// it runs on this machine. What runs in another root (chroot) is not ours.
func (sc *shellScan) command(args []*syntax.Word, line int) {
	for len(args) > 0 {
		name, ok := literal(args[0])
		if !ok {
			tail, _ := literalTail(args[0])
			if !isAllArgs(args[0]) && !strings.Contains(tail, "/") {
				sc.add(use{expr: sc.script.rel + ": " + printWord(args[0]), line: line})
			}
			return // "$@" is scanned where the function is called; "$BIN/x" is a path the scripts made
		}
		if sc.install(name, args[1:]) {
			return
		}
		if fn := sc.funcs[name]; fn != nil {
			skip, runs, elsewhere := wrapperKind(fn)
			if !runs || elsewhere || len(args) <= 1+skip {
				return
			}
			args = args[1+skip:]
			continue
		}
		switch {
		case strings.Contains(name, "/"): // a path: a script of ours, or a program (visit sees /usr/bin/…)
			return
		case builtins[name] && name != "exec" && name != "command":
			return
		case !builtins[name]:
			sc.add(use{program: name, line: line})
		}
		if name == "sh" || name == "bash" || name == "dash" {
			sc.shellString(args[1:], line)
			return
		}
		var elsewhere bool
		args, elsewhere = after(name, args[1:])
		if elsewhere {
			return
		}
	}
}

// shellString scans the string of sh -c "…", its expansions replaced by a
// placeholder word.
func (sc *shellScan) shellString(args []*syntax.Word, line int) {
	for i, w := range args {
		if lit, _ := literal(w); lit != "-c" || i+1 >= len(args) {
			continue
		}
		src := flatten(args[i+1].Parts)
		f, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(src), sc.script.rel)
		if err != nil {
			sc.add(use{expr: sc.script.rel + ": " + printWord(args[i+1]), line: line})
			return
		}
		inner := *sc
		inner.offset = sc.offset + line - 1
		syntax.Walk(f, inner.visit)
		return
	}
}

var dblQuoteEscapes = strings.NewReplacer(`\$`, `$`, "\\`", "`", `\"`, `"`, `\\`, `\`)

func flatten(parts []syntax.WordPart) string {
	var b strings.Builder
	for _, p := range parts {
		switch p := p.(type) {
		case *syntax.Lit:
			b.WriteString(p.Value)
		case *syntax.SglQuoted:
			b.WriteString(p.Value)
		case *syntax.DblQuoted: // the string as sh -c receives it: \$ is $
			b.WriteString(dblQuoteEscapes.Replace(flatten(p.Parts)))
		default:
			b.WriteString("X")
		}
	}
	return b.String()
}

// after returns the words a command runs as a command of its own, and
// whether they run in another root.
func after(name string, rest []*syntax.Word) ([]*syntax.Word, bool) {
	switch name {
	case "exec", "nohup", "setsid", "xargs":
		return skipOptions(rest, nil), false
	case "command":
		if l, _ := literal(first(rest)); l == "-v" || l == "-V" {
			return nil, false // asks whether a program exists
		}
		return rest, false
	case "env":
		return skipOptions(rest, map[string]bool{"-u": true, "-C": true}), false
	case "timeout":
		rest = skipOptions(rest, map[string]bool{"-s": true, "-k": true})
		if len(rest) > 0 {
			return rest[1:], false // the duration
		}
	case "runuser":
		for i, w := range rest {
			if l, _ := literal(w); l == "--" {
				return rest[i+1:], false
			}
		}
	case "chroot":
		if rest = skipOptions(rest, nil); len(rest) > 0 {
			return rest[1:], true
		}
	case "find":
		for i, w := range rest {
			if l, _ := literal(w); l == "-exec" || l == "-execdir" {
				return rest[i+1:], false
			}
		}
	}
	return nil, false
}

func first(ws []*syntax.Word) *syntax.Word {
	if len(ws) == 0 {
		return nil
	}
	return ws[0]
}

// skipOptions drops leading options (those in takesValue with their value)
// and VAR=value words.
func skipOptions(ws []*syntax.Word, takesValue map[string]bool) []*syntax.Word {
	for len(ws) > 0 {
		tail, _ := literalTail(ws[0])
		head := ""
		if lit, ok := ws[0].Parts[0].(*syntax.Lit); ok {
			head = lit.Value
		}
		switch {
		case takesValue[tail]:
			ws = ws[min(2, len(ws)):]
		case strings.HasPrefix(head, "-") || strings.Contains(head, "=") || strings.Contains(tail, "="):
			ws = ws[1:]
		default:
			return ws
		}
	}
	return ws
}

// wrapperKind says whether a function runs the words it was given as a
// command ("$@" as a command, after `skip` shifts), and whether in another
// root (chroot … "$@").
func wrapperKind(fn *syntax.FuncDecl) (skip int, runs, elsewhere bool) {
	syntax.Walk(fn.Body, func(n syntax.Node) bool {
		call, ok := n.(*syntax.CallExpr)
		if !ok || len(call.Args) == 0 {
			return true
		}
		args, inRoot := call.Args, false
		if name, _ := literal(args[0]); name == "shift" {
			skip += shiftCount(args)
		}
		for len(args) > 0 {
			if isAllArgs(args[0]) {
				runs, elsewhere = true, elsewhere || inRoot
				break
			}
			name, ok := literal(args[0])
			if !ok {
				break
			}
			var there bool
			args, there = after(name, args[1:])
			inRoot = inRoot || there
		}
		return true
	})
	return skip, runs, elsewhere
}

func shiftCount(args []*syntax.Word) int {
	if len(args) > 1 {
		if l, ok := literal(args[1]); ok {
			if n, err := strconv.Atoi(l); err == nil {
				return n
			}
		}
	}
	return 1
}

// aptArray matches "${NAME[@]}": a list of packages declared as an array.
var aptArray = regexp.MustCompile(`^"?\$\{(\w+)\[@\]\}"?$`)

// install records the packages of apt_install … or apt-get install …; true
// if the command was one.
func (sc *shellScan) install(name string, args []*syntax.Word) bool {
	switch name {
	case "apt_install":
	case "apt-get":
		for i, w := range args {
			if l, _ := literal(w); l == "install" {
				sc.script.installs = append(sc.script.installs, args[i+1:])
				sc.add(use{program: name, line: int(w.Pos().Line())})
				return true
			}
		}
		return false
	default:
		return false
	}
	sc.script.installs = append(sc.script.installs, args)
	return true
}

// packages is every package the script and the scripts it sources or runs
// install, with arrays looked up in those scripts.
func (r *repo) packages(rel string) map[string]bool {
	scripts := r.closure(rel)
	pkgs := map[string]bool{}
	for _, s := range scripts {
		for _, words := range s.installs {
			for _, w := range words {
				if lit, ok := literal(w); ok && !strings.HasPrefix(lit, "-") {
					pkgs[lit] = true
				} else if m := aptArray.FindStringSubmatch(printWord(w)); m != nil {
					for _, c := range scripts {
						for _, p := range c.arrays[m[1]] {
							pkgs[p] = true
						}
					}
				}
			}
		}
	}
	return pkgs
}
