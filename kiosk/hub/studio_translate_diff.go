package hub

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"

	"tramso/kiosk/lang"
	"tramso/kiosk/studio"
	"tramso/kiosk/translate"
)

// isCatalogue says whether p is a shell catalogue a pack carries,
// i18n/<lang>/<namespace>.json: the kiosk's screens in a language.
func isCatalogue(p string) bool {
	parts := strings.Split(p, "/")
	return len(parts) == 3 && parts[0] == translate.ShellDir && path.Ext(p) == ".json"
}

// diffCatalogue lists the lines a shell catalogue's version changed, by key,
// so a version's summary and the review name each translated line.
func diffCatalogue(p string, before, after []byte) ([]studio.Change, error) {
	b, err := translate.CatalogueLines(before)
	if err != nil {
		return nil, err
	}
	a, err := translate.CatalogueLines(after)
	if err != nil {
		return nil, err
	}
	ns := strings.TrimSuffix(path.Base(p), ".json")
	where := "Màn hình kiosk, " + studio.LanguageName(path.Base(path.Dir(p))) + " — "
	union := maps.Clone(a)
	maps.Copy(union, b)
	var out []studio.Change
	for _, k := range slices.Sorted(maps.Keys(union)) {
		was, had := b[k]
		now, has := a[k]
		c := studio.Change{Key: ns + "." + k, Field: "i18n", Label: where + ns + "." + k,
			Before: `"` + was + `"`, After: `"` + now + `"`, Op: studio.Changed}
		switch {
		case had && has && was == now:
			continue
		case !had:
			c.Op, c.Before = studio.Added, ""
		case !has:
			c.Op, c.After = studio.Removed, ""
		}
		out = append(out, c)
	}
	return out, nil
}

// Translations that need redoing ("cần dịch lại"). A translation is made
// from a Vietnamese text; when a version rewords that text and keeps the
// translation, the translation still says the old thing (a fee note
// "1.000 đ/trang" whose English says 1,000). content_translation_basis
// keeps, per line and language, which Vietnamese each translation was made
// from, read from the studio's versions; a line is stale where its
// translation is known to be made from other words and never from the
// Vietnamese it now has. As pairs of texts it holds in any tree: a change
// that is discarded leaves the approved content as it was, one that is
// approved and published carries the stale line to the approved content,
// and a new translation (or a "vẫn đúng" confirmation) clears it everywhere.

// staleLine is a line's stale translation: the Vietnamese it was made from.
type staleLine struct {
	Was string
}

// isContentYAML says whether p is a content file with translatable texts.
func isContentYAML(p string) bool {
	switch kindOf(p) {
	case kindProcedure, kindLesson, kindLifeEvents:
		return true
	}
	return p == "tutorials/course.yaml"
}

// scanTextBasis reads every content version not read yet into
// content_translation_basis (what its translations were made from) and
// content_narration_basis (what its lessons' narration files read),
// comparing it with the change's previous version of the file, else the
// approved version the change started from.
func (h *Hub) scanTextBasis(ctx context.Context) error {
	rows, err := h.DB.QueryContext(ctx, `SELECT v.id, v.change_id, v.path, v.sha256, v.base FROM content_versions v
		WHERE v.sha256 IS NOT NULL AND NOT EXISTS (SELECT 1 FROM content_translation_scanned s WHERE s.version = v.id)
		ORDER BY v.id`)
	if err != nil {
		return err
	}
	var todo []Version
	for rows.Next() {
		var v Version
		if err := rows.Scan(&v.ID, &v.Change, &v.Path, &v.SHA256, &v.Base); err != nil {
			rows.Close()
			return err
		}
		todo = append(todo, v)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, v := range todo {
		var marks []basisMark
		var narrs []narrationRow
		if isContentYAML(v.Path) {
			if marks, narrs, err = h.versionBasis(ctx, v); err != nil {
				return fmt.Errorf("read translations of version %d: %w", v.ID, err)
			}
		}
		if err := h.inTx(ctx, func(tx *sql.Tx) error {
			for _, m := range marks {
				if m.kept {
					fits, err := translationFits(ctx, tx, m)
					if err != nil {
						return err
					}
					if !fits {
						continue // already made from other words: it still is
					}
				}
				if _, err := tx.ExecContext(ctx, `INSERT INTO content_translation_basis(line, lang, trans, vi, version)
					VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`, m.line, m.lang, m.trans, m.vi, v.ID); err != nil {
					return err
				}
			}
			for _, n := range narrs {
				if _, err := tx.ExecContext(ctx, `INSERT INTO content_narration_basis(path, lang, text, version)
					VALUES ($1, $2, $3, $4)`, n.path, n.lang, n.text, v.ID); err != nil {
					return err
				}
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO content_translation_scanned(version) VALUES ($1) ON CONFLICT (version) DO NOTHING`, v.ID)
			return err
		}); err != nil {
			return err
		}
	}
	return nil
}

// basisRow is one row of content_translation_basis: trans was made from vi.
type basisRow struct {
	line, lang, trans, vi string
}

// basisMark is a row a version says, and whether the version kept trans
// while it reworded the line's Vietnamese (vi is then the Vietnamese
// before): such a row is only what trans was made from if trans fitted vi.
type basisMark struct {
	basisRow
	kept bool
}

// translationFits says whether a translation kept while its Vietnamese was
// reworded (m) fitted the Vietnamese before: nothing is known of it (made
// with the content the studio started from), or a row says it was made
// from that Vietnamese or confirmed for it. A translation already made from
// other words stays made from them: otherwise a version that puts the words
// back (a rollback, an edit undone) would say it was made from the words it
// undoes, and redoing that edit would clear "cần dịch lại" for good.
func translationFits(ctx context.Context, tx *sql.Tx, m basisMark) (bool, error) {
	rows, err := tx.QueryContext(ctx, `SELECT vi FROM content_translation_basis WHERE line = $1 AND lang = $2 AND trans = $3`,
		m.line, m.lang, m.trans)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	known := false
	for rows.Next() {
		var vi string
		if err := rows.Scan(&vi); err != nil {
			return false, err
		}
		if vi == m.vi {
			return true, nil
		}
		known = true
	}
	return !known, rows.Err()
}

// versionBasis is what version v says about its file's translations and
// narration.
func (h *Hub) versionBasis(ctx context.Context, v Version) ([]basisMark, []narrationRow, error) {
	var prev sql.NullString
	err := h.DB.QueryRowContext(ctx, `SELECT sha256 FROM content_versions WHERE change_id = $1 AND path = $2 AND id < $3
		ORDER BY id DESC LIMIT 1`, v.Change, v.Path, v.ID).Scan(&prev)
	if errors.Is(err, sql.ErrNoRows) && v.Base != 0 {
		err = h.DB.QueryRowContext(ctx, `SELECT sha256 FROM content_versions WHERE id = $1`, v.Base).Scan(&prev)
	}
	if errors.Is(err, sql.ErrNoRows) || err == nil && !prev.Valid {
		return nil, nil, nil // a new file: its translations are made from its Vietnamese
	}
	if err != nil {
		return nil, nil, err
	}
	before, err := h.blobBytes(ctx, prev.String)
	if err != nil {
		return nil, nil, err
	}
	after, err := h.blobBytes(ctx, v.SHA256)
	if err != nil {
		return nil, nil, err
	}
	b, errB := translate.FileTexts(v.Path, before)
	a, errA := translate.FileTexts(v.Path, after)
	if errB != nil || errA != nil {
		return nil, nil, nil // a file that does not decode says nothing; lint shows it
	}
	var narrs []narrationRow
	if kindOf(v.Path) == kindLesson {
		narrs = narrationBasisOf(before, after)
	}
	var marks []basisMark
	for _, m := range basisOf(b, a) {
		marks = append(marks, basisMark{m, m.vi != a[m.line].Vi()})
	}
	return marks, narrs, nil
}

// basisOf compares a file's texts before and after a save: a translation
// kept while its Vietnamese changed was made from the old Vietnamese; one
// written or changed in the save is made from the new.
func basisOf(before, after map[string]lang.Text) []basisRow {
	var out []basisRow
	for _, line := range slices.Sorted(maps.Keys(after)) {
		a, b := after[line], before[line]
		for _, l := range lang.Known {
			if l == "vi" || a[l] == "" {
				continue
			}
			switch {
			case b != nil && b.Vi() != a.Vi() && a[l] == b[l]:
				out = append(out, basisRow{line, l, a[l], b.Vi()})
			case a[l] != b[l]:
				out = append(out, basisRow{line, l, a[l], a.Vi()})
			}
		}
	}
	return out
}

// staleTranslations lists, by msgctxt, the lines of units (in lng) whose
// translation was made from other Vietnamese than the line has now.
func (h *Hub) staleTranslations(ctx context.Context, units []translate.Unit, lng string) (map[string]staleLine, error) {
	if err := h.scanTextBasis(ctx); err != nil {
		return nil, err
	}
	rows, err := h.DB.QueryContext(ctx, `SELECT line, trans, vi, version FROM content_translation_basis WHERE lang = $1 ORDER BY version`, lng)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	type basis struct {
		from map[string]bool
		last string // the newest Vietnamese it is known made from
	}
	known := map[[2]string]*basis{}
	for rows.Next() {
		var line, trans, vi string
		var version int64
		if err := rows.Scan(&line, &trans, &vi, &version); err != nil {
			return nil, err
		}
		k := [2]string{line, trans}
		if known[k] == nil {
			known[k] = &basis{from: map[string]bool{}}
		}
		known[k].from[vi] = true
		if version > 0 {
			known[k].last = vi
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := map[string]staleLine{}
	for _, u := range units {
		if b := known[[2]string{u.Ctxt, u.Trans}]; u.Trans != "" && b != nil && !b.from[u.Source] {
			out[u.Ctxt] = staleLine{Was: b.last}
		}
	}
	return out, nil
}

// confirmTranslations records that the translations of lines, as they are
// now, fit their Vietnamese as it is now ("vẫn đúng").
func (h *Hub) confirmTranslations(ctx context.Context, lng string, units []translate.Unit, lines []string) error {
	return h.inTx(ctx, func(tx *sql.Tx) error {
		for _, u := range units {
			if u.Trans == "" || !slices.Contains(lines, u.Ctxt) {
				continue
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO content_translation_basis(line, lang, trans, vi, version)
				VALUES ($1, $2, $3, $4, 0) ON CONFLICT DO NOTHING`, u.Ctxt, lng, u.Trans, u.Source); err != nil {
				return err
			}
		}
		return nil
	})
}

// retranslateNote is, for the change page, how many lines of one language
// the change rewords in Vietnamese while keeping their translation.
type retranslateNote struct {
	Lang, Name string
	Lines      int
}

// Retranslate counts, per language, the lines whose Vietnamese this change
// rewords while keeping their translation (the review's "bản … chưa sửa
// theo"): each needs a new translation, or a translator's "vẫn đúng".
func (r *Review) Retranslate() []retranslateNote {
	var out []retranslateNote
	for _, l := range lang.Known {
		if l == "vi" {
			continue
		}
		n := 0
		for _, f := range r.Files {
			for _, c := range f.Changes {
				if strings.HasSuffix(c.Doubt, untranslatedDoubt) && slices.Contains(doubtLanguages(c.Doubt), studio.LanguageName(l)) {
					n++
				}
			}
		}
		if n > 0 {
			out = append(out, retranslateNote{Lang: l, Name: studio.LanguageName(l), Lines: n})
		}
	}
	return out
}

// untranslatedDoubt ends kiosk/studio's doubt on a reworded Vietnamese text
// whose translations stayed: "bản tiếng Anh, Ê Đê chưa sửa theo".
const untranslatedDoubt = " chưa sửa theo"

// doubtLanguages are the languages such a doubt names.
func doubtLanguages(doubt string) []string {
	names := strings.TrimSuffix(strings.TrimPrefix(doubt, "bản "), untranslatedDoubt)
	return strings.Split(names, ", ")
}
