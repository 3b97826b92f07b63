// Command preflight proves, before the tests run, that the test command
// installs every external program the tests and the build scripts invoke.
//
// A fresh Debian 12 machine once failed `bash build/scripts/test.sh` because
// an end-to-end test ran zbarimg, which a developer had installed by hand and
// no script installed. This command makes that class of bug fail in seconds,
// naming the program and where it is invoked:
//
//  1. scan: every program invoked by Go code (exec.Command, CommandContext,
//     LookPath), by Node (spawn, execFile…, in frontend/e2e and
//     frontend/scripts) and by the shell scripts under build/ and .ci/;
//  2. table: each must have a row in build/scripts/programs.tsv naming the
//     Debian package that provides it (or "image" for what the CI machine
//     image brings, "built" for the project's own binaries), unless dpkg says
//     it comes from an Essential or priority-required package;
//  3. installs: each row's package must be installed by the scripts that run
//     the program (parsed from their apt_install calls and APT_* arrays), or,
//     for the scripts shipped in the .deb, by the package's Depends;
//  4. reality (run after the installs): each program of the test command
//     resolves on PATH and dpkg says its file belongs to the row's package or
//     one it depends on, so the table cannot lie.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

func main() {
	root := flag.String("root", ".", "the repository")
	verbose := flag.Bool("v", false, "list every program and where it is invoked")
	flag.Parse()

	start := time.Now()
	problems, summary, err := run(*root, *verbose)
	if err != nil {
		fmt.Fprintln(os.Stderr, "preflight:", err)
		os.Exit(2)
	}
	for _, p := range problems {
		fmt.Fprintln(os.Stderr, "preflight:", p)
	}
	if len(problems) > 0 {
		fmt.Fprintf(os.Stderr, "preflight: %d problem(s); the table is %s\n", len(problems), tablePath)
		os.Exit(1)
	}
	fmt.Printf("preflight: %s (%.1f s)\n", summary, time.Since(start).Seconds())
}

// tablePath is where the declared programs live, beside the apt lists in lib.sh.
const tablePath = "build/scripts/programs.tsv"

func run(root string, verbose bool) ([]string, string, error) {
	root, err := filepath.Abs(root)
	if err != nil {
		return nil, "", err
	}
	repo, err := scan(root)
	if err != nil {
		return nil, "", err
	}
	table, err := readTable(filepath.Join(root, tablePath))
	if err != nil {
		return nil, "", err
	}
	db, err := readDpkg()
	if err != nil {
		return nil, "", err
	}
	c := &checker{repo: repo, table: table, dpkg: db}
	if verbose {
		c.list(os.Stdout)
	}
	problems := c.check()
	return problems, c.summary(), nil
}
