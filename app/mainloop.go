//go:build (production || dev) && linux

package app

// The one way the window's main loop ends. GTK may be touched only on its
// main thread, yet Wails v2.9.2 calls gtk_main_quit from whichever goroutine
// quits, and on SIGTERM two do at once (its own signal handler and ours): one
// of them could reach the loop just as gtk_main freed it, and the kiosk died
// with SIGSEGV instead of closing (seen once in CI). g_idle_add is safe from
// any thread, so the quit is queued and runs on the main thread; queued
// before the loop starts (SIGTERM during start-up), it runs as it starts.

/*
#include <gtk/gtk.h>

static gboolean tramso_quit(gpointer data) {
	if (gtk_main_level() > 0) gtk_main_quit();
	return G_SOURCE_REMOVE;
}

static void tramso_quit_later(void) { g_idle_add(tramso_quit, NULL); }
*/
import "C"

// quitMainLoop ends the window's main loop, from any goroutine; wails.Run
// then closes the window and returns.
func quitMainLoop() { C.tramso_quit_later() }
