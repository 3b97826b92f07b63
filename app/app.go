// Package app is the Wails glue, and the only place that imports Wails: the
// window options that lock the kiosk down, its lifecycle, and the runtime calls
// behind the small api.Window seam. Everything else lives in kiosk/.
package app

import (
	"context"
	"errors"
	"io/fs"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
	"github.com/wailsapp/wails/v2/pkg/runtime"

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
	w := &window{}
	st.API.Window = w
	go func() {
		<-ctx.Done() // SIGTERM from systemd or a test: close cleanly, never swallow it
		w.Quit()
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
		BackgroundColour: &options.RGBA{R: 0x0b, G: 0x3d, B: 0x5c, A: 255},
		AssetServer: &assetserver.Options{
			Assets:     assets,
			Handler:    handler,
			Middleware: apiFirst(handler),
		},
		DragAndDrop:              &options.DragAndDrop{DisableWebViewDrop: true},
		EnableDefaultContextMenu: false,
		HideWindowOnClose:        false,
		SingleInstanceLock:       &options.SingleInstanceLock{UniqueId: "vn.tramso.kiosk"},
		OnStartup:                w.setContext,
		OnDomReady:               func(ctx context.Context) { showWindow(ctx, st) },
		OnBeforeClose:            func(ctx context.Context) bool { return false },
		Linux: &linux.Options{
			ProgramName:      "tramso",
			WebviewGpuPolicy: gpuPolicy(st.Config.Window.GPUPolicy),
		},
	}
}

// apiFirst routes /api/ to the API before the asset server looks for a file,
// so that `wails dev` (Vite in front) reaches it too.
func apiFirst(api http.Handler) assetserver.Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
			if strings.HasPrefix(r.URL.Path, "/api/") {
				api.ServeHTTP(rw, r)
				return
			}
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

// window carries out api.Window with the Wails runtime. Calls before the window
// exists are dropped: a Wails runtime call without a Wails context kills the process.
type window struct {
	mu  sync.Mutex
	ctx context.Context
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
func (w *window) Quit()         { w.do(runtime.Quit) }
