package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"tramso/kiosk/hours"
)

// LoadHoursOverride reads staff's exception to the opening hours; the zero
// Override when there is none.
func (s *Store) LoadHoursOverride(ctx context.Context) (hours.Override, error) {
	var o hours.Override
	var from, until, openedFrom, openedUntil string
	err := s.DB.QueryRowContext(ctx, `SELECT open, from_at, until_at, opened_from, opened_until FROM hours_override WHERE id = 1`).
		Scan(&o.Open, &from, &until, &openedFrom, &openedUntil)
	if errors.Is(err, sql.ErrNoRows) {
		return hours.Override{}, nil
	}
	if err != nil {
		return hours.Override{}, fmt.Errorf("read the opening hours override: %w", err)
	}
	// from and until are always set; the opening cut short only with a closing.
	if o.From, err = time.Parse(time.RFC3339, from); err == nil {
		o.Until, err = time.Parse(time.RFC3339, until)
	}
	if err == nil && openedFrom != "" {
		if o.OpenedFrom, err = time.Parse(time.RFC3339, openedFrom); err == nil {
			o.OpenedUntil, err = time.Parse(time.RFC3339, openedUntil)
		}
	}
	if err != nil {
		return hours.Override{}, fmt.Errorf("read the opening hours override: %w", err)
	}
	return o, nil
}

// SaveHoursOverride replaces staff's exception to the opening hours with o;
// the zero Override removes it.
func (s *Store) SaveHoursOverride(ctx context.Context, o hours.Override) error {
	var err error
	if o.Until.IsZero() {
		_, err = s.DB.ExecContext(ctx, `DELETE FROM hours_override`)
	} else {
		_, err = s.DB.ExecContext(ctx, `INSERT INTO hours_override(id, open, from_at, until_at, opened_from, opened_until) VALUES (1, ?, ?, ?, ?, ?)
			ON CONFLICT(id) DO UPDATE SET open = excluded.open, from_at = excluded.from_at, until_at = excluded.until_at,
				opened_from = excluded.opened_from, opened_until = excluded.opened_until`,
			o.Open, stamp(o.From), stamp(o.Until), stamp(o.OpenedFrom), stamp(o.OpenedUntil))
	}
	if err != nil {
		return fmt.Errorf("save the opening hours override: %w", err)
	}
	return nil
}

// stamp is t as stored: RFC 3339 in UTC, or "" for none.
func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
