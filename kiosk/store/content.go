package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"
)

// Content trust errors: the switch transaction refuses these by itself, so two
// racing updates can never move the kiosk backwards.
var (
	ErrContentNotNewer  = errors.New("generation is not newer than the highest applied")
	ErrContentConflict  = errors.New("a different manifest was already seen for this generation")
	ErrContentNotSeen   = errors.New("generation was never accepted")
	ErrNothingToRestore = errors.New("no earlier content to roll back to")
)

// maxContentRejections bounds the rejection log: a hostile source cannot fill the disk.
const maxContentRejections = 200

// ContentState is which content generation the kiosk serves (0 = embedded starter).
type ContentState struct {
	Current    int64  `json:"current"`
	Previous   int64  `json:"previous"`
	Highest    int64  `json:"highest"`
	SwitchedAt string `json:"switched_at,omitempty"`
}

// ContentGeneration is an authentic manifest the kiosk has seen.
type ContentGeneration struct {
	Generation int64  `json:"generation"`
	Digest     string `json:"manifest_sha256"`
	KeyID      string `json:"key_id"`
	Created    string `json:"created,omitempty"` // RFC 3339; none for a generation numbered by hand
	Title      string `json:"title"`
	SeenAt     string `json:"seen_at"`
	// AppliedAt is when it was applied to run: "" when it never was, also
	// when the kiosk took it back at once because it failed its check
	// (FailedCheckAt): switched to, it never ran.
	AppliedAt string `json:"applied_at,omitempty"`
	// AppliedVia is how the pack came when it was applied ("hub", "usb");
	// empty when not known (applied by an older release).
	AppliedVia string `json:"applied_via,omitempty"`
	// FailedCheckAt is when the kiosk took it back for failing its check
	// (MarkContentFailedCheck); "" for every other generation.
	FailedCheckAt string `json:"-"`
}

// ContentRejection is one refused pack.
type ContentRejection struct {
	ID         int64  `json:"id"`
	At         string `json:"at"`
	Source     string `json:"source"`
	Generation int64  `json:"generation,omitempty"`
	Kind       string `json:"kind"`
	Detail     string `json:"detail"`
}

func nowText() string { return time.Now().UTC().Format(time.RFC3339) }

// ContentState reads the trusted content state.
func (s *Store) ContentState(ctx context.Context) (ContentState, error) {
	return contentState(ctx, s.DB)
}

type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func contentState(ctx context.Context, q queryer) (ContentState, error) {
	var c ContentState
	var at sql.NullString
	err := q.QueryRowContext(ctx, `SELECT current_generation, previous_generation, highest_generation, switched_at
		FROM content_state WHERE id = 1`).Scan(&c.Current, &c.Previous, &c.Highest, &at)
	c.SwitchedAt = at.String
	if err != nil {
		return c, fmt.Errorf("read content state: %w", err)
	}
	return c, nil
}

// ContentGeneration returns the manifest seen for gen, and whether there is one.
func (s *Store) ContentGeneration(ctx context.Context, gen int64) (ContentGeneration, bool, error) {
	// A database an older release wrote, met on a read-only disk, may lack
	// the newer columns: what they say is read as not known.
	via, failed := "applied_source", "failed_check_at"
	if slices.Contains(s.Behind, appliedSourceMigration) {
		via = "NULL"
	}
	if slices.Contains(s.Behind, failedCheckMigration) {
		failed = "NULL"
	}
	return readContentGeneration(ctx, s.DB, gen, via, failed)
}

// The migrations that add content_generations.applied_source and
// failed_check_at.
const (
	appliedSourceMigration = "0008_applied_source"
	failedCheckMigration   = "0009_failed_check"
)

func contentGeneration(ctx context.Context, q queryer, gen int64) (ContentGeneration, bool, error) {
	return readContentGeneration(ctx, q, gen, "applied_source", "failed_check_at")
}

// readContentGeneration reads gen's row; via and failed are the columns
// (or NULL) that say how an applied pack came and when it failed its check.
func readContentGeneration(ctx context.Context, q queryer, gen int64, via, failed string) (ContentGeneration, bool, error) {
	g := ContentGeneration{Generation: gen}
	var applied, source, failedAt sql.NullString
	err := q.QueryRowContext(ctx, `SELECT manifest_sha256, key_id, created, title, seen_at, applied_at, `+via+`, `+failed+`
		FROM content_generations WHERE generation = ?`, gen).Scan(&g.Digest, &g.KeyID, &g.Created, &g.Title, &g.SeenAt, &applied, &source, &failedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return g, false, nil
	}
	if err != nil {
		return g, false, fmt.Errorf("read content generation %d: %w", gen, err)
	}
	g.AppliedVia, g.FailedCheckAt = source.String, failedAt.String
	if !failedAt.Valid {
		g.AppliedAt = applied.String
	}
	return g, true, nil
}

// SeeContentGeneration records an authentic manifest for its generation. Seeing
// the same manifest again is fine; a different one is ErrContentConflict.
func (s *Store) SeeContentGeneration(ctx context.Context, g ContentGeneration) error {
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	old, ok, err := contentGeneration(ctx, tx, g.Generation)
	if err != nil {
		return err
	}
	if ok {
		if old.Digest != g.Digest {
			return ErrContentConflict
		}
		return nil
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO content_generations(generation, manifest_sha256, key_id, created, title, seen_at)
		VALUES (?, ?, ?, ?, ?, ?)`, g.Generation, g.Digest, g.KeyID, g.Created, g.Title, nowText()); err != nil {
		return fmt.Errorf("record content generation %d: %w", g.Generation, err)
	}
	return tx.Commit()
}

// SwitchContent makes gen current in one durable transaction: gen must be newer
// than every generation applied before and its manifest must be the one seen.
// The old current becomes previous; the highest generation moves up to gen.
// via is how the pack came ("hub", "usb"), kept for staff mode.
func (s *Store) SwitchContent(ctx context.Context, gen int64, digest, via string) (ContentState, error) {
	var st ContentState
	err := s.durableTx(ctx, func(tx *sql.Tx) error {
		cur, err := contentState(ctx, tx)
		if err != nil {
			return err
		}
		if gen <= cur.Highest {
			return fmt.Errorf("generation %d (highest applied %d): %w", gen, cur.Highest, ErrContentNotNewer)
		}
		seen, ok, err := contentGeneration(ctx, tx, gen)
		switch {
		case err != nil:
			return err
		case !ok:
			return fmt.Errorf("generation %d: %w", gen, ErrContentNotSeen)
		case seen.Digest != digest:
			return fmt.Errorf("generation %d: %w", gen, ErrContentConflict)
		}
		now := nowText()
		if _, err := tx.ExecContext(ctx, `UPDATE content_state SET previous_generation = current_generation,
			current_generation = ?, highest_generation = ?, switched_at = ? WHERE id = 1`, gen, gen, now); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE content_generations SET applied_at = ?, applied_source = ?, failed_check_at = NULL
			WHERE generation = ?`, now, via, gen); err != nil {
			return err
		}
		st = ContentState{Current: gen, Previous: cur.Current, Highest: gen, SwitchedAt: now}
		return nil
	})
	if err != nil {
		return st, fmt.Errorf("switch content: %w", err)
	}
	return st, nil
}

// RollbackContent makes the previous generation current again (0: the embedded
// starter). The highest generation stays, so the rolled-back one is not re-applied.
func (s *Store) RollbackContent(ctx context.Context) (ContentState, error) {
	var st ContentState
	err := s.durableTx(ctx, func(tx *sql.Tx) error {
		cur, err := contentState(ctx, tx)
		if err != nil {
			return err
		}
		if cur.Current == 0 {
			return ErrNothingToRestore
		}
		now := nowText()
		if _, err := tx.ExecContext(ctx, `UPDATE content_state SET current_generation = previous_generation,
			previous_generation = 0, switched_at = ? WHERE id = 1`, now); err != nil {
			return err
		}
		st = ContentState{Current: cur.Previous, Highest: cur.Highest, SwitchedAt: now}
		return nil
	})
	if err != nil {
		return st, fmt.Errorf("roll back content: %w", err)
	}
	return st, nil
}

// MarkContentFailedCheck records that gen, switched to, failed the check
// made right after and was taken back (RollbackContent): it never ran, so
// it does not count as installed (ContentGeneration.AppliedAt).
func (s *Store) MarkContentFailedCheck(ctx context.Context, gen int64) error {
	if _, err := s.DB.ExecContext(ctx, `UPDATE content_generations SET failed_check_at = ? WHERE generation = ? AND applied_at IS NOT NULL`,
		nowText(), gen); err != nil {
		return fmt.Errorf("record that generation %d failed its check: %w", gen, err)
	}
	return nil
}

// durableTx runs fn in a transaction committed with synchronous=FULL, so that
// a power cut right after the switch cannot undo it while the files that the
// old state needed are already being removed.
func (s *Store) durableTx(ctx context.Context, fn func(*sql.Tx) error) error {
	conn, err := s.DB.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `PRAGMA synchronous = FULL`); err != nil {
		return err
	}
	defer conn.ExecContext(context.Background(), `PRAGMA synchronous = NORMAL`)
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// RecordContentRejection logs a refused pack, keeping only the newest entries.
func (s *Store) RecordContentRejection(ctx context.Context, r ContentRejection) error {
	if r.At == "" {
		r.At = nowText()
	}
	tx, err := s.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO content_rejections(at, source, generation, kind, detail) VALUES (?, ?, ?, ?, ?)`,
		r.At, r.Source, r.Generation, r.Kind, r.Detail); err != nil {
		return fmt.Errorf("record content rejection: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM content_rejections WHERE id <= (SELECT max(id) FROM content_rejections) - ?`,
		maxContentRejections); err != nil {
		return err
	}
	return tx.Commit()
}

// RecentContentRejections returns the newest rejections first, for staff mode.
func (s *Store) RecentContentRejections(ctx context.Context, limit int) ([]ContentRejection, error) {
	return s.queryRejections(ctx, `SELECT id, at, source, generation, kind, detail FROM content_rejections
		ORDER BY id DESC LIMIT ?`, limit)
}

// UnreportedContentRejections returns, oldest first, rejections the hub has not
// been told about yet.
func (s *Store) UnreportedContentRejections(ctx context.Context, limit int) ([]ContentRejection, error) {
	return s.queryRejections(ctx, `SELECT id, at, source, generation, kind, detail FROM content_rejections
		WHERE reported_at IS NULL ORDER BY id LIMIT ?`, limit)
}

// MarkContentRejectionsReported records that the hub has every rejection up to id.
func (s *Store) MarkContentRejectionsReported(ctx context.Context, uptoID int64) error {
	_, err := s.DB.ExecContext(ctx, `UPDATE content_rejections SET reported_at = ? WHERE id <= ? AND reported_at IS NULL`,
		nowText(), uptoID)
	return err
}

func (s *Store) queryRejections(ctx context.Context, query string, limit int) ([]ContentRejection, error) {
	rows, err := s.DB.QueryContext(ctx, query, limit)
	if err != nil {
		return nil, fmt.Errorf("read content rejections: %w", err)
	}
	defer rows.Close()
	var out []ContentRejection
	for rows.Next() {
		var r ContentRejection
		if err := rows.Scan(&r.ID, &r.At, &r.Source, &r.Generation, &r.Kind, &r.Detail); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// ForgetContentAbove repairs a trusted state that holds a generation above
// top (a pack signed before the range was enforced): those generations are
// forgotten, the kiosk goes back to the newest in-range generation it applied
// (the previous one, else the embedded starter), and the highest generation
// drops to the highest in-range one applied, so the next valid pack applies.
// It returns the generations forgotten (none: nothing changed).
func (s *Store) ForgetContentAbove(ctx context.Context, top int64) (ContentState, []int64, error) {
	var st ContentState
	var gone []int64
	err := s.durableTx(ctx, func(tx *sql.Tx) error {
		cur, err := contentState(ctx, tx)
		if err != nil {
			return err
		}
		st = cur
		if gone, err = generationsAbove(ctx, tx, top); err != nil {
			return err
		}
		if len(gone) == 0 && cur.Current <= top && cur.Previous <= top && cur.Highest <= top {
			return nil
		}
		st = inRangeState(cur, top)
		var highest int64
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(generation), 0) FROM content_generations
			WHERE applied_at IS NOT NULL AND generation <= ?`, top).Scan(&highest); err != nil {
			return err
		}
		st.Highest = max(highest, st.Current, st.Previous)
		if _, err := tx.ExecContext(ctx, `DELETE FROM content_generations WHERE generation > ?`, top); err != nil {
			return err
		}
		if len(gone) == 0 { // only the state named it
			gone = []int64{max(cur.Current, cur.Previous, cur.Highest)}
		}
		_, err = tx.ExecContext(ctx, `UPDATE content_state SET current_generation = ?, previous_generation = ?,
			highest_generation = ?, switched_at = ? WHERE id = 1`, st.Current, st.Previous, st.Highest, nowText())
		return err
	})
	if err != nil {
		return st, nil, fmt.Errorf("forget content generations above %d: %w", top, err)
	}
	return st, gone, nil
}

func generationsAbove(ctx context.Context, tx *sql.Tx, top int64) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT generation FROM content_generations WHERE generation > ? ORDER BY generation`, top)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var g int64
		if err := rows.Scan(&g); err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	return out, rows.Err()
}

// inRangeState keeps current and previous when they are at most top; an
// out-of-range current gives way to the previous one (or the starter).
func inRangeState(cur ContentState, top int64) ContentState {
	ok := func(g int64) int64 {
		if g > top || g < 0 {
			return 0
		}
		return g
	}
	st := ContentState{Current: ok(cur.Current), Previous: ok(cur.Previous)}
	if st.Current == 0 {
		st.Current, st.Previous = st.Previous, 0
	}
	return st
}
