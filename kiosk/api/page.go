package api

import "net/http"

// PageHeaders are the headers of the kiosk's page and its files, wherever
// they are served with this API: they keep the page from loading anything
// that is not ours (the kiosk never navigates away, and a QR code is how
// links leave it). framedBy is the CSP frame-ancestors source list: 'none'
// on a kiosk; 'self' in the hub's preview, which the console frames. The
// page's own fonts are data: URLs inside its stylesheet (vite.config.ts).
func PageHeaders(h http.Header, framedBy string) {
	h.Set("Content-Security-Policy", "default-src 'self'; font-src 'self' data:; img-src 'self' data: blob:; media-src 'self' blob:; "+
		"style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors "+framedBy+"; base-uri 'none'; form-action 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
}
