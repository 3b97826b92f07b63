package update

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"tramso/kiosk/config"
	"tramso/kiosk/hubproto"
	"tramso/kiosk/store"
	"tramso/kiosk/strictjson"
)

// Credentials are what a kiosk gets when it enrolls: its own device id and
// token (the hub keeps only a hash), the province keys to pin, and the hub's
// websocket URL.
type Credentials struct {
	DeviceID     string   `json:"device_id"`
	Token        string   `json:"token"`
	ProvinceKeys []string `json:"province_keys"`
	HubURL       string   `json:"hub_url"`
	Name         string   `json:"name"`
}

// Store converts the credentials for store.SaveCredentials.
func (c Credentials) Store() store.DeviceCredentials {
	return store.DeviceCredentials{DeviceID: c.DeviceID, Token: c.Token, HubURL: c.HubURL, Name: c.Name,
		ProvinceKeys: c.ProvinceKeys, EnrolledAt: time.Now()}
}

// ErrBadCode means the hub refused the enrollment code: unknown, used or expired.
var ErrBadCode = errors.New("the hub refused the enrollment code (unknown, already used or expired)")

// Enroll exchanges a one-time code for device credentials. hubURL may be the
// hub's base URL or its websocket URL (https://hub.example or
// wss://hub.example/ws); plain http/ws is refused except to loopback. name is
// optional: the hub picks one when it is empty. tlsConf is for a hub whose
// certificate comes from the province's own CA (config.HubTLS); nil: the
// system's roots.
func Enroll(ctx context.Context, hubURL, code, name string, tlsConf *tls.Config) (Credentials, error) {
	base, err := httpBase(hubURL)
	if err != nil {
		return Credentials{}, err
	}
	body, _ := json.Marshal(map[string]string{"code": strings.TrimSpace(code), "name": name})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/enroll", bytes.NewReader(body))
	if err != nil {
		return Credentials{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	client := enrollClient(tlsConf)
	defer client.CloseIdleConnections()
	resp, err := client.Do(req)
	if err != nil {
		return Credentials{}, fmt.Errorf("enroll with %s: %w", base, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return Credentials{}, fmt.Errorf("enroll with %s: %w", base, err)
	}
	if resp.StatusCode == http.StatusForbidden {
		return Credentials{}, fmt.Errorf("enroll with %s: %w", base, ErrBadCode)
	}
	if resp.StatusCode != http.StatusOK {
		return Credentials{}, fmt.Errorf("enroll with %s: %s: %s", base, resp.Status, hubError(raw))
	}
	var c Credentials
	if err := strictjson.CheckDuplicates(raw); err != nil {
		return Credentials{}, fmt.Errorf("enroll with %s: the answer is not valid: %w", base, err)
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		return Credentials{}, fmt.Errorf("enroll with %s: the answer is not valid: %w", base, err)
	}
	if err := c.check(); err != nil {
		return Credentials{}, fmt.Errorf("enroll with %s: %w", base, err)
	}
	return c, nil
}

// enrollClient is the HTTP client of an enrollment, trusting tlsConf's CAs.
func enrollClient(tlsConf *tls.Config) *http.Client {
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.TLSClientConfig = tlsConf
	return &http.Client{Timeout: 30 * time.Second, Transport: transport}
}

// ErrNoOfferedKeys: the hub predates hubproto.Keys, so its keys are known
// only from the enrollment's answer, once the code is spent.
var ErrNoOfferedKeys = errors.New("the hub does not offer its keys before enrollment (an older hub)")

// OfferedKeys asks a hub which province keys it pins (hubproto.Keys), without
// spending a code: a kiosk compares them with the province's key ids before
// it enrolls. ErrNoOfferedKeys: the hub predates that route.
func OfferedKeys(ctx context.Context, hubURL string, tlsConf *tls.Config) ([]string, error) {
	endpoint, err := httpBase(hubURL)
	if err != nil {
		return nil, err
	}
	endpoint += hubproto.Keys
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint, nil)
	if err != nil {
		return nil, err
	}
	client := enrollClient(tlsConf)
	defer client.CloseIdleConnections()
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("ask %s for its keys: %w", endpoint, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return nil, fmt.Errorf("ask %s for its keys: %w", endpoint, err)
	}
	if missingRoute(resp.StatusCode) {
		return nil, ErrNoOfferedKeys
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("ask %s for its keys: %s: %s", endpoint, resp.Status, hubError(raw))
	}
	var answer hubproto.KeysAnswer
	if err := strictjson.CheckDuplicates(raw); err != nil {
		return nil, fmt.Errorf("ask %s for its keys: the answer is not valid: %w", endpoint, err)
	}
	if err := json.Unmarshal(raw, &answer); err != nil {
		return nil, fmt.Errorf("ask %s for its keys: the answer is not valid: %w", endpoint, err)
	}
	if err := checkKeys(answer.ProvinceKeys); err != nil {
		return nil, fmt.Errorf("ask %s for its keys: %w", endpoint, err)
	}
	return answer.ProvinceKeys, nil
}

// OfferedKeysFirst is OfferedKeys of the first of hubs that answers, as
// EnrollFirst enrolls with it.
func OfferedKeysFirst(ctx context.Context, hubs []string, tlsConf *tls.Config) ([]string, error) {
	var failed []error
	for _, h := range hubs {
		keys, err := OfferedKeys(ctx, h, tlsConf)
		if !unanswered(err) {
			return keys, err
		}
		failed = append(failed, err)
	}
	if len(failed) == 0 {
		return nil, errors.New("no hub address given")
	}
	return nil, errors.Join(failed...)
}

// EnrollFirst enrolls with the first of hubs that answers, trying them in
// order, so that one hub of the province being down does not stop an
// enrollment. The first answer is final, a refusal included: the hubs share
// one database, so a code one refuses every other refuses too. When none
// answers, the error joins why each failed.
func EnrollFirst(ctx context.Context, hubs []string, code, name string, tlsConf *tls.Config) (Credentials, error) {
	var failed []error
	for _, h := range hubs {
		creds, err := Enroll(ctx, h, code, name, tlsConf)
		if !unanswered(err) {
			return creds, err
		}
		failed = append(failed, err)
	}
	if len(failed) == 0 {
		return Credentials{}, errors.New("enroll: no hub address given")
	}
	return Credentials{}, errors.Join(failed...)
}

// unanswered is an enrollment error that came before any HTTP answer: the
// hub is down, unreachable, or its certificate not trusted.
func unanswered(err error) bool {
	var uerr *url.Error
	return errors.As(err, &uerr)
}

// deviceIDRe is what a device id may look like: it is printed to the
// person enrolling and stored, so a hub cannot smuggle terminal escapes in.
var deviceIDRe = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

func (c Credentials) check() error {
	if !deviceIDRe.MatchString(c.DeviceID) || !strings.HasPrefix(c.Token, c.DeviceID+".") || len(c.Token) > 512 {
		return errors.New("the hub sent no usable device token")
	}
	if c.Name != hubproto.CleanText(c.Name) || len(c.Name) > 200 {
		return errors.New("the hub sent a kiosk name with control characters or too long")
	}
	if err := checkKeys(c.ProvinceKeys); err != nil {
		return err
	}
	if err := config.CheckHubURL(c.HubURL); err != nil {
		return fmt.Errorf("hub url: %v", err)
	}
	return nil
}

// checkKeys wants at least one province key, each a valid one.
func checkKeys(keys []string) error {
	if len(keys) == 0 {
		return errors.New("the hub sent no province key")
	}
	for i, k := range keys {
		if _, err := config.ParseKey(k); err != nil {
			return fmt.Errorf("province key %d: %v", i, err)
		}
	}
	return nil
}

func hubError(raw []byte) string {
	var e struct {
		Error string `json:"error"`
	}
	if json.Unmarshal(raw, &e) == nil && e.Error != "" {
		return e.Error
	}
	// A web page (another site, a proxy's error page, a wrong path on the
	// hub's host) is no use dumped into a terminal: say what it means.
	if text := strings.TrimSpace(string(raw)); strings.HasPrefix(text, "<") {
		return "the address answers with a web page, not a Trạm Số hub: check the hub's address (--hub)"
	}
	return strings.TrimSpace(string(raw[:min(len(raw), 200)]))
}

// httpBase turns a hub URL (websocket or HTTP) into its HTTP base
// (hubproto.HTTPBase), refusing plain text except to loopback.
func httpBase(hubURL string) (string, error) {
	if err := config.CheckHubURL(hubURL); err != nil {
		return "", err
	}
	return hubproto.HTTPBase(hubURL)
}

// wsURL turns a hub URL into its websocket endpoint, refusing plain text
// except to loopback.
func wsURL(hubURL string) (string, error) {
	if err := config.CheckHubURL(hubURL); err != nil {
		return "", err
	}
	return hubproto.WebSocketURL(hubURL)
}

// SameHub reports whether two hub addresses name the same hub (a websocket
// or an HTTP form of one URL; host case and a trailing /ws do not matter).
func SameHub(a, b string) bool {
	ba, erra := httpBase(a)
	bb, errb := httpBase(b)
	return erra == nil && errb == nil && strings.EqualFold(ba, bb)
}
