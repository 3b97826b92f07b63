package cli

import (
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"tramso/kiosk/content"
)

var cmdPackExport = &command{
	name:    "pack export-starter",
	summary: "write the embedded starter content as a source folder, to start the province's packs from",
	usage:   "--out DIR",
	flags: func(fs *flag.FlagSet) func(*Env) error {
		out := fs.String("out", "", "folder to create (must not exist or be empty)")
		return func(env *Env) error {
			if *out == "" {
				return usagef("pack export-starter: --out DIR is required")
			}
			if err := exportStarter(*out); err != nil {
				return err
			}
			fmt.Fprintf(env.Stdout, "wrote the starter content to %s\n", *out)
			return nil
		}
	},
}

func exportStarter(dir string) error {
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return fmt.Errorf("%s is not empty; export into a new folder", dir)
	}
	src := content.Starter()
	return fs.WalkDir(src, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		dst := filepath.Join(dir, filepath.FromSlash(p))
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		data, err := fs.ReadFile(src, p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	})
}
