package hub

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"strings"

	"tramso/kiosk/pack"
)

// A pack published from outside the content studio — built from a folder
// and uploaded, or published with the CLI — is what kiosks then show, and
// the studio follows it (studio_follow.go). One built from an old folder
// (`pack export-starter` after the studio has been used) would so undo, on
// every kiosk and in the studio, edits a second person approved there, with
// their sources, and nobody would be told (outside QA s24, finding 1). So
// such a publish names the studio's edits it would replace and is refused
// unless PublishOptions.ReplaceStudioEdits says it is meant.

// StudioEdit is an edit approved in the studio that a pack would replace.
type StudioEdit struct {
	Path     string
	Change   int64 // the studio change that made it
	Title    string
	Author   string
	Reviewer string
	// Shown: the newest published pack carries it (else approved, not yet
	// published). That pack may have gone to the test group or some waves
	// only, or be halted: then Reach says so, and the edit is not on every
	// kiosk (review risk 17: the list called it shown on kiosks).
	Shown bool
	Reach editReach
}

// editReach is how far the newest published pack, which carries an edit,
// went when the pack every kiosk gets does not carry it too.
type editReach struct {
	Everyone   bool  // the pack every kiosk (outside waves) gets carries it
	Generation int64 // else the newest pack, which does
	Stage      int
	Halted     bool
}

// english says the reach of a shown edit for the CLI's error.
func (r editReach) english() string {
	switch {
	case r.Everyone:
		return "shown on kiosks"
	case r.Halted:
		return fmt.Sprintf("only in generation %d, whose rollout is halted: kiosks that had not taken it do not get it", r.Generation)
	case r.Stage == StageTest:
		return fmt.Sprintf("only on the test group, in generation %d", r.Generation)
	}
	return fmt.Sprintf("only on the test group and waves up to %d, in generation %d", r.Stage, r.Generation)
}

// vietnamese says the same for the console.
func (r editReach) vietnamese() string {
	switch {
	case r.Everyone:
		return "đang hiện trên kiosk"
	case r.Halted:
		return fmt.Sprintf("chỉ có trong gói thế hệ %d đã tạm dừng triển khai: kiosk chưa nhận gói đó không hiện", r.Generation)
	case r.Stage == StageTest:
		return fmt.Sprintf("chỉ mới gửi cho nhóm thử nghiệm, trong gói thế hệ %d", r.Generation)
	}
	return fmt.Sprintf("chỉ mới gửi cho nhóm thử nghiệm và các đợt đến đợt %d, trong gói thế hệ %d", r.Stage, r.Generation)
}

// StudioEditsError refuses a pack that would replace StudioEdits.
type StudioEditsError struct{ Edits []StudioEdit }

func (e *StudioEditsError) Error() string {
	return fmt.Sprintf("this pack replaces %d edit(s) approved in the content studio, which the studio and any kiosk showing them would lose: ", len(e.Edits)) +
		e.List(func(ed StudioEdit) string {
			s := fmt.Sprintf("%s (change #%d %q by %s, approved by %s, ", ed.Path, ed.Change, ed.Title, ed.Author, ed.Reviewer)
			if !ed.Shown {
				return s + "not yet published)"
			}
			return s + ed.Reach.english() + ")"
		}, "and %d more") +
		`. Build the pack from the studio's approved content instead (console: Nội dung → Các thay đổi → "Dựng gói từ nội dung đã duyệt", or "Tải toàn bộ nội dung đã duyệt" unpacked as the source folder)`
}

// List says the first five edits each as say does, then how many more
// (more, a format for the count): the English error and the console's
// Vietnamese list them alike.
func (e *StudioEditsError) List(say func(StudioEdit) string, more string) string {
	var parts []string
	for i, ed := range e.Edits {
		if i == 5 {
			parts = append(parts, fmt.Sprintf(more, len(e.Edits)-i))
			break
		}
		parts = append(parts, say(ed))
	}
	return strings.Join(parts, "; ")
}

// approvedFile is the approved tree's version of a path, with the change
// that made it.
type approvedFile struct {
	sha    string // "" for a file the change removed
	system bool   // made by "hệ thống" (the seed, a pack taken in), not a person
	StudioEdit
}

// checkStudioEdits refuses m when publishing it would replace an edit a
// person approved in the studio. It judges exactly what the studio will do
// when it follows m (takeIn): the studio first follows every pack published
// so far, as its next read would, and then a path is replaced when m's file
// is neither the approved one nor the one kiosks have (the followed pack's),
// nor, where the studio approved something since, one it approved itself.
// The seed and packs taken in are not edits: a pack made outside the studio
// may change them. A hub whose studio was never opened has none.
func (h *Hub) checkStudioEdits(ctx context.Context, m *pack.Manifest) error {
	var used int
	if err := h.DB.QueryRowContext(ctx, `SELECT count(*) FROM content_studio`).Scan(&used); err != nil || used == 0 {
		return err
	}
	if err := h.followPublished(ctx); err != nil {
		return err
	}
	st, err := h.followState(ctx)
	if err != nil {
		return err
	}
	base, err := h.followedFiles(ctx, st.gen)
	if err != nil {
		return err
	}
	approved, err := h.approvedFiles(ctx)
	if err != nil {
		return err
	}
	tx, err := h.DB.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	reach, err := h.newestReach(ctx, st.gen)
	if err != nil {
		return err
	}
	theirs := map[string]string{}
	for _, f := range m.Files {
		theirs[f.Path] = f.SHA256
	}
	var undone []StudioEdit
	for _, p := range slices.Sorted(maps.Keys(approved)) {
		o := approved[p]
		t, b := theirs[p], base[p]
		if o.system || t == o.sha || t == b {
			continue
		}
		if o.sha != b {
			mine, err := approvedSince(ctx, tx, p, t, st.version)
			if err != nil {
				return err
			}
			if mine {
				continue // the studio's own, approved since: it keeps what it approved after
			}
		}
		e := o.StudioEdit
		if e.Shown = o.sha == b; e.Shown {
			e.Reach = reach(p, o.sha)
		}
		undone = append(undone, e)
	}
	if len(undone) > 0 {
		return &StudioEditsError{Edits: undone}
	}
	return nil
}

// newestReach says, for a file of newest (the newest published pack, which
// the studio has followed), how far it went: Everyone when the pack every
// kiosk gets has the file too, else newest's stage and halt.
func (h *Hub) newestReach(ctx context.Context, newest int64) (func(path, sha string) editReach, error) {
	r := editReach{Generation: newest}
	for _, ro := range *h.rollouts.Load() {
		if ro.generation == newest {
			r.Stage, r.Halted = ro.stage, ro.halted
		}
	}
	everyone := map[string]string{}
	if all := h.targetFor(sql.NullInt64{}); all == newest {
		r.Everyone = true
	} else if all != 0 {
		var err error
		if everyone, err = h.followedFiles(ctx, all); err != nil {
			return nil, err
		}
	}
	return func(path, sha string) editReach {
		if !r.Everyone && everyone[path] == sha {
			return editReach{Everyone: true}
		}
		return r
	}, nil
}

// approvedFiles is the approved tree, each path's newest approved version
// with the change that made it (a removal included, as "").
func (h *Hub) approvedFiles(ctx context.Context) (map[string]approvedFile, error) {
	rows, err := h.DB.QueryContext(ctx, `SELECT v.path, coalesce(v.sha256, ''), c.id, c.title, c.author, c.reviewer
		FROM content_versions v JOIN content_changes c ON c.id = v.change_id
		WHERE c.state = 'approved' ORDER BY v.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]approvedFile{}
	for rows.Next() {
		var f approvedFile
		if err := rows.Scan(&f.Path, &f.sha, &f.Change, &f.Title, &f.Author, &f.Reviewer); err != nil {
			return nil, err
		}
		f.system = f.Author == systemAuthor
		out[f.Path] = f
	}
	return out, rows.Err()
}
