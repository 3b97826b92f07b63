package hub

import (
	"context"
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
	Shown    bool // kiosks show it now (else approved, not yet published)
}

// StudioEditsError refuses a pack that would replace StudioEdits.
type StudioEditsError struct{ Edits []StudioEdit }

func (e *StudioEditsError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "this pack replaces %d edit(s) approved in the content studio, which kiosks and the studio would lose: ", len(e.Edits))
	for i, ed := range e.Edits {
		if i == 5 {
			fmt.Fprintf(&b, "; and %d more", len(e.Edits)-i)
			break
		}
		if i > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "%s (change #%d %q by %s, approved by %s", ed.Path, ed.Change, ed.Title, ed.Author, ed.Reviewer)
		if !ed.Shown {
			b.WriteString(", not yet published")
		}
		b.WriteString(")")
	}
	b.WriteString(`. Build the pack from the studio's approved content instead (console: Nội dung → Các thay đổi → "Dựng gói từ nội dung đã duyệt", or "Tải toàn bộ nội dung đã duyệt" unpacked as the source folder)`)
	return b.String()
}

// studioEdit is one approved version a person made in the studio.
type studioEdit struct {
	sha string // "" for a file the edit removed
	StudioEdit
}

// checkStudioEdits refuses m when publishing it would replace an edit
// approved in the studio: for a path, the pack's file is none of the
// studio's own edits, differs from the newest published pack's, and either
// kiosks show a studio edit there now or the studio has approved one since.
// The studio's seed and what it took in from published packs are by
// "hệ thống", not edits: a pack made outside the studio may change them.
func (h *Hub) checkStudioEdits(ctx context.Context, m *pack.Manifest) error {
	edits, err := h.studioEdits(ctx)
	if err != nil || len(edits) == 0 {
		return err
	}
	published, err := highestGeneration(ctx, h.DB)
	if err != nil {
		return err
	}
	shown, err := h.followedFiles(ctx, published)
	if err != nil {
		return err
	}
	approved, err := treeOf(ctx, h.DB, `SELECT v.id, v.path, v.sha256, v.size FROM content_versions v
		JOIN content_changes c ON c.id = v.change_id WHERE c.state = 'approved' ORDER BY v.id`)
	if err != nil {
		return err
	}
	theirs := map[string]string{}
	for _, f := range m.Files {
		theirs[f.Path] = f.SHA256
	}
	var undone []StudioEdit
	for _, p := range slices.Sorted(maps.Keys(edits)) {
		t, b, o := theirs[p], shown[p], approved[p].SHA256
		mine := func(sha string) *studioEdit { return lastEdit(edits[p], sha) }
		if mine(t) != nil || t == b {
			continue
		}
		if e := mine(b); e != nil {
			e.Shown = true
			undone = append(undone, e.StudioEdit)
		} else if e := mine(o); e != nil {
			undone = append(undone, e.StudioEdit)
		}
	}
	if len(undone) > 0 {
		return &StudioEditsError{Edits: undone}
	}
	return nil
}

// studioEdits are the approved versions people made in the studio, by
// path, oldest first.
func (h *Hub) studioEdits(ctx context.Context) (map[string][]studioEdit, error) {
	rows, err := h.DB.QueryContext(ctx, `SELECT v.path, coalesce(v.sha256, ''), c.id, c.title, c.author, c.reviewer
		FROM content_versions v JOIN content_changes c ON c.id = v.change_id
		WHERE c.state = 'approved' AND c.author <> $1 ORDER BY v.id`, systemAuthor)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]studioEdit{}
	for rows.Next() {
		var e studioEdit
		if err := rows.Scan(&e.Path, &e.sha, &e.Change, &e.Title, &e.Author, &e.Reviewer); err != nil {
			return nil, err
		}
		out[e.Path] = append(out[e.Path], e)
	}
	return out, rows.Err()
}

// lastEdit is the newest of edits whose file is sha, or nil.
func lastEdit(edits []studioEdit, sha string) *studioEdit {
	for i := len(edits) - 1; i >= 0; i-- {
		if edits[i].sha == sha {
			e := edits[i]
			return &e
		}
	}
	return nil
}
