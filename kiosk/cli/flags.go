package cli

import (
	"flag"
	"strings"

	"tramso/kiosk/config"
	"tramso/kiosk/station"
)

// kioskFlags are the flags every command that opens a kiosk's data shares.
type kioskFlags struct {
	data   string
	config string
}

func addKioskFlags(fs *flag.FlagSet) *kioskFlags {
	k := &kioskFlags{}
	fs.StringVar(&k.data, "data", config.DefaultDataDir(), "data directory (database, applied content packs)")
	fs.StringVar(&k.config, "config", "", "config file (default "+config.DefaultPath()+" when it exists)")
	return k
}

// options turns the flags into station options.
func (k *kioskFlags) options() station.Options {
	path, explicit := k.config, k.config != ""
	if !explicit {
		path = config.DefaultPath()
	}
	return station.Options{
		DataDir:        k.data,
		ConfigPath:     path,
		ConfigExplicit: explicit,
		Log:            processLog(),
	}
}

// listFlag is a flag that may be given several times (--key, --pub during a
// key rotation).
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// flagGiven reports whether the flag name was on the command line, not
// left at its default.
func flagGiven(fs *flag.FlagSet, name string) bool {
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
}
