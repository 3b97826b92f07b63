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
	var open bool
	var from, until string
	err := s.DB.QueryRowContext(ctx, `SELECT open, from_at, until_at FROM hours_override WHERE id = 1`).Scan(&open, &from, &until)
	if errors.Is(err, sql.ErrNoRows) {
		return hours.Override{}, nil
	}
	if err != nil {
		return hours.Override{}, fmt.Errorf("read the opening hours override: %w", err)
	}
	o := hours.Override{Open: open}
	if o.From, err = time.Parse(time.RFC3339, from); err == nil {
		o.Until, err = time.Parse(time.RFC3339, until)
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
		_, err = s.DB.ExecContext(ctx, `INSERT INTO hours_override(id, open, from_at, until_at) VALUES (1, ?, ?, ?)
			ON CONFLICT(id) DO UPDATE SET open = excluded.open, from_at = excluded.from_at, until_at = excluded.until_at`,
			o.Open, o.From.UTC().Format(time.RFC3339), o.Until.UTC().Format(time.RFC3339))
	}
	if err != nil {
		return fmt.Errorf("save the opening hours override: %w", err)
	}
	return nil
}
