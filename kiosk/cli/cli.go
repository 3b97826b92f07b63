// Package cli is the `tramso` command line: one small file per command, each
// with its own flags and help, sharing the flags that locate a kiosk's data.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"strings"
	"sync"

	"tramso/kiosk/buildinfo"
	"tramso/kiosk/station"
)

// DesktopOptions are the desktop window's flags.
type DesktopOptions struct {
	Windowed bool // a normal window for development instead of locked full screen
}

// Env is what the command line needs from main: the built UI and, in desktop
// builds, the function that opens the Wails window (kiosk/ never imports Wails).
type Env struct {
	Assets  fs.FS
	Desktop func(ctx context.Context, st *station.Station, assets fs.FS, opts DesktopOptions) error
	Stdin   io.Reader
	Stdout  io.Writer
	Stderr  io.Writer
}

// command is one subcommand.
type command struct {
	name    string
	summary string                                      // one line for `tramso --help`
	usage   string                                      // the argument synopsis
	flags   func(fs *flag.FlagSet) func(env *Env) error // declares flags, returns the runner
	// anyArgs runs whatever the arguments: the desktop build's hub only
	// says where the hub lives, to whoever typed the hub's own flags.
	anyArgs bool
}

// commands lists every subcommand, in the order `tramso --help` shows them.
func commands() []*command {
	return []*command{cmdServe, cmdPack, cmdKeygen, cmdUsage, cmdEnroll, cmdDoctor, cmdHub, cmdStaffPIN, cmdPinKey, cmdVersion}
}

// usageError is a mistake in how the command was called: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// advisedError is a failure followed, on lines of its own, by what the person
// at the kiosk should do about it. Wrapping keeps the advice out of the error
// text itself, which stays a plain lower-case clause.
type advisedError struct {
	err    error
	advice string
}

func (e advisedError) Error() string { return e.err.Error() + "\n" + e.advice }
func (e advisedError) Unwrap() error { return e.err }

// advise adds what to do about err.
func advise(err error, advice string) error { return advisedError{err, advice} }

// Main runs the command line and returns the process exit status.
func Main(args []string, env Env) int {
	if env.Stdin == nil {
		env.Stdin = os.Stdin
	}
	if env.Stdout == nil {
		env.Stdout = os.Stdout
	}
	if env.Stderr == nil {
		env.Stderr = os.Stderr
	}
	processLog()
	err := run(args, &env)
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, new(usageError)):
		fmt.Fprintf(env.Stderr, "tramso: %v\n", err)
		return 2
	default:
		fmt.Fprintf(env.Stderr, "tramso: %v\n", err)
		return 1
	}
}

// processLog is the process's one logger, text on stderr, and slog's default
// too: what logs through slog.Default (store.Migrate's warning of a newer
// release's migrations) then reads like the hub's and the kiosk's own lines.
var processLog = sync.OnceValue(func() *slog.Logger {
	l := slog.New(slog.NewTextHandler(os.Stderr, nil))
	slog.SetDefault(l)
	return l
})

func run(args []string, env *Env) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help") {
			printHelp(env.Stdout)
			return nil
		}
		return runCommand(cmdKiosk, args, env)
	}
	if args[0] == "help" {
		if len(args) > 1 {
			return run([]string{args[1], "--help"}, env)
		}
		printHelp(env.Stdout)
		return nil
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return runCommand(c, args[1:], env)
		}
	}
	return usagef("unknown command %q (see `tramso --help`)", args[0])
}

func runCommand(c *command, args []string, env *Env) error {
	name := "tramso " + c.name
	if c == cmdKiosk {
		name = "tramso"
	}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // the errors and the usage are printed once, below
	runner := c.flags(fs)
	if err := fs.Parse(args); err != nil {
		if c.anyArgs {
			return runner(env)
		}
		if errors.Is(err, flag.ErrHelp) {
			printUsage(env.Stdout, fs, name, c)
			return flag.ErrHelp
		}
		printUsage(env.Stderr, fs, name, c)
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 && !strings.Contains(c.usage, "FILE") && !strings.Contains(c.usage, "ARG") {
		return usagef("%s: unexpected argument %q (see `%s --help`)", name, fs.Arg(0), name)
	}
	return runner(env)
}

func printUsage(out io.Writer, fs *flag.FlagSet, name string, c *command) {
	fmt.Fprintf(out, "Usage: %s %s\n\n%s\n", name, c.usage, c.summary)
	if hasFlags(fs) {
		fmt.Fprintln(out, "\nFlags:")
		fs.SetOutput(out)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
}

func hasFlags(fs *flag.FlagSet) bool {
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	return n > 0
}

func printHelp(w io.Writer) {
	fmt.Fprintf(w, "Trạm Số %s — self-service kiosk for commune cultural houses and libraries.\n\n", buildinfo.AppVersion())
	fmt.Fprintln(w, "Usage:\n  tramso [--windowed] [--data DIR] [--config FILE]   open the kiosk window")
	fmt.Fprintln(w, "  tramso COMMAND [flags]\n\nCommands:")
	cmds := commands()
	for _, c := range cmds {
		fmt.Fprintf(w, "  %-14s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun `tramso COMMAND --help` for a command's flags.")
}
