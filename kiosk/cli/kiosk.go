package cli

import (
	"context"
	"flag"
	"os/signal"
	"syscall"
)

// cmdKiosk is what `tramso` with no command runs: the desktop window.
var cmdKiosk = &command{
	name:    "",
	summary: "open the kiosk: a locked-down full-screen window (needs a desktop build)",
	usage:   "[--windowed] [--data DIR] [--config FILE]",
	flags: func(fs *flag.FlagSet) func(*Env) error {
		windowed := fs.Bool("windowed", false, "open a normal window instead of locked full screen (development)")
		kf := addKioskFlags(fs)
		return func(env *Env) error { return openKiosk(env, kf, DesktopOptions{Windowed: *windowed}) }
	},
}

func openKiosk(env *Env, kf *kioskFlags, opts DesktopOptions) error {
	// Caught from the first moment: a SIGTERM while the kiosk starts (a stop
	// or restart by systemd) closes it as soon as its window can close.
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	if err := checkScreens(env.Assets); err != nil {
		return err
	}
	st, err := openStation(kf.options())
	if err != nil {
		return err
	}
	defer st.Close()
	go st.Run(ctx)
	return env.Desktop(ctx, st, env.Assets, opts)
}

var cmdVersion = &command{
	name:    "version",
	summary: "print the version",
	usage:   "",
	flags: func(fs *flag.FlagSet) func(*Env) error {
		return func(env *Env) error {
			_, err := env.Stdout.Write([]byte(versionLine() + "\n"))
			return err
		}
	},
}
