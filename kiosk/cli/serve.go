package cli

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"time"

	"tramso/kiosk/api"
	"tramso/kiosk/buildinfo"
)

var cmdServe = &command{
	name:    "serve",
	summary: "serve the kiosk UI and API to a browser (tests, development, Chromium kiosk mode)",
	usage:   "[--addr HOST:PORT] [--data DIR] [--config FILE]",
	flags: func(fs *flag.FlagSet) func(*Env) error {
		addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
		kf := addKioskFlags(fs)
		return func(env *Env) error { return serve(env, *addr, kf) }
	},
}

func serve(env *Env, addr string, kf *kioskFlags) error {
	if _, _, err := net.SplitHostPort(addr); err != nil {
		return usagef("--addr %q is not HOST:PORT", addr)
	}
	if err := checkScreens(env.Assets); err != nil {
		return err
	}
	st, err := openStation(kf.options())
	if err != nil {
		return err
	}
	defer st.Close()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	// A browser page of another site, or a DNS name rebound to this
	// address, must not reach the API (kiosk/api crosssite.go).
	st.API.Origins = api.ServedOrigins(addr, ln.Addr())
	srv := newHTTPServer(st.Handler(env.Assets), serveTimeouts)
	fmt.Fprintf(env.Stdout, "Trạm Số %s serving on http://%s/\n", buildinfo.AppVersion(), ln.Addr())
	return serveUntilSignal(srv, func() error { return srv.Serve(ln) }, st.Run)
}

// checkScreens refuses a binary built before its screens were: Go embeds
// frontend/dist whatever it holds, and with only its .gitkeep the kiosk
// served a file listing where residents expect the attract screen (outside
// QA R16).
func checkScreens(assets fs.FS) error {
	if assets == nil || !fileExists(assets, "index.html") {
		return errors.New("this binary holds no screens (frontend/dist had no index.html when it was built): " +
			"build the frontend first, then the binary (README, \"Building\")")
	}
	return nil
}

func fileExists(fsys fs.FS, name string) bool {
	_, err := fs.Stat(fsys, name)
	return err == nil
}

// timeouts bound how long one client may hold a connection of `tramso
// serve`: a slow or stalled client (slow-loris) must not tie up the kiosk's
// connections and memory.
type timeouts struct {
	header time.Duration // the request line and headers
	read   time.Duration // the whole request, body included
	idle   time.Duration // a kept-alive connection between requests
}

// serveTimeouts suit the kiosk's page on the same machine and its API's small
// JSON bodies; no request is larger than a usage event batch.
var serveTimeouts = timeouts{header: 5 * time.Second, read: 30 * time.Second, idle: 2 * time.Minute}

func newHTTPServer(h http.Handler, t timeouts) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: t.header, ReadTimeout: t.read, IdleTimeout: t.idle,
		MaxHeaderBytes: 64 << 10}
}
