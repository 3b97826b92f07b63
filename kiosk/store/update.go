package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// DeviceCredentials are what enrollment with the province hub gave this kiosk.
type DeviceCredentials struct {
	DeviceID     string
	Token        string
	HubURL       string
	Name         string
	ProvinceKeys []string
	EnrolledAt   time.Time
}

// SaveCredentials stores the kiosk's device credentials, replacing any
// earlier ones (enrolling again is safe).
func SaveCredentials(ctx context.Context, db *sql.DB, c DeviceCredentials) error {
	keys, err := json.Marshal(c.ProvinceKeys)
	if err != nil {
		return err
	}
	if c.EnrolledAt.IsZero() {
		c.EnrolledAt = time.Now()
	}
	_, err = db.ExecContext(ctx, `INSERT INTO device_credentials(id, device_id, token, hub_url, name, province_keys, enrolled_at)
		VALUES (1, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET device_id = excluded.device_id, token = excluded.token,
		hub_url = excluded.hub_url, name = excluded.name, province_keys = excluded.province_keys, enrolled_at = excluded.enrolled_at`,
		c.DeviceID, c.Token, c.HubURL, c.Name, string(keys), c.EnrolledAt.UTC().Format(time.RFC3339))
	if err != nil {
		return fmt.Errorf("save device credentials: %w", err)
	}
	return nil
}

// LoadCredentials returns the stored credentials and whether there are any.
func LoadCredentials(ctx context.Context, db *sql.DB) (DeviceCredentials, bool, error) {
	var c DeviceCredentials
	var keys, at string
	err := db.QueryRowContext(ctx, `SELECT device_id, token, hub_url, name, province_keys, enrolled_at
		FROM device_credentials WHERE id = 1`).Scan(&c.DeviceID, &c.Token, &c.HubURL, &c.Name, &keys, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return c, false, nil
	}
	if err != nil {
		return c, false, fmt.Errorf("load device credentials: %w", err)
	}
	if err := json.Unmarshal([]byte(keys), &c.ProvinceKeys); err != nil {
		return c, false, fmt.Errorf("load device credentials: province keys: %w", err)
	}
	c.EnrolledAt, _ = time.Parse(time.RFC3339, at)
	return c, true, nil
}

// UpdateState is what staff mode shows about syncing, kept across restarts.
type UpdateState struct {
	LastSync  string
	LastError string
}

// LoadUpdateState reads the sync state.
func LoadUpdateState(ctx context.Context, db *sql.DB) (UpdateState, error) {
	var u UpdateState
	err := db.QueryRowContext(ctx, `SELECT last_sync, last_error FROM update_state WHERE id = 1`).Scan(&u.LastSync, &u.LastError)
	return u, err
}

// SaveUpdateState records the sync state.
func SaveUpdateState(ctx context.Context, db *sql.DB, u UpdateState) error {
	_, err := db.ExecContext(ctx, `UPDATE update_state SET last_sync = ?, last_error = ? WHERE id = 1`, u.LastSync, u.LastError)
	return err
}

// UpdateRefusal is the content generation the update client refused for a
// defect of the pack, or took back after it failed its check, with the
// error staff mode shows for it: the client fetches it no more, and keeps
// the error, until the hub's target moves or staff press "update now" —
// across restarts. The zero value is none.
type UpdateRefusal struct {
	Generation int64
	Error      string
	ErrorKind  string // the update status's error kind ("" for most refusals)
	Under      string // the release and pinned keys that refused it
}

// LoadUpdateRefusal reads the refused generation. On a database an older
// version wrote, met on a read-only disk (Store.Behind), it fails: the
// caller then knows of none.
func LoadUpdateRefusal(ctx context.Context, db *sql.DB) (UpdateRefusal, error) {
	var r UpdateRefusal
	err := db.QueryRowContext(ctx, `SELECT refused_generation, refused_error, refused_error_kind, refused_under FROM update_state WHERE id = 1`).
		Scan(&r.Generation, &r.Error, &r.ErrorKind, &r.Under)
	if err != nil {
		return UpdateRefusal{}, fmt.Errorf("load the refused generation: %w", err)
	}
	return r, nil
}

// SaveUpdateRefusal records the refused generation (the zero value: none).
func SaveUpdateRefusal(ctx context.Context, db *sql.DB, r UpdateRefusal) error {
	if _, err := db.ExecContext(ctx, `UPDATE update_state SET refused_generation = ?, refused_error = ?, refused_error_kind = ?, refused_under = ? WHERE id = 1`,
		r.Generation, r.Error, r.ErrorKind, r.Under); err != nil {
		return fmt.Errorf("save the refused generation %d: %w", r.Generation, err)
	}
	return nil
}
