package cli

import (
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"tramso/kiosk/content"
	"tramso/kiosk/flow"
	"tramso/kiosk/pack"
)

var cmdPackLint = &command{
	name:    "pack lint",
	summary: "check a pack's source folder as a kiosk would; name file and field of every problem",
	usage:   "--src DIR [--diagram FLOWID [--format mermaid|dot]]",
	flags: func(fs *flag.FlagSet) func(*Env) error {
		src := fs.String("src", "", "the pack's source folder")
		diagram := fs.String("diagram", "", "print the procedure flow with this id instead of only checking")
		format := fs.String("format", "mermaid", "diagram format: mermaid or dot")
		return func(env *Env) error {
			if *src == "" {
				return usagef("pack lint: --src DIR is required")
			}
			if *format != "mermaid" && *format != "dot" {
				return usagef("pack lint: --format must be mermaid or dot")
			}
			return lintSource(env, *src, *diagram, *format)
		}
	},
}

func lintSource(env *Env, dir, diagram, format string) error {
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		return fmt.Errorf("pack lint: %s is not a folder", dir)
	}
	src := os.DirFS(dir)
	probs := pack.LintSource(src)
	for _, p := range probs {
		fmt.Fprintln(env.Stderr, p.String())
	}
	if diagram != "" {
		if err := printDiagram(env, src, diagram, format); err != nil {
			return err
		}
	}
	if len(probs) > 0 {
		return fmt.Errorf("%d problem(s) in %s", len(probs), dir)
	}
	if diagram == "" {
		fmt.Fprintf(env.Stdout, "%s: no problems\n", dir)
	}
	return nil
}

func printDiagram(env *Env, src fs.FS, id, format string) error {
	p, err := content.Load(src)
	if err != nil {
		return fmt.Errorf("pack lint --diagram: the pack must load to draw a flow; fix the problems above first")
	}
	f := p.Flow(id)
	if f == nil {
		var ids []string
		for _, r := range p.Flows() {
			ids = append(ids, r.Flow.ID)
		}
		return fmt.Errorf("pack lint --diagram: no flow %q (flows: %s)", id, strings.Join(ids, ", "))
	}
	out, err := flow.Diagram(f, format)
	if err != nil {
		return err
	}
	_, err = io.WriteString(env.Stdout, out)
	return err
}
