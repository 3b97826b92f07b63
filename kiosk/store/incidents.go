package store

import (
	"context"
	"strings"
	"time"
)

// Incident is a time the desktop window lost its page (hubproto.Incident*
// kinds), as the kiosk keeps it.
type Incident struct {
	ID   int64
	At   time.Time
	Kind string
}

// incidentDays is how long incidents are kept: the staff panel and the hub
// speak of the last week; a month leaves room for a kiosk long offline.
const incidentDays = 30

// AddIncident records that the window lost its page at at, and forgets
// incidents older than incidentDays.
func (s *Store) AddIncident(ctx context.Context, at time.Time, kind string) error {
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO window_incidents(at, kind) VALUES (?, ?)`, at.Unix(), kind); err != nil {
		return err
	}
	cutoff := at.AddDate(0, 0, -incidentDays).Unix()
	if _, err := tx.ExecContext(ctx, `DELETE FROM window_incidents WHERE at < ?`, cutoff); err != nil {
		return err
	}
	return tx.Commit()
}

// IncidentsSince returns the incidents at or after since, oldest first.
func (s *Store) IncidentsSince(ctx context.Context, since time.Time) ([]Incident, error) {
	return s.incidents(ctx, `SELECT id, at, kind FROM window_incidents WHERE at >= ? ORDER BY at, id`, since.Unix())
}

// UnsentIncidents returns up to limit incidents the hub has not taken yet,
// oldest first.
func (s *Store) UnsentIncidents(ctx context.Context, limit int) ([]Incident, error) {
	return s.incidents(ctx, `SELECT id, at, kind FROM window_incidents WHERE sent = 0 ORDER BY id LIMIT ?`, limit)
}

// MarkIncidentsSent notes that the hub took these incidents.
func (s *Store) MarkIncidentsSent(ctx context.Context, batch []Incident) error {
	if len(batch) == 0 {
		return nil
	}
	args := make([]any, len(batch))
	for i, in := range batch {
		args[i] = in.ID
	}
	marks := strings.Repeat("?,", len(batch))
	_, err := s.DB.ExecContext(ctx, `UPDATE window_incidents SET sent = 1 WHERE id IN (`+marks[:len(marks)-1]+`)`, args...)
	return err
}

func (s *Store) incidents(ctx context.Context, query string, arg any) ([]Incident, error) {
	rows, err := s.DB.QueryContext(ctx, query, arg)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Incident
	for rows.Next() {
		var in Incident
		var at int64
		if err := rows.Scan(&in.ID, &at, &in.Kind); err != nil {
			return nil, err
		}
		in.At = time.Unix(at, 0)
		out = append(out, in)
	}
	return out, rows.Err()
}
