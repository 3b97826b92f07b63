// Package app is the Wails glue, and the only place that imports Wails: the
// window options that lock the kiosk down, its lifecycle, and the runtime calls
// behind the small api.Window seam. Everything else lives in kiosk/.
package app

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
	"github.com/wailsapp/wails/v2/pkg/runtime"

	"tramso/kiosk/api"
	"tramso/kiosk/cli"
	"tramso/kiosk/station"
)

// ErrNoDesktop is returned by a binary built without the desktop window.
var ErrNoDesktop = errors.New("this tramso was built without the desktop window " +
	"(build the frontend, then go build -tags desktop,production,webkit2_41); " +
	"use `tramso serve` to run the kiosk in a browser")

// Run opens the kiosk window and returns when it closes or ctx ends (SIGTERM).
func Run(ctx context.Context, st *station.Station, assets fs.FS, opts cli.DesktopOptions) error {
	if !desktopBuild {
		return ErrNoDesktop
	}
	w := &window{quitMarker: os.Getenv(QuitMarkerEnv), log: st.Log}
	if st.Log != nil {
		life.log = st.Log
	}
	life.record = st.WindowIncident
	st.API.Window = w
	go watchHeartbeat(ctx, st.Watchdog, st.Sound)
	go func() {
		<-ctx.Done() // SIGTERM from systemd or a test: close cleanly, never swallow it
		w.close()    // not Quit: systemd (or the daily restart) wants the kiosk back
	}()
	return wails.Run(windowOptions(st, assets, opts, w))
}

func windowOptions(st *station.Station, assets fs.FS, opts cli.DesktopOptions, w *window) *options.App {
	handler := st.Handler(assets)
	kiosk := !opts.Windowed
	state := options.Fullscreen
	if opts.Windowed {
		state = options.Normal
	}
	return &options.App{
		Title:            "Trạm Số",
		Width:            1920,
		Height:           1080,
		MinWidth:         800,
		MinHeight:        600,
		Frameless:        kiosk,
		DisableResize:    kiosk,
		AlwaysOnTop:      kiosk,
		WindowStartState: state,
		StartHidden:      true, // shown in OnDomReady: no white flash
		// The page's own paper colour (--c-bg): what shows for the moment
		// the page is renewed between residents (pagelife.go).
		BackgroundColour: &options.RGBA{R: 0xfa, G: 0xf7, B: 0xf0, A: 255},
		AssetServer: &assetserver.Options{
			Assets:     assets,
			Handler:    handler,
			Middleware: apiFirst(handler),
		},
		DragAndDrop:              &options.DragAndDrop{DisableWebViewDrop: true},
		EnableDefaultContextMenu: false,
		HideWindowOnClose:        false,
		SingleInstanceLock:       &options.SingleInstanceLock{UniqueId: "vn.tramso.kiosk"},
		OnStartup:                func(ctx context.Context) { w.setContext(ctx); tuneWebKit(); watchWebProcess() },
		OnDomReady:               func(ctx context.Context) { showWindow(ctx, st) },
		// Every close Wails sees (its own SIGTERM handler, a window manager's
		// close) is carried out by w.close on GTK's main thread; true keeps
		// Wails from also quitting off it (mainloop.go).
		OnBeforeClose: func(ctx context.Context) bool { w.close(); return true },
		Linux: &linux.Options{
			ProgramName:      "tramso",
			WebviewGpuPolicy: gpuPolicy(st.Config.Window.GPUPolicy),
		},
	}
}

// apiFirst routes /api/ to the API before the asset server looks for a file,
// so that `wails dev` (Vite in front) reaches it too. The asset server
// serves the page and its files itself, so the page's headers (its content
// security policy) are set here, as `tramso serve` sets them for a browser.
func apiFirst(handler http.Handler) assetserver.Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
			if strings.HasPrefix(r.URL.Path, "/api/") {
				handler.ServeHTTP(rw, r)
				return
			}
			api.PageHeaders(rw.Header(), "'none'")
			next.ServeHTTP(rw, r)
		})
	}
}

// started is when the process began, for the cold-start figure in the log.
var started = time.Now()

// showWindow shows the window once the page is ready (no white flash) and logs
// how long the cold start took; OnDomReady fires again on every reload.
func showWindow(ctx context.Context, st *station.Station) {
	runtime.WindowShow(ctx)
	st.Log.Info("window ready", "since_start_ms", time.Since(started).Milliseconds())
}

func gpuPolicy(name string) linux.WebviewGpuPolicy {
	switch name {
	case "always":
		return linux.WebviewGpuPolicyAlways
	case "ondemand":
		return linux.WebviewGpuPolicyOnDemand
	}
	return linux.WebviewGpuPolicyNever
}

// QuitMarkerEnv names the file a staff quit leaves behind. kiosk-session sets
// it to a file in the service's runtime directory and, when it finds the file
// after cage ends, exits with a status the unit does not restart on. Unset
// (dev, a desktop run by hand) there is nothing to tell and no marker.
const QuitMarkerEnv = "TRAMSO_QUIT_MARKER"

// writeQuitMarker leaves the staff-quit marker at path; "" writes nothing.
func writeQuitMarker(path string) error {
	if path == "" {
		return nil
	}
	note := fmt.Sprintf("staff quit at %s (pid %d)\n", time.Now().UTC().Format(time.RFC3339), os.Getpid())
	return os.WriteFile(path, []byte(note), 0o600)
}

// window carries out api.Window with the Wails runtime. Calls before the window
// exists are dropped: a Wails runtime call without a Wails context kills the process.
type window struct {
	mu         sync.Mutex
	ctx        context.Context
	quitMarker string // $TRAMSO_QUIT_MARKER, "" when none
	log        *slog.Logger
	full       bool // whether the window filled the screen when last read (IsFullscreen)
}

func (w *window) setContext(ctx context.Context) {
	w.mu.Lock()
	w.ctx = ctx
	w.mu.Unlock()
}

func (w *window) do(f func(ctx context.Context)) {
	w.mu.Lock()
	ctx := w.ctx
	w.mu.Unlock()
	if ctx != nil {
		f(ctx)
	}
}

func (w *window) Fullscreen()   { w.do(runtime.WindowFullscreen) }
func (w *window) Unfullscreen() { w.do(runtime.WindowUnfullscreen) }

// IsFullscreen reads the window's state on the GTK main thread (false
// before the window has started). A main loop that does not answer within a
// second leaves the last state read, and the log says so.
func (w *window) IsFullscreen() bool {
	w.do(func(context.Context) {
		full, ok := windowFullscreen()
		w.mu.Lock()
		defer w.mu.Unlock()
		if ok {
			w.full = full
		} else if w.log != nil {
			w.log.Warn("the window's main loop did not say within a second whether it fills the screen: the last state read stands", "fullscreen", w.full)
		}
	})
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.full
}

// Quit is the staff panel's "quit the app": on a kiosk it must stay closed
// for maintenance, so it leaves the marker first. Only this path writes it: a
// crash, a watchdog kill or SIGTERM (close) end without one and come back.
func (w *window) Quit() {
	w.do(func(ctx context.Context) {
		if err := writeQuitMarker(w.quitMarker); err != nil && w.log != nil {
			w.log.Error("staff quit: no marker, so systemd will start the kiosk again", "err", err)
		}
		quitMainLoop()
	})
}

// Renew starts the page again in a fresh web process (pagelife.go): the
// page asks once a resident's session has ended.
func (w *window) Renew() {
	w.do(func(context.Context) {
		if life.renew(time.Now()) {
			endWebProcess()
		}
	})
}

// close ends the app without the marker (SIGTERM, the daily restart). It
// needs no window: a SIGTERM during start-up ends the app as its loop starts.
func (w *window) close() { quitMainLoop() }
