package store

import (
	"context"
	"database/sql"
	"errors"
)

// Meta returns the value stored under key, or "" when there is none.
func (s *Store) Meta(ctx context.Context, key string) (string, error) {
	var v string
	err := s.DB.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

// SetMeta stores value under key.
func (s *Store) SetMeta(ctx context.Context, key, value string) error {
	_, err := s.DB.ExecContext(ctx,
		`INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`, key, value)
	return err
}

// ProbeWrite commits a write and takes it back: whether the database takes
// writes now (a full disk, a read-only file system refuse it), asked before
// something that cannot be undone depends on one.
func (s *Store) ProbeWrite(ctx context.Context) error {
	if err := s.SetMeta(ctx, "write_probe", "1"); err != nil {
		return err
	}
	_, err := s.DB.ExecContext(ctx, `DELETE FROM meta WHERE key = 'write_probe'`)
	return err
}
