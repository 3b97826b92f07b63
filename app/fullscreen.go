//go:build (production || dev) && linux

package app

// Whether the window fills the screen, read on the GTK main thread. Wails
// v2.9.2's WindowIsFullscreen calls gdk_window_get_state from the caller's
// goroutine (here an HTTP handler: the staff panel's window card), while the
// main thread may be changing that very window; GTK is not thread-safe, and
// the kiosk already died once of a GTK call off its thread (mainloop.go).
// So the read is queued with g_idle_add, like the quit, and its answer
// waited for, a second at most: a main loop too busy to answer in a second
// is logged, and the last state read stands (window.IsFullscreen).

/*
#cgo webkit2_41 pkg-config: gtk+-3.0 webkit2gtk-4.1
#cgo !webkit2_41 pkg-config: gtk+-3.0 webkit2gtk-4.0
#include "webview.h"

typedef struct {
	GMutex mu;
	GCond cond;
	int done, abandoned, full;
} tramsoFullRead;

static void tramso_full_free(tramsoFullRead *r) {
	g_mutex_clear(&r->mu);
	g_cond_clear(&r->cond);
	g_free(r);
}

// Runs on the GTK main thread (g_idle_add).
static gboolean tramso_read_full(gpointer data) {
	tramsoFullRead *r = data;
	int full = 0;
	WebKitWebView *view = tramso_view();
	if (view) {
		GdkWindow *w = gtk_widget_get_window(gtk_widget_get_toplevel(GTK_WIDGET(view)));
		full = w && (gdk_window_get_state(w) & GDK_WINDOW_STATE_FULLSCREEN) != 0;
	}
	g_mutex_lock(&r->mu);
	if (r->abandoned) {
		// The asker stopped waiting: the read is ours to free.
		g_mutex_unlock(&r->mu);
		tramso_full_free(r);
		return G_SOURCE_REMOVE;
	}
	r->full = full;
	r->done = 1;
	g_cond_signal(&r->cond);
	g_mutex_unlock(&r->mu);
	return G_SOURCE_REMOVE;
}

// 1 full screen, 0 not, -1 no answer within a second. Never call it on the
// main thread: it waits for the main thread.
static int tramso_is_fullscreen(void) {
	tramsoFullRead *r = g_new0(tramsoFullRead, 1);
	g_mutex_init(&r->mu);
	g_cond_init(&r->cond);
	g_idle_add(tramso_read_full, r);
	gint64 until = g_get_monotonic_time() + G_TIME_SPAN_SECOND;
	g_mutex_lock(&r->mu);
	while (!r->done)
		if (!g_cond_wait_until(&r->cond, &r->mu, until)) break;
	if (!r->done) {
		r->abandoned = 1;
		g_mutex_unlock(&r->mu);
		return -1;
	}
	int full = r->full;
	g_mutex_unlock(&r->mu);
	tramso_full_free(r);
	return full;
}
*/
import "C"

// windowFullscreen reads whether the window fills the screen on the GTK main
// thread; ok is false when the main loop did not answer within a second.
func windowFullscreen() (full, ok bool) {
	switch C.tramso_is_fullscreen() {
	case 1:
		return true, true
	case 0:
		return false, true
	}
	return false, false
}
