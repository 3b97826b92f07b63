//go:build desktop

package cli

import (
	"errors"
	"flag"
)

// errNoHub answers `tramso hub` in the kiosk's desktop binary.
var errNoHub = errors.New("the province hub is not part of the kiosk's build: run it from the plain binary " +
	"(go build -o tramso-server .), as README \"Several hubs on PostgreSQL\" says")

// cmdHub in a desktop build only says where the hub is. A kiosk never runs the
// hub, and its code (console, content studio, PostgreSQL driver) made up a
// third of the binary the window process maps (README "Window budget").
var cmdHub = &command{
	name:    "hub",
	summary: "not in the kiosk's build: the province hub runs from the plain binary (go build -o tramso-server .)",
	usage:   "ARGS",
	anyArgs: true,
	flags: func(fs *flag.FlagSet) func(*Env) error {
		return func(*Env) error { return errNoHub }
	},
}
