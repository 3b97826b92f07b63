//go:build (production || dev) && linux

// The web process's life seen from the window: WebKit's page runs in a
// process of its own, which may crash, and which the kiosk ends on purpose
// after each resident (app/pagelife.go says why). Wails v2 does neither: a
// crashed page stayed blank until systemd's watchdog restarted the kiosk.

#include "webview.h"
#include "_cgo_export.h"

static void tramso_web_process_terminated(WebKitWebView *view, WebKitWebProcessTerminationReason reason, gpointer data) {
	// Reloading starts a new web process and loads the page in it.
	if (tramsoWebProcessEnded((int)reason)) webkit_web_view_reload(view);
}

static gboolean tramso_watch(gpointer data) {
	WebKitWebView *view = tramso_view();
	if (view) g_signal_connect(view, "web-process-terminated", G_CALLBACK(tramso_web_process_terminated), NULL);
	return G_SOURCE_REMOVE;
}

void tramso_watch_later(void) { g_idle_add(tramso_watch, NULL); }

static gboolean tramso_renew(gpointer data) {
	WebKitWebView *view = tramso_view();
	if (view) webkit_web_view_terminate_web_process(view);
	return G_SOURCE_REMOVE;
}

void tramso_renew_later(void) { g_idle_add(tramso_renew, NULL); }
