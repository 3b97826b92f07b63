// The kiosk's one WebKitWebView, found under GTK's toplevel windows: Wails v2
// keeps its view to itself. Shared by the cgo files of package app; call it
// on the GTK main thread only.
#ifndef TRAMSO_WEBVIEW_H
#define TRAMSO_WEBVIEW_H

#include <gtk/gtk.h>
#include <webkit2/webkit2.h>

static WebKitWebView *tramso_find_view(GtkWidget *w) {
	if (WEBKIT_IS_WEB_VIEW(w)) return WEBKIT_WEB_VIEW(w);
	if (!GTK_IS_CONTAINER(w)) return NULL;
	WebKitWebView *found = NULL;
	GList *children = gtk_container_get_children(GTK_CONTAINER(w));
	for (GList *l = children; l && !found; l = l->next) found = tramso_find_view(GTK_WIDGET(l->data));
	g_list_free(children);
	return found;
}

static WebKitWebView *tramso_view(void) {
	WebKitWebView *view = NULL;
	GList *tops = gtk_window_list_toplevels();
	for (GList *l = tops; l && !view; l = l->next) view = tramso_find_view(GTK_WIDGET(l->data));
	g_list_free(tops);
	return view;
}

#endif
