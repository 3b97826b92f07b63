// Command gen-ts writes the kiosk API's TypeScript contract
// (frontend/src/lib/api.gen.ts) from the Go types (kiosk/api/contract.go).
// `go generate ./kiosk/api` runs it; kiosk/api's TestTypeScriptIsCurrent
// fails until it has been run after a change to a JSON shape.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"tramso/kiosk/api"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "gen-ts:", err)
		os.Exit(1)
	}
}

func run() error {
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	ts, err := api.TypeScript()
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(root, api.TypeScriptFile), ts, 0o644)
}

// moduleRoot is the nearest folder above the working directory with a go.mod:
// go generate runs in the package's folder.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory")
		}
		dir = parent
	}
}
