package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"tramso/kiosk/config"
	"tramso/kiosk/store"
	"tramso/kiosk/usage"
)

// cmdUsage groups the usage-log commands.
var cmdUsage = &command{
	name:    "usage",
	summary: "the anonymous usage log (export)",
	usage: "SUBCOMMAND [flags] [ARG]\n\nSubcommands:\n" +
		"  export --from DATE --to DATE [--format csv|json] [--data DIR] [--config FILE]\n" +
		"                 print the daily totals, small counts left out (usage.export_threshold)",
	flags: func(fs *flag.FlagSet) func(*Env) error {
		return func(env *Env) error { return runUsage(env, fs.Args()) }
	},
}

func runUsage(env *Env, args []string) error {
	if len(args) == 0 {
		return usagef("usage: name a subcommand (see `tramso usage --help`)")
	}
	if args[0] == "export" {
		return runCommand(cmdUsageExport, args[1:], env)
	}
	return usagef("usage: unknown subcommand %q (see `tramso usage --help`)", args[0])
}

var cmdUsageExport = &command{
	name:    "usage export",
	summary: "print the anonymous daily usage totals of a kiosk as CSV or JSON (the hub's payload)",
	usage:   "--from DATE --to DATE [--format csv|json] [--data DIR] [--config FILE]",
	flags: func(fs *flag.FlagSet) func(*Env) error {
		from := fs.String("from", "", "first day, YYYY-MM-DD (in the kiosk's schedule.timezone)")
		to := fs.String("to", "", "last day, YYYY-MM-DD, included")
		format := fs.String("format", "csv", "csv or json")
		kf := addKioskFlags(fs)
		return func(env *Env) error { return exportUsage(env, kf, *from, *to, *format) }
	},
}

func exportUsage(env *Env, kf *kioskFlags, fromArg, toArg, format string) error {
	if format != "csv" && format != "json" {
		return usagef("usage export: --format must be csv or json, not %q", format)
	}
	opts := kf.options()
	cfg, err := config.LoadOrDefault(opts.ConfigPath, opts.ConfigExplicit)
	if err != nil {
		return err
	}
	from, err := time.ParseInLocation(time.DateOnly, fromArg, cfg.Location())
	if err != nil {
		return usagef("usage export: --from %q is not a date like 2026-11-01", fromArg)
	}
	to, err := time.ParseInLocation(time.DateOnly, toArg, cfg.Location())
	if err != nil {
		return usagef("usage export: --to %q is not a date like 2026-11-30", toArg)
	}
	if to.Before(from) {
		return usagef("usage export: --to %s is before --from %s", toArg, fromArg)
	}
	path := filepath.Join(opts.DataDir, store.FileName)
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("no kiosk database at %s (see --data)", path)
	}
	// No directory lock: the kiosk may be running, and SQLite's WAL lets this
	// read alongside it.
	db, err := store.OpenDB(path)
	if err != nil {
		return err
	}
	defer db.Close()
	totals, err := usage.DailyTotals(context.Background(), db, from, to, cfg.Usage.ExportThreshold)
	if err != nil {
		return fmt.Errorf("usage export from %s: %w", path, err)
	}
	if format == "json" {
		return usage.WriteJSON(env.Stdout, totals)
	}
	return usage.WriteCSV(env.Stdout, totals)
}
