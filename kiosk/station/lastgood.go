package station

import (
	"bytes"
	"errors"
	"log/slog"
	"os"
	"path/filepath"

	"tramso/kiosk/config"
	"tramso/kiosk/store"
)

// One slip in a hand-edited config (a time written 7.30, a misspelt field)
// used to take the kiosk down at its next restart — the daily restart or a
// power cut, hours after the edit, with nobody at the keyboard (outside QA).
// The kiosk keeps a copy of the last config it started on in its data
// directory and starts on that copy when the config does not load, saying
// so in the log and on the staff panel; `tramso doctor` names the error.
//
// The price: a config edited to stop trusting something (a province key
// dropped from hub.province_keys) that does not load leaves the kiosk on the
// old trust until it is fixed. The staff panel and the log say so loudly.

// lastGoodName is the copy's name in the data directory.
const lastGoodName = "config.last-good.yaml"

// loadConfig loads the kiosk's config or, when it does not load, the last
// config the kiosk started on; broken is then why the config was passed over.
// With no copy to fall back on, the config's own error stops the start.
func loadConfig(opts Options, log *slog.Logger) (cfg config.Config, broken, err error) {
	cfg, err = config.LoadOrDefault(opts.ConfigPath, opts.ConfigExplicit)
	if err == nil {
		return cfg, nil, nil
	}
	copyPath := filepath.Join(opts.DataDir, lastGoodName)
	good, gerr := config.Load(copyPath)
	if gerr != nil {
		return config.Config{}, nil, err
	}
	log.Error("the config does not load: the kiosk starts on the last config it started on; fix the config "+
		"(tramso doctor names the error), then restart the kiosk", "err", err, "last_good", copyPath)
	return good, err, nil
}

// keepLastGood copies the config file the kiosk started on into the data
// directory (only the kiosk's user may read it: it holds the staff PIN's
// hash). A kiosk on the built-in defaults (no config file) keeps no copy.
func keepLastGood(opts Options, st *store.Store, log *slog.Logger) {
	if st.ReadOnly {
		return
	}
	copyPath := filepath.Join(st.Dir, lastGoodName)
	raw, err := os.ReadFile(opts.ConfigPath)
	if errors.Is(err, os.ErrNotExist) {
		os.Remove(copyPath)
		return
	}
	if err != nil {
		log.Warn("keep a copy of the config", "err", err)
		return
	}
	if old, err := os.ReadFile(copyPath); err == nil && bytes.Equal(old, raw) {
		return
	}
	tmp := copyPath + ".tmp"
	if err := os.WriteFile(tmp, raw, 0o600); err != nil {
		os.Remove(tmp)
		log.Warn("keep a copy of the config", "err", err)
		return
	}
	if err := os.Rename(tmp, copyPath); err != nil {
		os.Remove(tmp)
		log.Warn("keep a copy of the config", "err", err)
	}
}
