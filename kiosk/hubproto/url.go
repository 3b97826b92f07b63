package hubproto

import (
	"fmt"
	"net/url"
	"strings"
)

// The hub's endpoints hang off one HTTP base. A kiosk is given the hub's
// websocket URL (wss://hub.example/ws), or for a hub behind a reverse proxy
// that URL under a path prefix (wss://tinh.example/tramso/ws); every other
// endpoint sits under the same prefix. These functions are the one rule for
// getting from that address to an endpoint, so the update client and
// `tramso doctor` always reach the same hub. Whether plain ws:// is allowed
// is config.CheckHubURL's business, not theirs.

// HTTPBase turns a hub address (its websocket URL or that URL's HTTP form)
// into the HTTP base of its endpoints: the scheme becomes http(s), the
// trailing /ws goes, a path prefix stays, and so do no query or fragment.
// "wss://tinh.example/tramso/ws" → "https://tinh.example/tramso".
func HTTPBase(hubURL string) (string, error) {
	u, err := url.Parse(hubURL)
	if err != nil || u.Host == "" {
		return "", fmt.Errorf("%q is not a hub address like https://hub.example (or wss://hub.example/ws)", hubURL)
	}
	switch u.Scheme {
	case "wss", "https":
		u.Scheme = "https"
	case "ws", "http":
		u.Scheme = "http"
	default:
		return "", fmt.Errorf("%q: a hub address begins with https:// (or wss://)", hubURL)
	}
	u.Path = strings.TrimSuffix(strings.TrimSuffix(u.Path, "/"), "/ws")
	u.RawPath, u.RawQuery, u.Fragment, u.User = "", "", "", nil
	return strings.TrimSuffix(u.String(), "/"), nil
}

// Endpoint is the HTTP URL of a hub endpoint path ("/api/health").
func Endpoint(hubURL, path string) (string, error) {
	base, err := HTTPBase(hubURL)
	if err != nil {
		return "", err
	}
	return base + path, nil
}

// WebSocketURL is the hub's websocket endpoint, ws(s)://…/ws.
func WebSocketURL(hubURL string) (string, error) {
	base, err := HTTPBase(hubURL)
	if err != nil {
		return "", err
	}
	if rest, ok := strings.CutPrefix(base, "https://"); ok {
		return "wss://" + rest + "/ws", nil
	}
	return "ws://" + strings.TrimPrefix(base, "http://") + "/ws", nil
}

// Health is the hub's health endpoint path, the one `tramso doctor` asks.
const Health = "/api/health"

// DeviceTarget is what a kiosk polls for its target generation, as the
// enrolled device (its token): `tramso doctor` asks it to learn whether the
// hub still knows the kiosk.
const DeviceTarget = "/api/device/target"

// Keys is where a hub offers its province keys to a kiosk about to enroll,
// before the one-time code is spent (KeysAnswer). A hub from before it
// answers 404: enrollment then compares the keys after the code is spent.
const Keys = "/api/keys"

// KeysAnswer is the hub's answer at Keys: the province keys it pins, as
// hub.province_keys holds them (base64 Ed25519 public keys).
type KeysAnswer struct {
	ProvinceKeys []string `json:"province_keys"`
}
