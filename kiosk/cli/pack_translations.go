package cli

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"tramso/kiosk/lang"
	"tramso/kiosk/translate"
)

// cmdPackTranslations moves a pack's resident-visible text in and out of
// gettext PO files for native-speaker translators (Poedit, Weblate).
var cmdPackTranslations = &command{
	name:    "pack translations",
	summary: "export, import and measure translations as gettext PO files",
	usage: "export|import|status [flags] [FILE]\n\n" +
		"  export --src DIR --lang L --out FILE.po   every line a resident sees, with its Vietnamese source\n" +
		"  import --src DIR --lang L FILE.po         check a translated file, then write it into DIR\n" +
		"  status --src DIR                          translated and recorded lines per language",
	flags: func(fs *flag.FlagSet) func(*Env) error {
		return func(env *Env) error {
			args := fs.Args()
			if len(args) == 0 {
				return usagef("pack translations: name export, import or status")
			}
			for _, c := range []*command{cmdTrExport, cmdTrImport, cmdTrStatus} {
				if c.name == "pack translations "+args[0] {
					return runCommand(c, args[1:], env)
				}
			}
			return usagef("pack translations: unknown subcommand %q (export, import or status)", args[0])
		}
	},
}

// shellCatalogues are the kiosk's own catalogues: the copy of
// frontend/src/i18n the frontend build puts in the embedded dist.
func shellCatalogues(env *Env) (fs.FS, error) {
	if env.Assets == nil {
		return nil, errors.New("this binary carries no frontend")
	}
	if _, err := fs.Stat(env.Assets, translate.ShellDir+"/vi"); err != nil {
		return nil, errors.New("this binary's frontend carries no shell catalogues (i18n/vi); rebuild it with `npx vite build`")
	}
	return env.Assets, nil
}

func checkSrcLang(name, src, code string) error {
	if src == "" {
		return usagef("%s: --src DIR is required", name)
	}
	if info, err := os.Stat(src); err != nil || !info.IsDir() {
		return fmt.Errorf("%s: %s is not a folder", name, src)
	}
	if code == "vi" || !lang.IsKnown(code) {
		return usagef("%s: --lang must be one of %s other than vi (the source), not %q", name, lang.KnownList(), code)
	}
	return nil
}

var cmdTrExport = &command{
	name:    "pack translations export",
	summary: "write every line a resident sees as a PO file for translators",
	usage:   "--src DIR --lang L --out FILE.po",
	flags: func(fs *flag.FlagSet) func(*Env) error {
		src := fs.String("src", "", "the pack's source folder")
		code := fs.String("lang", "", "the language to translate into: "+lang.KnownList())
		out := fs.String("out", "", "the PO file to write")
		return func(env *Env) error {
			if err := checkSrcLang("pack translations export", *src, *code); err != nil {
				return err
			}
			if *out == "" {
				return usagef("pack translations export: --out FILE.po is required")
			}
			shell, err := shellCatalogues(env)
			if err != nil {
				return err
			}
			units, err := translate.Collect(shell, os.DirFS(*src), *code)
			if err != nil {
				return err
			}
			var buf bytes.Buffer
			if err := translate.PO(units, *code).Write(&buf); err != nil {
				return err
			}
			if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
				return err
			}
			done := 0
			for _, u := range units {
				if u.Trans != "" {
					done++
				}
			}
			fmt.Fprintf(env.Stdout, "%s: %d lines, %d translated\n", *out, len(units), done)
			return nil
		}
	},
}

var cmdTrImport = &command{
	name:    "pack translations import",
	summary: "check a translated PO file and write it into the pack's source folder",
	usage:   "--src DIR --lang L FILE.po",
	flags: func(fs *flag.FlagSet) func(*Env) error {
		src := fs.String("src", "", "the pack's source folder")
		code := fs.String("lang", "", "the language of the file: "+lang.KnownList())
		return func(env *Env) error {
			if err := checkSrcLang("pack translations import", *src, *code); err != nil {
				return err
			}
			if fs.NArg() != 1 {
				return usagef("pack translations import: name one PO file")
			}
			shell, err := shellCatalogues(env)
			if err != nil {
				return err
			}
			f, err := os.Open(fs.Arg(0))
			if err != nil {
				return err
			}
			po, err := translate.Parse(f)
			f.Close()
			if err != nil {
				return fmt.Errorf("%s: %w; nothing was changed", fs.Arg(0), err)
			}
			n, err := translate.Import(shell, *src, *code, po)
			var probs translate.Problems
			if errors.As(err, &probs) {
				for _, p := range probs {
					fmt.Fprintf(env.Stderr, "%s:%s\n", filepath.Base(fs.Arg(0)), p.String())
				}
				return fmt.Errorf("%s: %d problem(s); nothing was changed", fs.Arg(0), len(probs))
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "%s: %d translated lines written into %s\n", fs.Arg(0), n, *src)
			return nil
		}
	},
}

var cmdTrStatus = &command{
	name:    "pack translations status",
	summary: "translated and recorded lines per language",
	usage:   "--src DIR",
	flags: func(fs *flag.FlagSet) func(*Env) error {
		src := fs.String("src", "", "the pack's source folder")
		return func(env *Env) error {
			if err := checkSrcLang("pack translations status", *src, "en"); err != nil {
				return err
			}
			shell, err := shellCatalogues(env)
			if err != nil {
				return err
			}
			cov, err := translate.Status(shell, os.DirFS(*src))
			if err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "%-5s %-15s %-15s %-15s %s\n", "lang", "shell", "lessons", "procedures", "recorded")
			for _, c := range cov {
				fmt.Fprintf(env.Stdout, "%-5s %-15s %-15s %-15s %s\n", c.Lang, pct(c.Shell), pct(c.Lessons), pct(c.Procedures), pct(c.Recorded))
			}
			return nil
		}
	},
}

func pct(c translate.Count) string {
	if c.Total == 0 {
		return "-"
	}
	return fmt.Sprintf("%d/%d %d%%", c.Done, c.Total, c.Done*100/c.Total)
}
