//go:build (production || dev) && linux

// The page's loads seen from the window: WebKit's page runs in a process of
// its own, which may crash, and which the kiosk ends on purpose after each
// resident or when the page froze (app/pagelife.go says why); each time, the
// page loads again. Wails v2 does neither: a crashed page stayed blank until
// systemd's watchdog restarted the kiosk.

#include "webview.h"
#include "_cgo_export.h"

static void tramso_web_process_terminated(WebKitWebView *view, WebKitWebProcessTerminationReason reason, gpointer data) {
	// Reloading starts a new web process and loads the page in it.
	if (tramsoWebProcessEnded((int)reason)) webkit_web_view_reload(view);
}

// Every load of the page (the first, a renewal, a reload after a crash) may
// play sound by itself: WebKit's default lets a page without a touch play
// only muted, which silenced the attract screen's spoken invitation. The
// page is the kiosk's own and speaks unasked only there, at most once every
// attract_voice_minutes.
static gboolean tramso_allow_sound(WebKitWebView *view, WebKitPolicyDecision *decision, WebKitPolicyDecisionType type, gpointer data) {
	if (type != WEBKIT_POLICY_DECISION_TYPE_NAVIGATION_ACTION) return FALSE;
	WebKitWebsitePolicies *policies = webkit_website_policies_new_with_policies("autoplay", WEBKIT_AUTOPLAY_ALLOW, NULL);
	webkit_policy_decision_use_with_policies(decision, policies);
	g_object_unref(policies);
	return TRUE;
}

static gboolean tramso_watch(gpointer data) {
	WebKitWebView *view = tramso_view();
	if (!view) return G_SOURCE_REMOVE;
	g_signal_connect(view, "decide-policy", G_CALLBACK(tramso_allow_sound), NULL);
	g_signal_connect(view, "web-process-terminated", G_CALLBACK(tramso_web_process_terminated), NULL);
	return G_SOURCE_REMOVE;
}

void tramso_watch_later(void) { g_idle_add(tramso_watch, NULL); }

static gboolean tramso_end(gpointer data) {
	WebKitWebView *view = tramso_view();
	if (view) webkit_web_view_terminate_web_process(view);
	return G_SOURCE_REMOVE;
}

void tramso_end_later(void) { g_idle_add(tramso_end, NULL); }
