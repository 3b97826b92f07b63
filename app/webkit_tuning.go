//go:build (production || dev) && linux

package app

// WebKit settings that Wails v2.9.2's options.Linux does not reach. Wails
// builds its web view on WebKit's default web context, so the levers left are
// the ones that can still change after the view exists: the context's cache
// model and the view's WebKitSettings. (The web process's memory-pressure
// settings are a construct-only property of a web context, out of reach
// without replacing Wails' window code; see README "Window budget".)
// Measured one by one with app/bench_window_test.go (README "Window budget"):
// each is within the spread between runs, a few MiB at most. They stay on
// because they cost nothing and turn off what a kiosk page never uses.

/*
#cgo webkit2_41 pkg-config: gtk+-3.0 webkit2gtk-4.1
#cgo !webkit2_41 pkg-config: gtk+-3.0 webkit2gtk-4.0
#include "webview.h"

typedef struct { int cache; int pageCache; int media; int console; } tramsoTuning;

// Runs on the GTK main thread (g_idle_add): WebKit may only be touched there.
static gboolean tramso_tune(gpointer data) {
	tramsoTuning *t = data;
	WebKitWebView *view = tramso_view();
	if (view) {
		WebKitSettings *s = webkit_web_view_get_settings(view);
		if (t->cache)
			// One local page: no memory cache of decoded resources worth keeping
			// for other pages; WebKit sizes its caches to the minimum.
			webkit_web_context_set_cache_model(webkit_web_view_get_context(view), WEBKIT_CACHE_MODEL_DOCUMENT_VIEWER);
		if (t->pageCache)
			// The kiosk is one page that never navigates: nothing to go back to.
			webkit_settings_set_enable_page_cache(s, FALSE);
		if (t->media) {
			// The page plays narration through <audio> only: no Web Audio, no
			// media source extensions, no WebGL, no camera or microphone.
			webkit_settings_set_enable_webaudio(s, FALSE);
			webkit_settings_set_enable_mediasource(s, FALSE);
			webkit_settings_set_enable_webgl(s, FALSE);
			webkit_settings_set_enable_media_stream(s, FALSE);
		}
		if (t->console)
			// The page's console (its errors, a refused script) on stdout.
			webkit_settings_set_enable_write_console_messages_to_stdout(s, TRUE);
	}
	g_free(t);
	return G_SOURCE_REMOVE;
}

static void tramso_tune_later(int cache, int pageCache, int media, int console) {
	tramsoTuning *t = g_new0(tramsoTuning, 1);
	t->cache = cache;
	t->pageCache = pageCache;
	t->media = media;
	t->console = console;
	g_idle_add(tramso_tune, t);
}
*/
import "C"

import (
	"os"
	"strings"
)

// TuningEnv names the variable that picks the levers below, for the window
// benchmark's one-lever-at-a-time figures: unset or "all" applies every
// lever, "none" none, else a comma list of cache,pagecache,media.
const TuningEnv = "TRAMSO_WEBKIT_TUNING"

// ConsoleEnv, set to 1, writes the page's console messages to stdout (the
// journal): a script error or a refused load in the real window shows there,
// where no developer tools reach. The desktop smoke test sets it.
const ConsoleEnv = "TRAMSO_WEBKIT_CONSOLE"

// tuneWebKit queues the settings onto the GTK main loop. Call it from
// OnStartup: the view exists by then and the page has not loaded yet, or
// only just, so the settings hold from the first screen on.
func tuneWebKit() {
	on := levers(os.Getenv(TuningEnv))
	C.tramso_tune_later(cBool(on["cache"]), cBool(on["pagecache"]), cBool(on["media"]), cBool(os.Getenv(ConsoleEnv) == "1"))
}

func levers(spec string) map[string]bool {
	switch spec {
	case "", "all":
		return map[string]bool{"cache": true, "pagecache": true, "media": true}
	case "none":
		return map[string]bool{}
	}
	on := map[string]bool{}
	for _, name := range strings.Split(spec, ",") {
		on[strings.TrimSpace(name)] = true
	}
	return on
}

func cBool(b bool) C.int {
	if b {
		return 1
	}
	return 0
}
