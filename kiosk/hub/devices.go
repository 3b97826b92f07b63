package hub

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"tramso/kiosk/httpjson"
	"tramso/kiosk/hubproto"
	"tramso/kiosk/strictjson"
)

// Device is one enrolled kiosk as the database knows it.
type Device struct {
	ID         string
	Name       string
	Commune    string
	Wave       sql.NullInt64 // NULL: everyone only; 0: test group; 1..9: waves
	Revoked    bool
	EnrolledAt string
	LastSeen   string
	Generation int64
	Highest    int64 // the highest generation it has reported live
	Target     int64
	AppVersion string
	State      string
	FreeDisk   int64
	LastError  string
	// Shown is the generation residents see when it is not Generation (0:
	// the same; 1: the embedded starter): the applied one does not load.
	// ErrorKind names what LastError is about (update.ErrorKind*).
	Shown     int64
	ErrorKind string
	// PinnedKeys are the ids of the province keys the kiosk pins, sorted,
	// as it last said (empty: it has not said; an older kiosk).
	PinnedKeys []string
	SoundOff   string // why it runs silent ("" while it plays): hubproto.SoundFroze, SoundStaff
	SoundSince string // since when (RFC 3339 UTC; "" while it plays)
	Online     bool   // a hub (this one or another on the database) holds its websocket
	// The last refusal the kiosk reported (outcome other than applied),
	// kept on the device so that no flood or pruning of reports hides it.
	LastRefusal Refusal
}

// Refusal is a kiosk's report that a generation did not go live.
type Refusal struct {
	Outcome    string // "" when the kiosk never refused one
	Error      string
	Generation int64
	At         string
}

// Wave limits.
const (
	WaveTest = 0
	MaxWave  = 9
)

// CodeLifetime is how long an enrollment code stays valid.
const CodeLifetime = 72 * time.Hour

// codeAlphabet leaves out letters and digits that are easy to misread on a
// phone screen or a sheet of paper (0/O, 1/I/L).
const codeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

// CreateCode makes a one-time enrollment code, valid for CodeLifetime, that
// puts the device in commune. Only its hash is stored: show it once.
func (h *Hub) CreateCode(ctx context.Context, commune, by string) (string, error) {
	if err := checkLabel("commune", commune); err != nil {
		return "", err
	}
	raw := make([]byte, 12)
	for i := range raw {
		raw[i] = codeAlphabet[randomIndex(len(codeAlphabet))]
	}
	code := string(raw[:4]) + "-" + string(raw[4:8]) + "-" + string(raw[8:])
	now := h.now()
	_, err := h.DB.ExecContext(ctx, `INSERT INTO enroll_codes(code_hash, commune, created_by, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5)`, hashHex(normaliseCode(code)), commune, by,
		now.Format(time.RFC3339), now.Add(CodeLifetime).Format(time.RFC3339))
	if err != nil {
		return "", fmt.Errorf("create enrollment code: %w", err)
	}
	return code, nil
}

// normaliseCode lets staff type a code in any case, with or without dashes.
func normaliseCode(code string) string {
	return strings.ToUpper(strings.NewReplacer("-", "", " ", "").Replace(code))
}

// ErrBadCode is any enrollment code that cannot be used.
var ErrBadCode = errors.New("enrollment code is unknown, used or expired")

// Enrollment is what a kiosk receives when it enrolls.
type Enrollment struct {
	DeviceID     string   `json:"device_id"`
	Token        string   `json:"token"`
	ProvinceKeys []string `json:"province_keys"`
	HubURL       string   `json:"hub_url"`
	Name         string   `json:"name"`
}

// Enroll spends a code and creates a device with a fresh token. The code is
// spent first, by one conditional UPDATE: of two enrollments racing with one
// code, on one hub or on several sharing a database, the row lock lets one
// through and the other finds it used (PostgreSQL re-checks the WHERE after
// the lock; SQLite runs one writer at a time), so a code makes one device.
func (h *Hub) Enroll(ctx context.Context, code, name string) (Enrollment, error) {
	if err := checkLabel("name", name); err != nil {
		return Enrollment{}, err
	}
	tx, err := h.DB.BeginTx(ctx, nil)
	if err != nil {
		return Enrollment{}, err
	}
	defer tx.Rollback()
	id := "k" + randomString(12)
	secret := randomString(40)
	now := h.stamp()
	var commune string
	err = tx.QueryRowContext(ctx, `UPDATE enroll_codes SET used_at = $1, device_id = $2
		WHERE code_hash = $3 AND used_at IS NULL AND expires_at >= $1 RETURNING commune`,
		now, id, hashHex(normaliseCode(code))).Scan(&commune)
	if errors.Is(err, sql.ErrNoRows) {
		return Enrollment{}, ErrBadCode
	} else if err != nil {
		return Enrollment{}, err
	}
	if name == "" {
		name = strings.TrimSpace(commune + " " + id[:5])
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO devices(id, token_hash, name, commune, enrolled_at) VALUES ($1, $2, $3, $4, $5)`,
		id, hashHex(secret), name, commune, now); err != nil {
		return Enrollment{}, err
	}
	if err := tx.Commit(); err != nil {
		return Enrollment{}, err
	}
	return Enrollment{DeviceID: id, Token: id + "." + secret, ProvinceKeys: h.provinceKeys(), Name: name}, nil
}

func (h *Hub) provinceKeys() []string {
	keys := make([]string, 0, len(h.opts.ProvinceKeys))
	for _, k := range h.opts.ProvinceKeys {
		keys = append(keys, encodeKey(k))
	}
	return keys
}

// offerKeys is GET /api/keys (hubproto.Keys): the province keys this hub
// pins, public by nature, so that a kiosk compares them with the key ids the
// province gave before it spends its one-time code; POST /api/enroll hands
// out the same keys. Read-only, and no database: nothing to guess or flood.
func (h *Hub) offerKeys(w http.ResponseWriter, r *http.Request) {
	httpjson.Write(w, http.StatusOK, hubproto.KeysAnswer{ProvinceKeys: h.provinceKeys()})
}

type enrollRequest struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// enroll is POST /api/enroll.
func (h *Hub) enroll(w http.ResponseWriter, r *http.Request) {
	addr := h.clientAddr(r)
	try, why := h.tryGuess(r, &h.enrolls, "enroll", "", enrollCeilings(addr))
	if why != nil {
		h.enrollRefused(w, addr, why.until)
		return
	}
	defer try.Release() // only a wrong code stays counted
	var req enrollRequest
	if err := strictjson.Decode(io.LimitReader(r.Body, 4<<10), &req); err != nil {
		httpjson.Error(w, http.StatusBadRequest, httpjson.CodeInvalidJSON, "body must be {\"code\": \"…\", \"name\": \"…\"}: "+err.Error())
		return
	}
	e, err := h.Enroll(r.Context(), req.Code, req.Name)
	switch {
	case errors.Is(err, ErrBadCode):
		try.Keep()
		h.guessFailed(r, "enroll", "", req.Name)
		httpjson.Error(w, http.StatusForbidden, "bad_code", err.Error())
		return
	case errors.As(err, new(labelError)):
		httpjson.Error(w, http.StatusBadRequest, "bad_label", err.Error())
		return
	case err != nil:
		h.log.Error("enroll", "err", err)
		httpjson.Error(w, http.StatusInternalServerError, codeInternal, "enrollment failed on the hub")
		return
	}
	e.HubURL = h.wsURL(r)
	h.log.Info("device enrolled", "device", e.DeviceID, "name", e.Name)
	httpjson.Write(w, http.StatusOK, e)
}

// enrollThrottled is POST /api/enroll's answer while too many wrong codes
// from the asker's address block it: until when, by the hub's clock, and in
// how many seconds (Retry-After says the same), so that `tramso enroll` can
// tell the technician when to try again instead of blaming the network.
type enrollThrottled struct {
	httpjson.ErrorBody
	Until      string `json:"until"`       // RFC 3339 UTC, the hub's clock
	RetryAfter int64  `json:"retry_after"` // seconds
}

// enrollRefused answers an enrollment the throttle refused. The error text
// carries the time and the seconds too, since older clients show only it.
// A refusal with no end is a database that could not count: a minute.
func (h *Hub) enrollRefused(w http.ResponseWriter, addr string, until time.Time) {
	if until.IsZero() {
		w.Header().Set("Retry-After", "60")
		httpjson.Error(w, http.StatusServiceUnavailable, codeInternal, "the hub cannot count enrollment attempts just now; try again in a minute")
		return
	}
	wait := int64(math.Ceil(until.Sub(h.now()).Seconds()))
	wait = max(wait, 1)
	w.Header().Set("Retry-After", strconv.FormatInt(wait, 10))
	stamp := until.UTC().Format(time.RFC3339)
	msg := fmt.Sprintf("too many wrong enrollment codes from this address (%s): the hub refuses enrollment from it until %s by the hub's clock "+
		"(in %d seconds), even with a good code; a province admin can lift the block now on the hub console, page Mã đăng ký (/admin/codes)",
		addr, stamp, wait)
	httpjson.Write(w, http.StatusTooManyRequests, enrollThrottled{
		ErrorBody: httpjson.ErrorBody{Error: msg, Code: codeTooOften}, Until: stamp, RetryAfter: wait})
}

// wsURL is the websocket URL kiosks should dial.
func (h *Hub) wsURL(r *http.Request) string {
	if h.opts.PublicURL != "" {
		return h.opts.PublicURL
	}
	scheme := "ws"
	if r.TLS != nil {
		scheme = "wss"
	}
	return scheme + "://" + r.Host + "/ws"
}

// authDevice checks "Authorization: Bearer <device id>.<secret>".
func (h *Hub) authDevice(r *http.Request) (Device, error) {
	auth, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	id, secret, ok2 := strings.Cut(auth, ".")
	if !ok || !ok2 || id == "" || len(id) > 64 || secret == "" || len(secret) > 128 {
		return Device{}, errors.New("missing or malformed device token")
	}
	var hash string
	var revoked sql.NullString
	var d Device
	err := h.DB.QueryRowContext(r.Context(), `SELECT id, token_hash, name, commune, wave, revoked_at, generation
		FROM devices WHERE id = $1`, id).Scan(&d.ID, &hash, &d.Name, &d.Commune, &d.Wave, &revoked, &d.Generation)
	if err != nil || subtle.ConstantTimeCompare([]byte(hash), []byte(hashHex(secret))) != 1 {
		return Device{}, errors.New("unknown device or wrong token")
	}
	if revoked.Valid {
		return Device{}, errors.New("this device was revoked by the province")
	}
	return d, nil
}

// deviceOnly admits requests that carry a valid, unrevoked device token.
func (h *Hub) deviceOnly(next func(http.ResponseWriter, *http.Request, Device)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		d, err := h.authDevice(r)
		if err != nil {
			httpjson.Error(w, http.StatusUnauthorized, codeUnauthorized, err.Error())
			return
		}
		next(w, r, d)
	}
}

// Devices lists every device, live state (online, last seen, status) laid over
// what the database holds.
func (h *Hub) Devices(ctx context.Context) ([]Device, error) {
	h.flushLive(ctx)
	rows, err := h.DB.QueryContext(ctx, `SELECT id, name, commune, wave, revoked_at IS NOT NULL, enrolled_at,
		coalesce(last_seen, ''), generation, highest_generation, target, app_version, state, free_disk, last_error,
		last_refusal_outcome, last_refusal, last_refusal_generation, last_refusal_at, connected_hub IS NOT NULL,
		sound_off, sound_since, shown_generation, error_kind, pinned_keys
		FROM devices ORDER BY commune, name, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Device
	for rows.Next() {
		var d Device
		var pinned string
		if err := rows.Scan(&d.ID, &d.Name, &d.Commune, &d.Wave, &d.Revoked, &d.EnrolledAt, &d.LastSeen,
			&d.Generation, &d.Highest, &d.Target, &d.AppVersion, &d.State, &d.FreeDisk, &d.LastError,
			&d.LastRefusal.Outcome, &d.LastRefusal.Error, &d.LastRefusal.Generation, &d.LastRefusal.At, &d.Online,
			&d.SoundOff, &d.SoundSince, &d.Shown, &d.ErrorKind, &pinned); err != nil {
			return nil, err
		}
		d.PinnedKeys = strings.Fields(pinned)
		out = append(out, d)
	}
	return out, rows.Err()
}

// Online reports whether a device has a websocket open to this hub. Whether
// any hub holds one is Device.Online (presence.go).
func (h *Hub) Online(id string) bool { return h.conns.get(id) != nil }

// EditDevice, SetWave and Revoke change one device.
//
// EditDevice sets what staff edit on the console — name, commune and wave —
// in one statement: checked first, then all written or none. Telling the
// kiosks about the wave (AnnounceWave) is the caller's next step.
func (h *Hub) EditDevice(ctx context.Context, id, name, commune string, wave int) error {
	if name == "" {
		return labelError("name: is empty")
	}
	if err := errors.Join(checkLabel("name", name), checkLabel("commune", commune), checkWave(wave)); err != nil {
		return err
	}
	return h.updateDevice(ctx, id, `UPDATE devices SET name = $1, commune = $2, wave = $3 WHERE id = $4`,
		name, commune, storedWave(wave), id)
}

// SetWave puts a device in the test group (0), a wave (1..9) or, with a
// negative wave, back among everyone else, and tells the kiosks.
func (h *Hub) SetWave(ctx context.Context, id string, wave int) error {
	if err := checkWave(wave); err != nil {
		return err
	}
	if err := h.updateDevice(ctx, id, `UPDATE devices SET wave = $1 WHERE id = $2`, storedWave(wave), id); err != nil {
		return err
	}
	return h.AnnounceWave(ctx, id, wave)
}

// AnnounceWave tells the device's connection its wave. The kiosk may be
// connected to another hub: the one holding it re-reads its wave and
// announces its new target.
func (h *Hub) AnnounceWave(ctx context.Context, id string, wave int) error {
	if c := h.conns.get(id); c != nil {
		c.setWave(storedWave(wave))
	}
	return h.broker.Publish(ctx, Event{Kind: EventWave, DeviceID: id})
}

func checkWave(wave int) error {
	if wave > MaxWave {
		return labelError(fmt.Sprintf("wave: %d is above %d", wave, MaxWave))
	}
	return nil
}

// storedWave is a wave as stored: NULL for everyone else.
func storedWave(wave int) sql.NullInt64 {
	return sql.NullInt64{Int64: int64(wave), Valid: wave >= 0}
}

// Revoke bars a device: its token stops working and its connection closes.
func (h *Hub) Revoke(ctx context.Context, id string) error {
	if err := h.updateDevice(ctx, id, `UPDATE devices SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL`, h.stamp(), id); err != nil {
		return err
	}
	return h.broker.Publish(ctx, Event{Kind: EventRevoked, DeviceID: id})
}

// errNoDevice: the device to change is not there, or is revoked.
var errNoDevice = errors.New("no such device (or already revoked)")

func (h *Hub) updateDevice(ctx context.Context, id, query string, args ...any) error {
	res, err := h.DB.ExecContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("update device %s: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("update device %s: %w", id, errNoDevice)
	}
	return nil
}

// labelError is a bad name or commune typed by staff or sent by a kiosk.
type labelError string

func (e labelError) Error() string { return string(e) }

// maxLabel is the most letters in a device's name or commune: what the
// console's inputs allow (maxlength counts letters, as staff do; 120 of
// them fit the protocol's 512 bytes).
const maxLabel = 120

func checkLabel(field, s string) error {
	if !utf8.ValidString(s) || utf8.RuneCountInString(s) > maxLabel {
		return labelError(field + ": must be valid text of at most 120 letters")
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return labelError(field + ": contains control characters")
		}
	}
	return nil
}
