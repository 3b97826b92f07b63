package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// StaffLockout is the stored state of wrong staff PINs.
type StaffLockout struct {
	Failures    int       // wrong PINs in a row since the last lockout
	LockedUntil time.Time // zero when not locked
	Lockouts    int       // lockouts in a row (each doubles the next)
}

// LoadStaffLockout reads the lockout state.
func LoadStaffLockout(ctx context.Context, db *sql.DB) (StaffLockout, error) {
	var l StaffLockout
	var until string
	err := db.QueryRowContext(ctx, `SELECT failures, locked_until, lockouts FROM staff_lockout WHERE id = 1`).Scan(&l.Failures, &until, &l.Lockouts)
	if err != nil {
		return StaffLockout{}, fmt.Errorf("read staff lockout: %w", err)
	}
	if until != "" {
		if l.LockedUntil, err = time.Parse(time.RFC3339, until); err != nil {
			return StaffLockout{}, fmt.Errorf("read staff lockout: locked_until %q: %w", until, err)
		}
	}
	return l, nil
}

// SaveStaffLockout stores the lockout state.
func SaveStaffLockout(ctx context.Context, db *sql.DB, l StaffLockout) error {
	until := ""
	if !l.LockedUntil.IsZero() {
		until = l.LockedUntil.UTC().Format(time.RFC3339)
	}
	_, err := db.ExecContext(ctx, `UPDATE staff_lockout SET failures = ?, locked_until = ?, lockouts = ? WHERE id = 1`,
		l.Failures, until, l.Lockouts)
	if err != nil {
		return fmt.Errorf("save staff lockout: %w", err)
	}
	return nil
}

// LogStaffAction appends to the staff audit trail. The time is kept to the
// minute; action says what staff did and must never hold resident data.
func LogStaffAction(ctx context.Context, db *sql.DB, at time.Time, action string) error {
	_, err := db.ExecContext(ctx, `INSERT INTO staff_actions(at, action) VALUES (?, ?)`,
		at.UTC().Truncate(time.Minute).Format(time.RFC3339), action)
	if err != nil {
		return fmt.Errorf("log staff action %q: %w", action, err)
	}
	return nil
}

// StaffAction is one line of the staff audit trail.
type StaffAction struct {
	At     string
	Action string
}

// StaffActions returns the latest staff actions, newest first.
func StaffActions(ctx context.Context, db *sql.DB, limit int) ([]StaffAction, error) {
	rows, err := db.QueryContext(ctx, `SELECT at, action FROM staff_actions ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("read staff actions: %w", err)
	}
	defer rows.Close()
	var out []StaffAction
	for rows.Next() {
		var a StaffAction
		if err := rows.Scan(&a.At, &a.Action); err != nil {
			return nil, fmt.Errorf("read staff actions: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
