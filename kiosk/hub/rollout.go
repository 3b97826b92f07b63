package hub

import (
	"context"
	"database/sql"
	"fmt"

	"tramso/kiosk/hubproto"
)

// Rollout stages: StageTest reaches the test group (wave 0), stage N reaches
// waves 0..N, StageEveryone reaches every device.
const (
	StageTest     = 0
	StageEveryone = 100
)

type rollout struct {
	generation int64
	stage      int
	halted     bool
}

// Rollout is a published generation and who it reaches.
type Rollout struct {
	Generation  int64
	Title       string
	Digest      string
	TotalSize   int64
	PublishedAt string
	PublishedBy string
	Note        string
	Stage       int
	Halted      bool
}

// reaches says whether a rollout includes a device of that wave.
func (r rollout) reaches(wave sql.NullInt64) bool {
	if r.halted {
		return false
	}
	return r.stage >= StageEveryone || (wave.Valid && wave.Int64 <= int64(r.stage))
}

// targetFor is the newest generation a device of that wave should have.
func (h *Hub) targetFor(wave sql.NullInt64) int64 {
	var best int64
	for _, r := range *h.rollouts.Load() {
		if r.generation > best && r.reaches(wave) {
			best = r.generation
		}
	}
	return best
}

// published says whether gen has a rollout (halted or not).
func (h *Hub) published(gen int64) bool {
	for _, r := range *h.rollouts.Load() {
		if r.generation == gen {
			return true
		}
	}
	return false
}

// reloadRollouts reads the rollouts and the fleet version the cache reflects.
func (h *Hub) reloadRollouts(ctx context.Context) error {
	var ver int64
	if err := h.DB.QueryRowContext(ctx, `SELECT version FROM fleet_version WHERE id = 1`).Scan(&ver); err != nil {
		return fmt.Errorf("read fleet version: %w", err)
	}
	// A generation outside the protocol's range (published before the hub
	// checked) is never a target: announcing it would only make kiosks
	// refuse it, and it would outrank every real pack.
	rows, err := h.DB.QueryContext(ctx, `SELECT generation, stage, halted FROM rollouts WHERE generation BETWEEN $1 AND $2`,
		hubproto.MinGeneration, int64(hubproto.MaxGeneration))
	if err != nil {
		return fmt.Errorf("read rollouts: %w", err)
	}
	defer rows.Close()
	var rs []rollout
	for rows.Next() {
		var r rollout
		if err := rows.Scan(&r.generation, &r.stage, &r.halted); err != nil {
			return err
		}
		rs = append(rs, r)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	h.rollouts.Store(&rs)
	h.fleetVer.Store(ver)
	return nil
}

// rolloutChanged refreshes this hub's targets at once (a kiosk connecting
// right after a publish must see it) and tells every hub to announce.
func (h *Hub) rolloutChanged(ctx context.Context) error {
	if err := h.reloadRollouts(ctx); err != nil {
		return err
	}
	if _, ok := h.broker.(*PGBroker); ok {
		return nil // the fleet_version trigger notified as the change committed
	}
	return h.broker.Publish(ctx, Event{Kind: EventRollout})
}

// checkFleetVersion notices changes another process made (`tramso hub
// publish`, or another hub) even if no broker told us.
func (h *Hub) checkFleetVersion(ctx context.Context) {
	var ver int64
	if err := h.DB.QueryRowContext(ctx, `SELECT version FROM fleet_version WHERE id = 1`).Scan(&ver); err != nil {
		h.log.Error("read fleet version", "err", err)
		return
	}
	if ver != h.fleetVer.Load() {
		h.handleEvent(ctx, Event{Kind: EventRollout})
	}
}

// Rollouts lists published generations, newest first.
func (h *Hub) Rollouts(ctx context.Context) ([]Rollout, error) {
	rows, err := h.DB.QueryContext(ctx, `SELECT p.generation, p.title, p.digest, p.total_size, p.published_at,
		p.published_by, p.note, r.stage, r.halted FROM packs p JOIN rollouts r USING (generation)
		ORDER BY p.generation DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Rollout
	for rows.Next() {
		var r Rollout
		if err := rows.Scan(&r.Generation, &r.Title, &r.Digest, &r.TotalSize, &r.PublishedAt, &r.PublishedBy,
			&r.Note, &r.Stage, &r.Halted); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// SetStage widens (or narrows) who a generation reaches and lifts a halt.
func (h *Hub) SetStage(ctx context.Context, gen int64, stage int) error {
	if stage < StageTest || (stage > MaxWave && stage != StageEveryone) {
		return fmt.Errorf("stage %d: must be 0 (test group), 1..%d (waves) or %d (everyone)", stage, MaxWave, StageEveryone)
	}
	if err := hubproto.CheckGeneration(gen); err != nil {
		return fmt.Errorf("rollout %d: %w; withdraw it (tramso hub withdraw --generation %d)", gen, err, gen)
	}
	// Widened to kiosks none of which pins a key that signed it, it would
	// reach them only to be refused: as at publish (checkSigners).
	if raw, sig, err := h.manifest(ctx, gen); err == nil {
		if err := h.checkSigners(ctx, raw, sig, stage); err != nil {
			return fmt.Errorf("rollout %d: %w", gen, err)
		}
	}
	return h.changeRollout(ctx, gen, `UPDATE rollouts SET stage = $1, halted = 0, updated_at = $2 WHERE generation = $3`,
		stage, h.stamp(), gen)
}

// Halt stops a rollout: no kiosk that does not have the generation yet is
// told about it. Kiosks that applied it keep it; roll back to undo that.
func (h *Hub) Halt(ctx context.Context, gen int64) error {
	return h.changeRollout(ctx, gen, `UPDATE rollouts SET halted = 1, updated_at = $1 WHERE generation = $2`, h.stamp(), gen)
}

func (h *Hub) changeRollout(ctx context.Context, gen int64, query string, args ...any) error {
	return h.rolloutTx(ctx, gen, func(tx *sql.Tx) (sql.Result, error) { return tx.ExecContext(ctx, query, args...) })
}

// rolloutTx runs change, which must affect generation gen, in a transaction
// that bumps the fleet version, then has every hub recompute its targets.
func (h *Hub) rolloutTx(ctx context.Context, gen int64, change func(*sql.Tx) (sql.Result, error)) error {
	tx, err := h.DB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := change(tx)
	if err != nil {
		return fmt.Errorf("rollout %d: %w", gen, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("rollout %d: no such generation", gen)
	}
	if err := bumpFleetVersion(ctx, tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	return h.rolloutChanged(ctx)
}

// ParseStage reads "test", "everyone"/"all" or a wave number.
func ParseStage(s string) (int, error) {
	switch s {
	case "test":
		return StageTest, nil
	case "all", "everyone":
		return StageEveryone, nil
	}
	var n int
	if _, err := fmt.Sscanf(s, "%d", &n); err != nil || fmt.Sprint(n) != s {
		return 0, fmt.Errorf("stage %q: use test, a wave number 1..%d, or everyone", s, MaxWave)
	}
	if n < 0 || (n > MaxWave && n != StageEveryone) {
		return 0, fmt.Errorf("stage %d: use test, a wave number 1..%d, or everyone", n, MaxWave)
	}
	return n, nil
}

// bumpFleetVersion records that targets may have changed, inside tx.
func bumpFleetVersion(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `UPDATE fleet_version SET version = version + 1 WHERE id = 1`)
	return err
}
