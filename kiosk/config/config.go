// Package config reads the kiosk's one configuration file, fills defaults and
// validates it, naming the field at fault in every error.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"gopkg.in/yaml.v3"

	"tramso/kiosk/hubproto"
	"tramso/kiosk/lang"
	"tramso/kiosk/staffpin"
)

// Config is the whole kiosk configuration. The zero value plus Defaults is a
// working kiosk with no hub and no staff PIN.
type Config struct {
	Commune   Commune  `yaml:"commune" json:"commune"`
	Hub       Hub      `yaml:"hub" json:"-"`
	Idle      Idle     `yaml:"idle" json:"idle"`
	Staff     Staff    `yaml:"staff" json:"-"`
	Languages []string `yaml:"languages" json:"languages"`
	// OfferUntranslated names languages of Languages the chooser offers even
	// though their screens have no translated line yet (labelled "chưa có bản
	// dịch"); any other untranslated language is not offered.
	OfferUntranslated []string `yaml:"offer_untranslated" json:"offer_untranslated"`
	// OfferThreshold is the share of screen lines, in percent (1–100, default
	// 100), a language must have translated to be offered on its own.
	OfferThreshold int `yaml:"offer_threshold" json:"offer_threshold"`
	// AttractVoiceMinutes is the least time, in minutes, between two spoken
	// invitations on the attract screen (a native speaker's recording of the
	// invitation line; never the synthetic voice). Absent: 10; 0: never.
	AttractVoiceMinutes *int     `yaml:"attract_voice_minutes" json:"attract_voice_minutes"`
	Window              Window   `yaml:"window" json:"-"`
	Usage               Usage    `yaml:"usage" json:"-"`
	Schedule            Schedule `yaml:"schedule" json:"-"` // opening hours, screen rest, daily restart
	Speech              Speech   `yaml:"speech" json:"-"`   // the kiosk's own voice (speech.go)
	USB                 USB      `yaml:"usb" json:"-"`      // where staff's USB sticks are looked for (usb.go)
}

// The attract screen's spoken invitation: by default at most one every ten
// minutes, so a kiosk in a library or a waiting room never chatters; at most
// a day apart, a longer wait being a typo for 0.
const (
	DefaultAttractVoiceMinutes = 10
	MaxAttractVoiceMinutes     = 24 * 60
)

// AttractVoice is attract_voice_minutes, its default when unset (a Config
// built in code rather than parsed).
func (c *Config) AttractVoice() int {
	if c.AttractVoiceMinutes == nil {
		return DefaultAttractVoiceMinutes
	}
	return *c.AttractVoiceMinutes
}

// Commune names the place and the offices that receive residents' files.
type Commune struct {
	Name    string   `yaml:"name" json:"name"`
	Offices []Office `yaml:"offices" json:"offices"`
}

// Office is a place a resident goes: the commune's public-administration
// service centre, the commune police, and so on.
type Office struct {
	ID      string   `yaml:"id" json:"id"` // "pvhcc", "police", …: procedures refer to it
	Name    string   `yaml:"name" json:"name"`
	Address string   `yaml:"address" json:"address"`
	Phone   string   `yaml:"phone" json:"phone"`
	Hours   []string `yaml:"hours" json:"hours"` // e.g. "Mon-Fri 07:30-11:30,13:30-17:00"
}

// Hub is where content updates come from. The kiosk reaches the province
// either through URL (one hub, or one name in front of a load balancer) or
// through URLs (several hubs of the same province, sharing one database, so
// that the device token is good on each); setting both is refused rather
// than guessing which the person meant. Code reads them through Addresses.
type Hub struct {
	URL string `yaml:"url"` // wss://…; ws:// only to loopback
	// URLs are the province's hubs; the kiosk talks to one at a time, starting
	// at a random one so that a fleet spreads over them, and moves to the next
	// when its connection fails.
	URLs         []string `yaml:"urls,omitempty"`
	ProvinceKeys []string `yaml:"province_keys"` // base64 ed25519 public keys, pinned
	// DownloadWindow limits content downloads to a daily window in the
	// province's hours, schedule.timezone ("22:00-06:00"); empty: any time.
	// Staff's "update now" ignores it.
	DownloadWindow string `yaml:"download_window"`
	DownloadKbps   int    `yaml:"download_kbps"` // bandwidth cap in kbit/s; 0: none
	StallSeconds   int    `yaml:"stall_seconds"` // a transfer with no progress this long is cut and resumed; 0: 30
	// CAFile is a PEM file of CA certificates trusted for the hub only, in
	// addition to the system's roots: a province CA Debian does not ship.
	CAFile string `yaml:"ca_file"`
}

// Idle sets how long a quiet screen waits before asking, and how long it asks.
type Idle struct {
	QuietSeconds   int `yaml:"quiet_seconds" json:"quiet_seconds"`
	WarningSeconds int `yaml:"warning_seconds" json:"warning_seconds"`
	StaffSeconds   int `yaml:"staff_seconds" json:"staff_seconds"` // staff panel closes itself
}

// Staff holds the staff-mode PIN, only ever as a slow salted hash.
type Staff struct {
	PINHash string `yaml:"pin_hash"`
}

// Window configures the desktop shell.
type Window struct {
	GPUPolicy string `yaml:"gpu_policy"` // never | ondemand | always
}

// Usage configures the anonymous usage log.
type Usage struct {
	RetentionDays   int `yaml:"retention_days"`
	ExportThreshold int `yaml:"export_threshold"`
}

// FieldError is a validation error that names the bad field.
type FieldError struct {
	Field   string
	Problem string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Problem }

// Default returns the configuration used when no file exists.
func Default() Config {
	var c Config
	c.applyDefaults()
	return c
}

// Load reads and validates the file at path.
func Load(path string) (Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return Config{}, fmt.Errorf("config %s: %w", path, err)
	}
	defer f.Close()
	c, err := Parse(f)
	if err != nil {
		return Config{}, fmt.Errorf("config %s: %w", path, err)
	}
	return c, nil
}

// maxFileSize bounds a config file: a commune's fits in a few kilobytes,
// and a runaway one (outside QA: 46 MB, 4.7 s to start, 360 MB) is a mistake.
const maxFileSize = 1 << 20

// Parse decodes YAML, rejecting unknown fields, then fills defaults and validates.
func Parse(r io.Reader) (Config, error) {
	var c Config
	src, err := io.ReadAll(io.LimitReader(r, maxFileSize+1))
	if err != nil {
		return Config{}, err
	}
	if len(src) > maxFileSize {
		return Config{}, fmt.Errorf("the config is over %d KB: a kiosk's fits in a few", maxFileSize>>10)
	}
	dec := yaml.NewDecoder(bytes.NewReader(src))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
		return Config{}, explainYAML(src, err)
	}
	c.applyDefaults()
	if err := c.Validate(); err != nil {
		return Config{}, withLine(src, err)
	}
	return c, nil
}

func (c *Config) applyDefaults() {
	if c.Idle.QuietSeconds == 0 {
		c.Idle.QuietSeconds = 90
	}
	if c.Idle.WarningSeconds == 0 {
		c.Idle.WarningSeconds = 40
	}
	if c.Idle.StaffSeconds == 0 {
		c.Idle.StaffSeconds = 120
	}
	if c.OfferThreshold == 0 {
		c.OfferThreshold = 100
	}
	if c.AttractVoiceMinutes == nil {
		minutes := DefaultAttractVoiceMinutes
		c.AttractVoiceMinutes = &minutes
	}
	if len(c.Languages) == 0 {
		c.Languages = append([]string(nil), lang.Known...)
	}
	if c.Window.GPUPolicy == "" {
		c.Window.GPUPolicy = "never"
	}
	if c.Usage.RetentionDays == 0 {
		c.Usage.RetentionDays = 180
	}
	if c.Usage.ExportThreshold == 0 {
		c.Usage.ExportThreshold = 5
	}
	c.Schedule.applyDefaults()
	c.Speech.applyDefaults()
	c.USB.applyDefaults()
}

// Validate checks every field and returns the first problem, naming the field.
func (c *Config) Validate() error {
	checks := []func() error{c.validateIdle, c.validateLanguages, c.validateHub, c.validateOffices, c.validateMisc, c.validateSchedule, c.validateSpeech, c.validateUSB}
	for _, check := range checks {
		if err := check(); err != nil {
			return err
		}
	}
	return nil
}

func (c *Config) validateIdle() error {
	switch {
	case c.Idle.QuietSeconds < 15 || c.Idle.QuietSeconds > 3600:
		return &FieldError{"idle.quiet_seconds", fmt.Sprintf("%d is outside 15..3600", c.Idle.QuietSeconds)}
	case c.Idle.WarningSeconds < 30 || c.Idle.WarningSeconds > 600:
		return &FieldError{"idle.warning_seconds", fmt.Sprintf("%d is outside 30..600 (residents need at least 30 s to answer)", c.Idle.WarningSeconds)}
	case c.Idle.StaffSeconds < 30 || c.Idle.StaffSeconds > 3600:
		return &FieldError{"idle.staff_seconds", fmt.Sprintf("%d is outside 30..3600", c.Idle.StaffSeconds)}
	}
	return nil
}

func (c *Config) validateLanguages() error {
	seen := map[string]bool{}
	for i, l := range c.Languages {
		field := fmt.Sprintf("languages[%d]", i)
		if !lang.IsKnown(l) {
			return &FieldError{field, fmt.Sprintf("%q is not one of %s", l, knownLanguages())}
		}
		if seen[l] {
			return &FieldError{field, fmt.Sprintf("%q is listed twice", l)}
		}
		seen[l] = true
	}
	if c.Languages[0] != "vi" {
		return &FieldError{"languages", "must start with vi (Vietnamese is the default and the fallback)"}
	}
	if c.OfferThreshold < 1 || c.OfferThreshold > 100 {
		return &FieldError{"offer_threshold", fmt.Sprintf("%d is not a percentage from 1 to 100", c.OfferThreshold)}
	}
	if m := c.AttractVoice(); m < 0 || m > MaxAttractVoiceMinutes {
		return &FieldError{"attract_voice_minutes", fmt.Sprintf("%d is outside 0..%d (0: never)", m, MaxAttractVoiceMinutes)}
	}
	for i, l := range c.OfferUntranslated {
		if !seen[l] {
			return &FieldError{fmt.Sprintf("offer_untranslated[%d]", i), fmt.Sprintf("%q is not one of languages", l)}
		}
	}
	return nil
}

// languageNames name the codes a technician may not know: the kiosk exists
// for the Ê Đê and M'nông communes, and "rad" or "mng" says neither (outside
// QA s26: "ede" was typed for Ê Đê).
var languageNames = map[string]string{"rad": "Ê Đê", "mng": "M'nông"}

// LanguageName is a language code for a technician's message: "rad (Ê Đê)".
func LanguageName(code string) string {
	if name, ok := languageNames[code]; ok {
		return code + " (" + name + ")"
	}
	return code
}

// knownLanguages is lang.Known for a message: "vi, en, rad (Ê Đê), mng (M'nông)".
func knownLanguages() string {
	names := make([]string, len(lang.Known))
	for i, code := range lang.Known {
		names[i] = LanguageName(code)
	}
	return strings.Join(names, ", ")
}

func (c *Config) validateHub() error {
	if err := c.Hub.validateAddresses(); err != nil {
		return err
	}
	if n := len(c.Hub.ProvinceKeys); n > MaxProvinceKeys {
		return &FieldError{"hub.province_keys", fmt.Sprintf("pins %d keys; at most %d (a rotation needs two)", n, MaxProvinceKeys)}
	}
	for i, k := range c.Hub.ProvinceKeys {
		if err := checkKey(k); err != nil {
			return &FieldError{fmt.Sprintf("hub.province_keys[%d]", i), err.Error()}
		}
	}
	if err := c.validateCAFile(); err != nil {
		return err
	}
	return c.validateDownload()
}

// validateAddresses applies CheckHubURL to hub.url or to each of hub.urls,
// and refuses a list that is empty or names one hub twice (the same hub in
// its wss:// and https:// forms included): either is a typo, and a
// duplicate would make the kiosk retry a dead hub twice as often.
func (h Hub) validateAddresses() error {
	if h.URL != "" {
		if h.URLs != nil {
			return &FieldError{"hub.urls", "set hub.url (one hub, or a load balancer's name) or hub.urls (several hubs), not both"}
		}
		if err := CheckHubURL(h.URL); err != nil {
			return &FieldError{"hub.url", err.Error()}
		}
		return nil
	}
	if h.URLs != nil && len(h.URLs) == 0 {
		return &FieldError{"hub.urls", "is empty: list the province's hubs, or remove hub.urls"}
	}
	seen := map[string]int{}
	for i, u := range h.URLs {
		field := fmt.Sprintf("hub.urls[%d]", i)
		if err := CheckHubURL(u); err != nil {
			return &FieldError{field, err.Error()}
		}
		base, _ := hubproto.HTTPBase(u) // CheckHubURL has vouched for it
		if j, dup := seen[strings.ToLower(base)]; dup {
			return &FieldError{field, fmt.Sprintf("%q is the same hub as hub.urls[%d]", u, j)}
		}
		seen[strings.ToLower(base)] = i
	}
	return nil
}

// Addresses is the list of hub addresses the config names, in its order:
// hub.urls, else hub.url, else enrolled, else none. The running kiosk passes
// no enrolled address (the config alone decides whether it connects);
// `tramso enroll` passes the one a former enrollment stored, to tell a move
// to another hub.
func (h Hub) Addresses(enrolled string) []string {
	switch {
	case len(h.URLs) > 0:
		return slices.Clone(h.URLs)
	case h.URL != "":
		return []string{h.URL}
	case enrolled != "":
		return []string{enrolled}
	}
	return nil
}

// CheckHubURL accepts wss:// anywhere and ws:// only to a loopback host, so that
// kiosks never talk to a hub in clear text over a real network.
func CheckHubURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return fmt.Errorf("%q is not a URL like wss://hub.example/ws", raw)
	}
	switch u.Scheme {
	case "wss", "https":
		return nil
	case "ws", "http":
		if isLoopback(u.Hostname()) {
			return nil
		}
		return fmt.Errorf("%q: plain %s is allowed only to 127.0.0.1/localhost; use wss://", raw, u.Scheme)
	}
	return fmt.Errorf("%q: scheme must be wss", raw)
}

func isLoopback(host string) bool {
	return host == "localhost" || host == "::1" || strings.HasPrefix(host, "127.")
}

func (c *Config) validateOffices() error {
	ids := map[string]bool{}
	for i, o := range c.Commune.Offices {
		field := fmt.Sprintf("commune.offices[%d]", i)
		switch {
		case o.ID == "":
			return &FieldError{field + ".id", "is empty"}
		case ids[o.ID]:
			return &FieldError{field + ".id", fmt.Sprintf("%q is used twice", o.ID)}
		case o.Name == "":
			return &FieldError{field + ".name", "is empty"}
		}
		ids[o.ID] = true
	}
	return nil
}

func (c *Config) validateMisc() error {
	switch {
	case !slices.Contains([]string{"never", "ondemand", "always"}, c.Window.GPUPolicy):
		return &FieldError{"window.gpu_policy", fmt.Sprintf("%q is not never, ondemand or always", c.Window.GPUPolicy)}
	case c.Staff.PINHash != "" && !strings.HasPrefix(c.Staff.PINHash, staffpin.Prefix):
		return &FieldError{"staff.pin_hash", "is not an argon2id hash; set it with `tramso staff-pin`"}
	case c.Usage.RetentionDays < 1 || c.Usage.RetentionDays > 3650:
		return &FieldError{"usage.retention_days", fmt.Sprintf("%d is outside 1..3650", c.Usage.RetentionDays)}
	case c.Usage.ExportThreshold < 1:
		return &FieldError{"usage.export_threshold", "must be 1 or more"}
	}
	if c.Staff.PINHash != "" {
		// A hash cut short or edited by hand: said now, not at the first PIN.
		if err := staffpin.Check(c.Staff.PINHash); err != nil {
			return &FieldError{"staff.pin_hash", err.Error() + "; set it again with `tramso staff-pin`"}
		}
	}
	return nil
}

// DefaultPath is where the kiosk looks for its config when --config is not
// given: /etc/tramso/config.yaml on an installed kiosk, else the XDG config home.
func DefaultPath() string {
	if _, err := os.Stat(InstalledPath); err == nil {
		return InstalledPath
	}
	return filepath.Join(xdgHome("XDG_CONFIG_HOME", ".config"), "tramso", "config.yaml")
}

// InstalledDataDir is the data directory the Debian package creates.
const InstalledDataDir = "/var/lib/tramso"

// InstalledPath is where the tramso package installs the config.
const InstalledPath = "/etc/tramso/config.yaml"

// DefaultDataDir is /var/lib/tramso on an installed kiosk for root and the
// kiosk's own user, so that `tramso enroll` and `tramso doctor` find the
// service's data; elsewhere it follows the XDG base-directory convention.
func DefaultDataDir() string {
	if st, err := os.Stat(InstalledDataDir); err == nil && st.IsDir() &&
		(os.Geteuid() == 0 || syscall.Access(InstalledDataDir, 2 /* W_OK */) == nil) {
		return InstalledDataDir
	}
	return filepath.Join(xdgHome("XDG_DATA_HOME", filepath.Join(".local", "share")), "tramso")
}

func xdgHome(env, fallback string) string {
	if v := os.Getenv(env); v != "" && filepath.IsAbs(v) {
		return v
	}
	home, err := os.UserHomeDir()
	if err != nil {
		home = "/var/lib"
	}
	return filepath.Join(home, fallback)
}

// LoadOrDefault loads path if it exists; a missing file at the default path
// means defaults, while a missing file that was named explicitly is an error.
func LoadOrDefault(path string, explicit bool) (Config, error) {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) && !explicit {
		return Default(), nil
	}
	return Load(path)
}

// Marshal renders c as YAML (used by tools that write a config).
func Marshal(c Config) ([]byte, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(c); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
