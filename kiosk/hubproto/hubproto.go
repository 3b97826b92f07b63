// Package hubproto defines the messages a kiosk and its province hub exchange
// over the websocket: small JSON envelopes, versioned, size-limited and strictly
// validated on both ends. Both sides use Decode, so a message one side accepts
// is exactly a message the other side could have sent.
//
// Envelope: {"v":1,"type":"announce","body":{...}}. Unknown fields, unknown
// types, a different version, oversized frames and out-of-range values are
// errors; the receiver logs and drops the message (or closes the connection).
package hubproto

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"tramso/kiosk/strictjson"
)

// Version is the protocol version this build speaks.
const Version = 1

// MaxMessageSize bounds every frame in either direction.
const MaxMessageSize = 16 << 10

// Message types. Kiosk → hub: Status, Ack, Report. Hub → kiosk: Welcome,
// Announce, Bye. Bulk data (manifests, blobs, usage totals) goes over plain
// HTTP beside the socket, so a large transfer never holds up a heartbeat.
const (
	TypeStatus   = "status"
	TypeAck      = "ack"
	TypeReport   = "report"
	TypeWelcome  = "welcome"
	TypeAnnounce = "announce"
	TypeBye      = "bye"
)

// Update states a kiosk reports.
const (
	StateIdle        = "idle"        // up to date, nothing to do
	StateWaiting     = "waiting"     // a newer generation exists; outside the download window
	StateDownloading = "downloading" // fetching blobs
	StateApplying    = "applying"    // staging, switching, checking
	StateFailed      = "failed"      // the last attempt failed; see last_error
)

// Report outcomes.
const (
	OutcomeApplied    = "applied"     // the generation is live
	OutcomeRejected   = "rejected"    // the pack failed verification; content unchanged
	OutcomeFailed     = "failed"      // transfer or apply failed for another reason; will retry
	OutcomeRolledBack = "rolled_back" // it did not load and the previous generation is back
)

// Status is the kiosk's state, sent after connecting and whenever it changes.
type Status struct {
	Generation       int64  `json:"generation"`        // content generation live now (0: embedded starter)
	TargetGeneration int64  `json:"target_generation"` // what it is working towards (0: none)
	AppVersion       string `json:"app_version"`
	State            string `json:"state"`
	BytesDone        int64  `json:"bytes_done"`
	BytesTotal       int64  `json:"bytes_total"`
	FreeDisk         int64  `json:"free_disk"` // bytes free in the data directory
	LastError        string `json:"last_error,omitempty"`
	// ShownGeneration is the generation residents see when it is not
	// Generation (0: the same): the previous generation, or MinGeneration
	// (the embedded starter), while the applied one does not load. ErrorKind
	// names what LastError is about (update.ErrorKind*), so the console can
	// say it in Vietnamese. Both are sent only to a hub that takes them
	// (FeatureStatusShown): an older hub refuses any field it does not know.
	ShownGeneration int64  `json:"shown_generation,omitempty"`
	ErrorKind       string `json:"error_kind,omitempty"`
	// PinnedKeys are the ids (pack.KeyID), sorted, of the province keys the
	// kiosk pins: during a key rotation the province sees which kiosks pin
	// the new key before it drops the old one. Sent only to a hub that takes
	// them (FeaturePinnedKeys); absent, the kiosk has not said.
	PinnedKeys []string `json:"pinned_keys,omitempty"`
}

// FeaturesHeader is the header of the hub's websocket upgrade answer that
// lists, space-separated, what the hub takes beyond the first protocol:
// messages are decoded strictly, so a kiosk sends an added field only to a
// hub that names it. Kiosks that predate it ignore the header.
const FeaturesHeader = "Tramso-Hub-Features"

// FeatureStatusShown: the hub takes Status.ShownGeneration and ErrorKind.
const FeatureStatusShown = "status-shown"

// FeaturePinnedKeys: the hub takes Status.PinnedKeys.
const FeaturePinnedKeys = "pinned-keys"

// MaxPinnedKeys bounds Status.PinnedKeys: a rotation pins two keys, three
// at most; more is a config nobody meant.
const MaxPinnedKeys = 16

// HasFeature reports whether a FeaturesHeader value names feature.
func HasFeature(header, feature string) bool {
	for _, f := range strings.Fields(header) {
		if f == feature {
			return true
		}
	}
	return false
}

// Ack says the kiosk received an announcement.
type Ack struct {
	Generation int64 `json:"generation"`
}

// Report is the result of trying a generation.
type Report struct {
	Generation int64  `json:"generation"`
	Outcome    string `json:"outcome"`
	Error      string `json:"error,omitempty"`
}

// Welcome is the hub's first message after it accepted the device.
type Welcome struct {
	DeviceID         string `json:"device_id"`
	Name             string `json:"name"`
	ServerTime       int64  `json:"server_time"`       // unix seconds: a kiosk with a flat RTC battery learns the date
	HeartbeatSeconds int    `json:"heartbeat_seconds"` // how often the kiosk pings
	PollSeconds      int    `json:"poll_seconds"`      // how often it polls /api/device/target anyway
	TargetGeneration int64  `json:"target_generation"` // what the kiosk should have (0: nothing published for it)
}

// Announce tells a kiosk which generation it should have now.
type Announce struct {
	Generation int64 `json:"generation"`
}

// Bye is sent before the hub closes a connection on purpose.
type Bye struct {
	Reason string `json:"reason"` // "revoked", "replaced", "shutdown", "protocol"
}

// Message is a decoded envelope: Type says which one Body holds
// (*Status, *Ack, *Report, *Usage, *Welcome, *Announce or *Bye).
type Message struct {
	Type string
	Body any
}

type envelope struct {
	V    int             `json:"v"`
	Type string          `json:"type"`
	Body json.RawMessage `json:"body"`
}

// Errors Decode wraps.
var (
	ErrTooLarge = errors.New("message too large")
	ErrVersion  = errors.New("unsupported protocol version")
	ErrType     = errors.New("unknown message type")
	ErrInvalid  = errors.New("invalid message")
)

func newBody(typ string) any {
	switch typ {
	case TypeStatus:
		return new(Status)
	case TypeAck:
		return new(Ack)
	case TypeReport:
		return new(Report)
	case TypeWelcome:
		return new(Welcome)
	case TypeAnnounce:
		return new(Announce)
	case TypeBye:
		return new(Bye)
	}
	return nil
}

// Encode renders a message body as an envelope. The body's type decides the
// message type; the body is validated first so a side never sends what the
// other would reject.
func Encode(body any) ([]byte, error) {
	typ := typeOf(body)
	if typ == "" {
		return nil, fmt.Errorf("%w: cannot encode %T", ErrType, body)
	}
	if err := validate(body); err != nil {
		return nil, err
	}
	raw, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	out, err := json.Marshal(envelope{V: Version, Type: typ, Body: raw})
	if err != nil {
		return nil, err
	}
	if len(out) > MaxMessageSize {
		return nil, fmt.Errorf("%w: %d bytes", ErrTooLarge, len(out))
	}
	return out, nil
}

// MustEncode is Encode for bodies built only from constants; it panics on
// error. Never give it a value that came from a peer, a pack or the database
// (a generation, an error text): use Encode and handle the error.
func MustEncode(body any) []byte {
	b, err := Encode(body)
	if err != nil {
		panic(err)
	}
	return b
}

func typeOf(body any) string {
	switch body.(type) {
	case *Status, Status:
		return TypeStatus
	case *Ack, Ack:
		return TypeAck
	case *Report, Report:
		return TypeReport
	case *Welcome, Welcome:
		return TypeWelcome
	case *Announce, Announce:
		return TypeAnnounce
	case *Bye, Bye:
		return TypeBye
	}
	return ""
}

// Decode parses and validates one frame.
func Decode(frame []byte) (Message, error) {
	if len(frame) > MaxMessageSize {
		return Message{}, fmt.Errorf("%w: %d bytes", ErrTooLarge, len(frame))
	}
	if gen, ok := canonicalAck(frame); ok {
		return Message{Type: TypeAck, Body: &Ack{Generation: gen}}, nil
	}
	var env envelope
	if err := strictjson.Unmarshal(frame, &env); err != nil {
		return Message{}, fmt.Errorf("%w: envelope: %v", ErrInvalid, err)
	}
	if env.V != Version {
		return Message{}, fmt.Errorf("%w: %d (this side speaks %d)", ErrVersion, env.V, Version)
	}
	body := newBody(env.Type)
	if body == nil {
		return Message{}, fmt.Errorf("%w: %.40q", ErrType, env.Type)
	}
	if len(env.Body) == 0 {
		return Message{}, fmt.Errorf("%w: %s: body is missing", ErrInvalid, env.Type)
	}
	if err := strictjson.Unmarshal(env.Body, body); err != nil {
		return Message{}, fmt.Errorf("%w: %s: %v", ErrInvalid, env.Type, err)
	}
	if err := validate(body); err != nil {
		return Message{}, err
	}
	return Message{Type: env.Type, Body: body}, nil
}

// An announcement reaches every kiosk at once and every kiosk acknowledges
// it, so a hub decodes thousands of acks in a burst. canonicalAck recognises
// the exact bytes Encode produces for an Ack without encoding/json (whose deep
// recursion regrows thousands of idle goroutine stacks); anything else, even
// an equivalent ack spelled differently, takes the full strict path.
var ackPrefix, ackSuffix = []byte(`{"v":1,"type":"ack","body":{"generation":`), []byte(`}}`)

func canonicalAck(frame []byte) (int64, bool) {
	digits, ok := bytes.CutPrefix(frame, ackPrefix)
	if !ok {
		return 0, false
	}
	digits, ok = bytes.CutSuffix(digits, ackSuffix)
	if !ok || len(digits) == 0 || len(digits) > 16 || (digits[0] == '0' && len(digits) > 1) {
		return 0, false
	}
	var n int64
	for _, d := range digits {
		if d < '0' || d > '9' {
			return 0, false
		}
		n = n*10 + int64(d-'0')
	}
	if n > MaxGeneration {
		return 0, false
	}
	return n, true
}

// maxText bounds error messages and names.
const maxText = 512

// The content generation range, the one definition every side uses: a pack
// build, a manifest, an apply, a protocol message, a poll answer, a hub's
// publish. The top is 2^53-1 because a generation crosses JSON to browsers and
// the hub console, where a larger integer silently loses digits; a single
// pack above it would otherwise outrank every real pack forever.
const (
	MinGeneration = 1         // the embedded starter; a pack is at least 2
	MaxGeneration = 1<<53 - 1 // 9007199254740991
)

// ErrGeneration wraps every out-of-range generation.
var ErrGeneration = errors.New("generation out of range")

// CheckGeneration reports whether g is a content generation at all:
// MinGeneration..MaxGeneration. (0 means "none" in some fields; callers that
// allow it check for it first.)
func CheckGeneration(g int64) error {
	if g < MinGeneration || g > MaxGeneration {
		return fmt.Errorf("%w: %d is outside %d..%d", ErrGeneration, g, MinGeneration, MaxGeneration)
	}
	return nil
}

var (
	idRe      = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)
	versionRe = regexp.MustCompile(`^[A-Za-z0-9._+~-]{0,64}$`)
	kindRe    = regexp.MustCompile(`^[a-z_]{0,32}$`)
	keyIDRe   = regexp.MustCompile(`^[0-9a-f]{16}$`)
)

func invalid(typ, field, format string, args ...any) error {
	return fmt.Errorf("%w: %s.%s: %s", ErrInvalid, typ, field, fmt.Sprintf(format, args...))
}

// checkGen accepts 0 ("none", "the embedded starter") or a generation.
func checkGen(typ, field string, g int64) error {
	if g == 0 {
		return nil
	}
	if err := CheckGeneration(g); err != nil {
		return fmt.Errorf("%w: %s.%s: %w", ErrInvalid, typ, field, err)
	}
	return nil
}

// CleanText makes any text (an error from a peer, a path from a pack) fit a
// text field: control characters become spaces, invalid UTF-8 is replaced and
// the result is clipped to the field's limit at a rune boundary. Encode then
// never refuses a message for its text.
func CleanText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\n' && r != '\t' || r == 0x7f {
			return ' '
		}
		return r
	}, s)
	return Clip(s, maxText)
}

// Invisible reports whether r is a control or format character (bidi
// overrides and isolates, zero-width marks): text that holds one can reorder
// or hide what a reader sees. The console shows each as U+FFFD (hub), and
// the studio drops them from what officers paste (studio/form).
func Invisible(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r)
}

// Clip cuts s to at most n bytes without splitting a character: text from
// a peer is stored and shown in bounded fields on both sides.
func Clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func checkText(typ, field, s string) error {
	if len(s) > maxText {
		return invalid(typ, field, "longer than %d bytes", maxText)
	}
	for _, r := range s {
		if r < 0x20 && r != '\n' && r != '\t' {
			return invalid(typ, field, "contains control characters")
		}
	}
	return nil
}

func oneOf(typ, field, s string, allowed ...string) error {
	for _, a := range allowed {
		if s == a {
			return nil
		}
	}
	return invalid(typ, field, "%.40q is not one of %v", s, allowed)
}

func validate(body any) error {
	switch b := body.(type) {
	case *Status:
		return b.validate()
	case Status:
		return b.validate()
	case *Ack:
		return checkGen(TypeAck, "generation", b.Generation)
	case Ack:
		return checkGen(TypeAck, "generation", b.Generation)
	case *Report:
		return b.validate()
	case Report:
		return b.validate()
	case *Welcome:
		return b.validate()
	case Welcome:
		return b.validate()
	case *Announce:
		if b.Generation < 1 {
			return invalid(TypeAnnounce, "generation", "must be 1 or more")
		}
		return checkGen(TypeAnnounce, "generation", b.Generation)
	case Announce:
		return validate(&b)
	case *Bye:
		return oneOf(TypeBye, "reason", b.Reason, "revoked", "replaced", "shutdown", "protocol")
	case Bye:
		return validate(&b)
	}
	return fmt.Errorf("%w: %T", ErrType, body)
}

func (s Status) validate() error {
	const t = TypeStatus
	if err := checkGen(t, "generation", s.Generation); err != nil {
		return err
	}
	if err := checkGen(t, "target_generation", s.TargetGeneration); err != nil {
		return err
	}
	if err := checkGen(t, "shown_generation", s.ShownGeneration); err != nil {
		return err
	}
	switch {
	case !kindRe.MatchString(s.ErrorKind):
		return invalid(t, "error_kind", "%.40q is not an error kind", s.ErrorKind)
	case !versionRe.MatchString(s.AppVersion):
		return invalid(t, "app_version", "%.40q is not a version string", s.AppVersion)
	case s.BytesDone < 0 || s.BytesTotal < 0 || s.BytesDone > s.BytesTotal:
		return invalid(t, "bytes_done", "%d of %d is not a progress", s.BytesDone, s.BytesTotal)
	case s.FreeDisk < 0:
		return invalid(t, "free_disk", "is negative")
	}
	if err := oneOf(t, "state", s.State, StateIdle, StateWaiting, StateDownloading, StateApplying, StateFailed); err != nil {
		return err
	}
	if err := checkKeyIDs(t, "pinned_keys", s.PinnedKeys); err != nil {
		return err
	}
	return checkText(t, "last_error", s.LastError)
}

// checkKeyIDs accepts no list (not said) or 1..MaxPinnedKeys key ids in
// ascending order: one spelling per set, so the hub stores and compares
// them as they come.
// The error kinds a kiosk names in Status.ErrorKind: the hub's console says
// each in Vietnamese, the kiosk's staff panel too (update.ErrorKind*).
const (
	ErrorKindDiskFull  = "disk_full"         // no room for a download, or a write met a full disk
	ErrorKindBroken    = "content_broken"    // the current content does not load from disk; fetched again
	ErrorKindUntrusted = "content_untrusted" // no pinned key signed the current content; waits for a newer one
	// The current content is whole and signed, but this release's content
	// rules refuse it (a pack an earlier release built); waits for a newer one.
	ErrorKindUnreadable = "content_unreadable"
	ErrorKindHubBehind  = "hub_behind" // the hub offers an older generation than the kiosk has
	// A download did not reach the hub (a cut link, the hub restarting):
	// the kiosk tries again soon by itself, resuming what it has.
	ErrorKindHubUnreachable = "hub_unreachable"
	// The hub answered but sent too slowly to finish a download in bounded
	// time; a kiosk with several hubs has moved to the next one.
	ErrorKindHubTooSlow = "hub_too_slow"
)

// IsKeyID reports whether s has the form of a province key's id
// (pack.KeyID: 16 lowercase hex digits).
func IsKeyID(s string) bool { return keyIDRe.MatchString(s) }

func checkKeyIDs(typ, field string, ids []string) error {
	if ids == nil {
		return nil
	}
	if len(ids) == 0 || len(ids) > MaxPinnedKeys {
		return invalid(typ, field, "%d keys is outside 1..%d", len(ids), MaxPinnedKeys)
	}
	for i, id := range ids {
		if !keyIDRe.MatchString(id) {
			return invalid(typ, field, "%.40q is not a key id (16 lowercase hex digits)", id)
		}
		if i > 0 && ids[i-1] >= id {
			return invalid(typ, field, "%s after %s: not in ascending order, or named twice", id, ids[i-1])
		}
	}
	return nil
}

func (r Report) validate() error {
	const t = TypeReport
	// A rejected manifest may be too broken to name its generation: 0 then.
	if r.Generation < 1 && r.Outcome != OutcomeRejected {
		return invalid(t, "generation", "must be 1 or more")
	}
	if err := checkGen(t, "generation", r.Generation); err != nil {
		return err
	}
	if err := oneOf(t, "outcome", r.Outcome, OutcomeApplied, OutcomeRejected, OutcomeFailed, OutcomeRolledBack); err != nil {
		return err
	}
	if r.Outcome != OutcomeApplied && r.Error == "" {
		return invalid(t, "error", "is required when the outcome is %s", r.Outcome)
	}
	return checkText(t, "error", r.Error)
}

func (w Welcome) validate() error {
	const t = TypeWelcome
	switch {
	case !idRe.MatchString(w.DeviceID):
		return invalid(t, "device_id", "%.70q is not a device id", w.DeviceID)
	case w.HeartbeatSeconds < 5 || w.HeartbeatSeconds > 3600:
		return invalid(t, "heartbeat_seconds", "%d is outside 5..3600", w.HeartbeatSeconds)
	case w.PollSeconds < 10 || w.PollSeconds > 86400:
		return invalid(t, "poll_seconds", "%d is outside 10..86400", w.PollSeconds)
	case w.ServerTime < 0:
		return invalid(t, "server_time", "is negative")
	}
	if err := checkGen(t, "target_generation", w.TargetGeneration); err != nil {
		return err
	}
	return checkText(t, "name", w.Name)
}
