package api

// Requests from other sites. `tramso serve` listens on a local port, and any
// page open in a browser on the same machine can send requests to it: a POST
// with no Content-Type needs no CORS preflight, so without these checks a
// page on another origin could press wrong staff PINs until the pad locks,
// and open empty resident sessions that count in the usage figures; a DNS
// name rebound to 127.0.0.1 could even read the answers (outside QA s25,
// finding 2). The page never needs any of that: it sends JSON
// (frontend/src/lib/api.ts) from its own origin.

import (
	"mime"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"tramso/kiosk/httpjson"
)

// refuseForeign answers a request the kiosk's own page would never send and
// reports whether it did. Every server gets the checks that need no address
// (Fetch Metadata, JSON bodies); the Host and Origin checks need Origins.
func (s *Server) refuseForeign(w http.ResponseWriter, r *http.Request) bool {
	why := s.foreign(r)
	if why != "" {
		s.logForeign(r, why)
		httpjson.Error(w, http.StatusForbidden, codeCrossSite, why)
		return true
	}
	if changesState(r.Method) && !isJSON(r.Header.Get("Content-Type")) {
		// A body without a JSON type is what a cross-site form or no-cors
		// fetch can send without asking the browser's permission first.
		httpjson.Error(w, http.StatusUnsupportedMediaType, codeNotJSON,
			"send JSON (Content-Type: application/json): the kiosk takes no other requests that change anything")
		return true
	}
	return false
}

// foreign says why r comes from another site, or "" when it may be its own.
func (s *Server) foreign(r *http.Request) string {
	// Browsers send Sec-Fetch-Site on every request and a page cannot set
	// it; "none" is the user typing the address. Absent: not a browser, or
	// an old one, for the Host and Origin checks to judge.
	switch site := r.Header.Get("Sec-Fetch-Site"); site {
	case "", "same-origin", "none":
	default:
		return "request from another site (Sec-Fetch-Site: " + quoteShort(site) + "): the kiosk's API answers only its own page"
	}
	if len(s.Origins) == 0 {
		return ""
	}
	if !s.ownHost(r.Host) {
		// DNS rebinding: a name the attacker controls, pointed at this
		// machine, arrives with its own name in Host.
		return "request for host " + quoteShort(r.Host) + ", which is not this kiosk's address"
	}
	if o := r.Header.Get("Origin"); o != "" && (!strings.HasPrefix(o, "http://") || !s.ownHost(originHost(o))) {
		return "request from the page of another origin (" + quoteShort(o) + "): the kiosk's API answers only its own page"
	}
	return ""
}

// anyIP is the host of an origin in Origins that stands for every IP
// address of the machine, for a kiosk listening on all of them: its
// addresses may change after it starts (DHCP), and a DNS rebinding attack
// always arrives with a name, never an IP address.
const anyIP = "*"

// ownHost reports whether host (a Host header, or an origin's host[:port])
// names the kiosk's own page.
func (s *Server) ownHost(host string) bool {
	return slices.ContainsFunc(s.Origins, func(o string) bool {
		own := originHost(o)
		if own == anyIP { // port 80, which a browser leaves out
			return net.ParseIP(strings.Trim(host, "[]")) != nil
		}
		if h, port, ok := strings.Cut(own, anyIP+":"); ok && h == "" {
			name, p, err := net.SplitHostPort(host)
			return err == nil && p == port && net.ParseIP(name) != nil
		}
		return strings.EqualFold(own, host)
	})
}

// changesState reports whether method may change something on the kiosk.
func changesState(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return false
	}
	return true
}

func isJSON(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	return err == nil && mt == "application/json"
}

// originHost is the host[:port] of an origin such as "http://127.0.0.1:8080".
func originHost(origin string) string {
	u, err := url.Parse(origin)
	if err != nil {
		return ""
	}
	return u.Host
}

// lastForeignLog is when a refusal was last logged (unix nanoseconds). A
// hostile page may send thousands: the log says so once a minute, enough for
// a technician to see that it happens and from where.
var lastForeignLog atomic.Int64

func (s *Server) logForeign(r *http.Request, why string) {
	now := time.Now().UnixNano()
	last := lastForeignLog.Load()
	if now-last < int64(time.Minute) || !lastForeignLog.CompareAndSwap(last, now) {
		return
	}
	s.Log.Warn("refused a request from another site (further ones are refused silently for a minute)",
		"method", r.Method, "path", r.URL.Path, "host", r.Host, "origin", r.Header.Get("Origin"),
		"sec_fetch_site", r.Header.Get("Sec-Fetch-Site"), "why", why)
}

// loopbackNames are the names a browser on the kiosk uses for the kiosk
// itself when it listens on a loopback or every address.
var loopbackNames = []string{"127.0.0.1", "localhost", "::1"}

// ServedOrigins lists the origins of the kiosk's page when `tramso serve`
// listens as asked with --addr (HOST:PORT) on bound, the listener's address
// (which holds the real port when asked for port 0). Set them as
// Server.Origins.
func ServedOrigins(asked string, bound net.Addr) []string {
	askedHost, _, _ := net.SplitHostPort(asked)
	tcp, ok := bound.(*net.TCPAddr)
	if !ok {
		return nil
	}
	var names []string
	if askedHost != "" && net.ParseIP(askedHost) == nil {
		names = append(names, askedHost) // a name, such as localhost or the kiosk's own
	}
	switch ip := tcp.IP; {
	case ip.IsUnspecified():
		names = append(names, loopbackNames...)
		names = append(names, anyIP)
	case ip.IsLoopback():
		names = append(names, ip.String())
		names = append(names, loopbackNames...)
	default:
		names = append(names, ip.String())
	}
	port := strconv.Itoa(tcp.Port)
	var origins []string
	for _, n := range names {
		origins = append(origins, "http://"+net.JoinHostPort(n, port))
		if port == "80" { // a browser leaves the default port out
			if strings.Contains(n, ":") {
				n = "[" + n + "]"
			}
			origins = append(origins, "http://"+n)
		}
	}
	slices.Sort(origins)
	return slices.Compact(origins)
}
