package cli

import (
	"flag"
	"fmt"
	"net"
	"net/http"
	"time"

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
	st, err := openStation(kf.options())
	if err != nil {
		return err
	}
	defer st.Close()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	srv := newHTTPServer(st.Handler(env.Assets), serveTimeouts)
	fmt.Fprintf(env.Stdout, "Trạm Số %s serving on http://%s/\n", buildinfo.AppVersion(), ln.Addr())
	return serveUntilSignal(srv, func() error { return srv.Serve(ln) }, st.Run)
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
