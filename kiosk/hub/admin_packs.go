package hub

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"mime/multipart"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"tramso/kiosk/pack"
)

// packLabel is how staff recognise a generation: its title and when it was
// built; the generation number is shown, but smaller.
type packLabel struct {
	Generation int64
	Title      string
	Built      timeView
	// Back is, for a rollback, the generation whose content it brought
	// back (following a rollback to a rollback); 0 for any other pack.
	Back int64
}

// packLabels names every published generation. The build time comes from
// the signed manifest as stored; a rollback's is that of the generation it
// brought back (its manifest's is the moment it was signed again, and
// "dựng vừa xong" read as new content).
func (h *Hub) packLabels(ctx context.Context) (map[int64]packLabel, error) {
	rows, err := h.DB.QueryContext(ctx, `SELECT generation, title, coalesce(`+h.manifestCreated()+`, ''), note FROM packs`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]packLabel{}
	from := map[int64]int64{} // a rollback's generation → the one it brought back
	for rows.Next() {
		var l packLabel
		var created, note string
		if err := rows.Scan(&l.Generation, &l.Title, &created, &note); err != nil {
			return nil, err
		}
		if t, err := time.Parse(time.RFC3339Nano, created); err == nil {
			if t, ok := pack.BuiltAt(t); ok {
				l.Built = h.timeView(t)
			}
		}
		var to int64
		if _, err := fmt.Sscanf(note, rollbackNote, &to); err == nil {
			from[l.Generation] = to
		}
		out[l.Generation] = l
	}
	for gen, to := range from {
		// A rollback to a rollback: each brings back a lower generation, so
		// this ends (a note edited by hand that does not is not followed).
		for next, ok := from[to]; ok && next < to; next, ok = from[to] {
			to = next
		}
		l := out[gen]
		l.Built = out[to].Built // none when that generation is gone
		l.Back = to
		out[gen] = l
	}
	return out, rows.Err()
}

// manifestCreated is the SQL for the "created" field of a pack's stored
// manifest: the two databases spell JSON access differently.
func (h *Hub) manifestCreated() string {
	if h.dialect == Postgres {
		return `convert_from(manifest, 'UTF8')::jsonb ->> 'created'`
	}
	return `json_extract(CAST(manifest AS TEXT), '$.created')`
}

// labelFor names generation gen, including the two no pack carries.
func labelFor(packs map[int64]packLabel, gen int64) packLabel {
	if l, ok := packs[gen]; ok {
		if l.Title == "" {
			l.Title = "Gói không có tiêu đề"
		}
		return l
	}
	switch gen {
	case 0:
		return packLabel{Title: "Chưa có"}
	case pack.MinGeneration - 1:
		return packLabel{Generation: gen, Title: "Nội dung có sẵn trong ứng dụng"}
	}
	return packLabel{Generation: gen, Title: "Gói không do máy chủ này phát hành"}
}

// rollbackNote is the note Rollback stores on the generation it makes. The
// stored text stays this English, machine-readable form (hubs of several
// versions may share one database, and the CLI writes it too); the console
// reads it out in Vietnamese (noteText).
const rollbackNote = "rollback to %d"

// noteText is a rollout's note as staff read it.
func noteText(note string) string {
	var to int64
	if n, err := fmt.Sscanf(note, rollbackNote, &to); err == nil && n == 1 && fmt.Sprintf(rollbackNote, to) == note {
		return "Quay lại nội dung thế hệ " + strconv.FormatInt(to, 10)
	}
	return note
}

// packRow is a published generation as the packs page shows it.
type packRow struct {
	Rollout
	Label     packLabel
	Published timeView
	Everyone  bool // this is what every kiosk outside the test group and waves gets now
	Reaches   int  // the kiosks in use its stage reaches (halted or not)
	// Running is how many kiosks in use show residents this generation now
	// (shownGeneration): a replaced or rolled-back pack's scope still
	// reaches the fleet, but no kiosk runs it (outside QA s29, finding 4).
	Running int
	// Unreadable: this release's kiosks cannot read it (an older release
	// published it); no rollback is offered to it (outside QA s23).
	Unreadable bool
	// Superseded: a newer generation goes to every kiosk, so its scope and
	// a halt change nothing; only a rollback to it is offered.
	Superseded bool
}

// packsData is what the packs page shows: the published generations and
// the packs waiting for their offline signature.
type packsData struct {
	Rows    []packRow
	Pending []pendingRow
	Stages  []stageChoice // the stages a form offers, each with the kiosks it reaches
	// Versions warns, while kiosks run another release than the hub's,
	// before anything is published.
	Versions appVersions
	// OfferReplace: a publish was refused for replacing edits approved in
	// the studio; the forms offer to say it is meant.
	OfferReplace bool
	// Refusing: the generation just published (or its scope changed) will be
	// refused by some kiosks in its scope, which pin none of its signers.
	Refusing *refusingView
}

// refusingView is the packs page's warning after a publish that some
// kiosks in scope will refuse (review risk 6).
type refusingView struct {
	Generation int64
	*UnpinnedSignersError
}

// Headline says how many kiosks in scope will refuse the generation.
func (v *refusingView) Headline() string {
	return fmt.Sprintf("%d trong %d kiosk trong phạm vi sẽ từ chối gói thế hệ %d", v.Kiosks, v.Kiosks+v.Accepting, v.Generation)
}

// Why says which keys they pin, which signed it, and names them.
func (v *refusingView) Why() string {
	return fmt.Sprintf("các kiosk đó chỉ ghim khoá %s, không ghim khoá nào đã ký gói (%s); %d kiosk còn lại nhận gói. Kiosk sẽ từ chối: %s.",
		strings.Join(v.Pinned, ", "), strings.Join(v.Signers, ", "), v.Accepting, v.names(", "))
}

// refusingAfter is the warning for the generation a redirect after a
// publish, a signature or a change of scope names (?generation=), counted
// now over its scope: nil when every kiosk there that said its keys takes it.
func (h *Hub) refusingAfter(r *http.Request, rs []Rollout) *refusingView {
	switch r.URL.Query().Get("done") {
	case "published", "signed", "stage":
	default:
		return nil
	}
	gen, err := strconv.ParseInt(r.URL.Query().Get("generation"), 10, 64)
	i := slices.IndexFunc(rs, func(ro Rollout) bool { return ro.Generation == gen })
	if err != nil || i < 0 || rs[i].Halted {
		return nil
	}
	raw, sig, err := h.manifest(r.Context(), gen)
	if err != nil {
		return nil
	}
	e, err := h.Refusers(r.Context(), raw, sig, rs[i].Stage)
	if err != nil || e == nil {
		return nil
	}
	return &refusingView{Generation: gen, UnpinnedSignersError: e}
}

// publishedTo is where a publish, signature or change of scope of gen
// leads: the packs page with its notice, and any kiosks that will refuse it.
func publishedTo(done string, gen int64) string {
	return "/admin/packs?done=" + done + "&generation=" + strconv.FormatInt(gen, 10)
}

// stageChoice is one stage a pack may be sent to, and how many kiosks in
// use it reaches now: a pack sent to an empty test group reached no kiosk,
// and the page said only "published" (outside QA).
type stageChoice struct {
	Value, Name string
	Kiosks      int
}

// stageChoices are the stages from the test group to everyone, counted
// over devs.
func stageChoices(devs []Device) []stageChoice {
	stages := []int{StageTest}
	for w := 1; w <= MaxWave; w++ {
		stages = append(stages, w)
	}
	stages = append(stages, StageEveryone)
	out := make([]stageChoice, len(stages))
	for i, st := range stages {
		out[i] = stageChoice{Value: stageValue(st), Name: stageName(st), Kiosks: reachOf(st, devs)}
	}
	return out
}

// reachOf counts the kiosks in use a stage reaches.
func reachOf(stage int, devs []Device) int {
	r, n := rollout{stage: stage}, 0
	for _, d := range devs {
		if !d.Revoked && r.reaches(d.Wave) {
			n++
		}
	}
	return n
}

// runningCounts counts the kiosks in use by the generation residents see
// there now, as the fleet page says it.
func runningCounts(devs []Device) map[int64]int {
	out := map[int64]int{}
	for _, d := range devs {
		if !d.Revoked {
			out[shownGeneration(d)]++
		}
	}
	return out
}

func (h *Hub) packsPage(w http.ResponseWriter, r *http.Request, s session) {
	h.renderPacks(w, r, s, http.StatusOK, nil)
}

func (h *Hub) renderPacks(w http.ResponseWriter, r *http.Request, s session, status int, formErr error) {
	ctx := r.Context()
	rs, err := h.Rollouts(ctx)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	packs, err := h.packLabels(ctx)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	devs, err := h.Devices(ctx)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	everyone := h.targetFor(sql.NullInt64{})
	running := runningCounts(devs)
	rows := make([]packRow, len(rs))
	for i, ro := range rs {
		rows[i] = packRow{Rollout: ro, Label: labelFor(packs, ro.Generation), Published: h.timeViewOf(ro.PublishedAt),
			Everyone: ro.Generation == everyone, Superseded: ro.Generation < everyone, Reaches: reachOf(ro.Stage, devs),
			Running: running[ro.Generation]}
		// Every hub offers rollbacks here (one whose key is kept offline makes
		// a pack to sign); the check loads each generation's content once.
		if s.Role.may(permManage) {
			rows[i].Unreadable = h.unreadable(ctx, ro.Generation)
		}
	}
	pending, err := h.pendingRows(r, packs)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	versions := h.appVersionsOf(devs)
	versions.Link = "/admin/?state=other_version"
	p := s.page("Gói nội dung", packsData{Rows: rows, Pending: pending, Stages: stageChoices(devs), Versions: versions,
		OfferReplace: errors.As(formErr, new(*StudioEditsError)), Refusing: h.refusingAfter(r, rs)})
	p.Notice, p.Signing = cmp.Or(notice(r), pendingNotices[r.URL.Query().Get("done")]), h.opts.SigningKey != nil
	if formErr != nil {
		p = p.withError(formErr)
	}
	h.render(w, r, status, "packs", p)
}

// maxUpload bounds an uploaded pack file (the pack format's own limit plus room for the tar headers).
const maxUpload = 520 << 20

// packFile is the pack file a console form uploads, bounded by maxUpload;
// on failure the packs page is shown again with missing, and ok is false.
func (h *Hub) packFile(w http.ResponseWriter, r *http.Request, s session, missing string) (multipart.File, bool) {
	r.Body = http.MaxBytesReader(w, r.Body, maxUpload)
	file, _, err := r.FormFile("pack")
	if err != nil {
		h.renderPacks(w, r, s, http.StatusBadRequest, failf(err, missing))
		return nil, false
	}
	return file, true
}

func (h *Hub) uploadPack(w http.ResponseWriter, r *http.Request, s session) {
	file, ok := h.packFile(w, r, s, "Chưa chọn tệp gói (.tspack) hoặc tệp quá lớn.")
	if !ok {
		return
	}
	defer file.Close()
	stage, err := ParseStage(r.PostFormValue("stage"))
	if err != nil {
		h.renderPacks(w, r, s, http.StatusBadRequest, failf(err, "Phạm vi gửi trước không hợp lệ."))
		return
	}
	sm, err := h.Publish(r.Context(), file, PublishOptions{Stage: stage, By: s.User, GenerationAhead: generationAhead(r),
		ReplaceStudioEdits: replaceStudioEdits(r)})
	if err != nil {
		h.renderPacks(w, r, s, http.StatusBadRequest, failf(err, "Không phát hành được gói này: "+refusalText(err)))
		return
	}
	h.audit(r, s.User, "pack_published", sm.Manifest.Title+" (thế hệ "+strconv.FormatInt(sm.Manifest.Generation, 10)+
		", "+stageName(stage)+")")
	http.Redirect(w, r, publishedTo("published", sm.Manifest.Generation), http.StatusSeeOther)
}

func (h *Hub) rolloutAction(w http.ResponseWriter, r *http.Request, s session) {
	gen, err := strconv.ParseInt(r.PathValue("generation"), 10, 64)
	if err != nil {
		h.notFound(w, r)
		return
	}
	ctx := r.Context()
	var done, detail string
	switch r.PostFormValue("action") {
	case "stage":
		var stage int
		if stage, err = ParseStage(r.PostFormValue("stage")); err == nil {
			if h.stageIs(ctx, gen, stage) {
				http.Redirect(w, r, "/admin/packs?done=stage_same", http.StatusSeeOther)
				return
			}
			err, done, detail = h.SetStage(ctx, gen, stage), "stage", stageName(stage)
		}
	case "halt":
		if r.PostFormValue("confirm") != "yes" {
			h.confirmRollout(w, r, s, gen, "halt")
			return
		}
		err, done = h.Halt(ctx, gen), "halted"
	case "rollback":
		if r.PostFormValue("confirm") != "yes" {
			h.confirmRollout(w, r, s, gen, "rollback")
			return
		}
		if h.opts.SigningKey == nil {
			// The key is kept offline: the rollback waits for its signature.
			var p *PendingPack
			if p, err = h.RollbackPending(ctx, gen, PublishOptions{By: s.User}); err == nil {
				h.audit(r, s.User, "rollout_rollback_pending", "thế hệ "+strconv.FormatInt(gen, 10)+" thành thế hệ "+
					strconv.FormatInt(p.Generation, 10)+", chờ ký, manifest.json sha256 "+p.Digest)
				http.Redirect(w, r, "/admin/packs?done=rollback_pending", http.StatusSeeOther)
				return
			}
			err = rollbackRefusal(err, gen)
			break
		}
		var to int64
		to, err = h.Rollback(ctx, gen, h.opts.SigningKey, PublishOptions{Stage: StageEveryone, By: s.User})
		err = rollbackRefusal(err, gen)
		done, detail = "rollback", "thành thế hệ "+strconv.FormatInt(to, 10)
	default:
		err = failf(nil, "Thao tác không hợp lệ.")
	}
	if err != nil {
		if errors.As(err, new(*UnpinnedSignersError)) {
			err = failf(err, "Không đổi được phạm vi: "+refusalText(err))
		}
		if fe := (*formError)(nil); !errors.As(err, &fe) {
			err = failf(err, "Không đổi được việc triển khai thế hệ "+strconv.FormatInt(gen, 10)+".")
		}
		h.renderPacks(w, r, s, http.StatusBadRequest, err)
		return
	}
	h.audit(r, s.User, "rollout_"+done, joinDetail("thế hệ "+strconv.FormatInt(gen, 10), detail))
	http.Redirect(w, r, publishedTo(done, gen), http.StatusSeeOther)
}

// rollbackRefusal says in Vietnamese why a rollback to gen was refused,
// whether signed here or made to wait for its signature.
func rollbackRefusal(err error, gen int64) error {
	switch {
	case errors.Is(err, errWrongKey):
		err = failf(err, "Không quay lại được: khoá ký trên máy chủ không phải khoá tỉnh mà các kiosk tin, nên kiosk sẽ từ chối nội dung này. Khởi động lại máy chủ với đúng tệp khoá riêng của tỉnh (province.key).")
	case errors.Is(err, errOldContent):
		err = failf(err, "Không quay lại được: nội dung của thế hệ "+strconv.FormatInt(gen, 10)+" không mở được theo quy tắc nội dung của phiên bản này "+
			"(có thể nó được làm cho phiên bản trước), nên mọi kiosk phiên bản này sẽ từ chối. Không có gì được phát hành. "+
			"Hãy dựng gói mới từ thư mục nội dung nguồn rồi phát hành. Chi tiết bên dưới ghi tệp và mục bị lỗi.")
	}
	return err
}

// stageIs says whether gen's rollout, not halted, already has stage: "Đổi
// phạm vi" pressed untouched changes nothing, and must not say it did.
func (h *Hub) stageIs(ctx context.Context, gen int64, stage int) bool {
	rs, err := h.Rollouts(ctx)
	if err != nil {
		return false // SetStage then says what is wrong
	}
	i := slices.IndexFunc(rs, func(ro Rollout) bool { return ro.Generation == gen })
	return i >= 0 && rs[i].Stage == stage && !rs[i].Halted
}

// aheadText is the console's word on a generation far past the hub's clock:
// what it would do to the fleet, and the box that says it is meant.
const aheadText = "thế hệ của gói ứng với một ngày sau đồng hồ máy chủ hơn 1 ngày (xem chi tiết), nên kiosk nào nhận gói này sẽ từ chối mọi gói dựng bình thường cho đến ngày đó. " +
	"Kiểm tra đồng hồ của máy dựng gói rồi dựng lại; nếu thế hệ này đúng là cố ý, đánh dấu ô “" + aheadBox + "” rồi gửi lại."

// aheadBox labels the packs page's check box for PublishOptions.GenerationAhead.
const aheadBox = "Thế hệ đi trước đồng hồ là cố ý"

// generationAhead says whether a publish form's operator ticked aheadBox.
func generationAhead(r *http.Request) bool { return r.PostFormValue("generation_ahead") == "yes" }

// replaceStudioEdits: the form says a pack replacing edits approved in the
// studio is meant (offered once a publish was refused for it).
func replaceStudioEdits(r *http.Request) bool {
	return r.PostFormValue("replace_studio_edits") == "yes"
}

// rolloutConfirms are the rollout actions that ask first: each reaches
// kiosks at once and is undone only by another rollout.
var rolloutConfirms = map[string]struct{ template, button, question string }{
	"halt":     {"confirmHalt", "Có, tạm dừng", "Tạm dừng triển khai “%s”?"},
	"rollback": {"confirmRollback", "Có, quay lại nội dung này", "Đưa mọi kiosk về nội dung “%s”?"},
	// A hub whose key is kept offline: the rollback waits for its signature.
	"rollback_pending": {"confirmRollbackPending", "Có, tạo gói quay lại chờ ký", "Tạo gói đưa kiosk về nội dung “%s” (chờ ký)?"},
}

// confirmRollout asks before a rollout is halted or rolled back.
func (h *Hub) confirmRollout(w http.ResponseWriter, r *http.Request, s session, gen int64, action string) {
	ctx := r.Context()
	packs, err := h.packLabels(ctx)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	if _, ok := packs[gen]; !ok {
		h.renderPacks(w, r, s, http.StatusBadRequest, failf(nil, "Không có gói thế hệ "+strconv.FormatInt(gen, 10)+" trên máy chủ này."))
		return
	}
	label, how := labelFor(packs, gen), rolloutConfirms[action]
	if action == "rollback" && h.opts.SigningKey == nil {
		// Asked in other words; the form posts "rollback" all the same.
		how = rolloutConfirms["rollback_pending"]
	}
	c := confirmData{Action: "/admin/packs/" + strconv.FormatInt(gen, 10), Fields: []formField{{"action", action}},
		Button: how.button, Back: link{"/admin/packs", "Không, quay lại"}, What: label}
	if action == "rollback" {
		v, err := h.rollbackPreview(ctx, label, packs)
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		// Beside "Có, quay lại nội dung này", "Không, quay lại" read as the
		// rollback too (outside QA s29, finding 6).
		c.What, c.Back.Label = v, "Không, giữ nguyên"
	}
	h.render(w, r, http.StatusOK, how.template, s.page(fmt.Sprintf(how.question, label.Title), c))
}

// rollbackView is what the rollback confirmation names before kiosks go
// back to a pack (outside QA s29, finding 6): the newer published packs it
// takes off them, and the approved studio changes that will then read "Đã
// bị quay lại".
type rollbackView struct {
	packLabel
	Newer  []packLabel // newest first
	Undoes []Change
}

// rollbackPreview tells, before a rollback to to, what it takes off kiosks.
func (h *Hub) rollbackPreview(ctx context.Context, to packLabel, packs map[int64]packLabel) (*rollbackView, error) {
	v := &rollbackView{packLabel: to}
	rs, err := h.Rollouts(ctx)
	if err != nil {
		return nil, err
	}
	for _, ro := range rs {
		if ro.Generation > to.Generation {
			v.Newer = append(v.Newer, labelFor(packs, ro.Generation))
		}
	}
	if v.Undoes, err = h.rollbackUndoes(ctx, to.Generation); err != nil {
		return nil, err
	}
	return v, nil
}

// rollbackUndoes are the approved changes made by a person whose edit a
// rollback to generation to would take out of the approved content: for
// each file whose approved version differs from the pack's, the change of
// that version and the changes it was made on, down to the version the pack
// has (or one the studio took in from a pack). It judges by whole files, as
// a cheap word before the fact; UndoneBy (studio_rebase.go) judges field by
// field once the rollback is taken in, and may name fewer.
func (h *Hub) rollbackUndoes(ctx context.Context, to int64) ([]Change, error) {
	var used int
	if err := h.DB.QueryRowContext(ctx, `SELECT count(*) FROM content_studio`).Scan(&used); err != nil || used == 0 {
		return nil, err
	}
	if err := h.followPublished(ctx); err != nil {
		return nil, err
	}
	target, err := h.followedFiles(ctx, to)
	if err != nil {
		return nil, err
	}
	approved, err := h.approvedFiles(ctx)
	if err != nil {
		return nil, err
	}
	var out []Change
	seen := map[int64]bool{}
	for _, p := range slices.Sorted(maps.Keys(approved)) {
		if o := approved[p]; o.system || o.sha == target[p] {
			continue
		}
		id, err := approvedVersionOf(ctx, h.DB, p)
		if err != nil {
			return nil, err
		}
		for n := 0; id != 0 && n < maxAlong; n++ {
			v, err := h.GetVersion(ctx, id)
			if err != nil {
				return nil, err
			}
			if v.SHA256 == target[p] {
				break
			}
			c, err := h.GetChange(ctx, v.Change)
			if err != nil {
				return nil, err
			}
			if c.State != StateApproved || c.Author == systemAuthor {
				break
			}
			if !seen[c.ID] {
				seen[c.ID] = true
				out = append(out, *c)
			}
			id = v.Base
		}
	}
	slices.SortFunc(out, func(a, b Change) int { return cmp.Compare(a.ID, b.ID) })
	return out, nil
}

// refusalTexts say in Vietnamese why a pack was refused and what to do; the
// technical detail (English, naming the file or key) stays below it.
var refusalTexts = map[pack.Kind]string{
	pack.KindMissingSignature: "gói chưa được ký. Ký trên máy ký (tramso pack sign), hoặc tải gói chưa ký lên để chờ chữ ký.",
	pack.KindBadSignature:     "chữ ký không khớp với gói: gói đã bị sửa sau khi ký, hoặc tệp bị hỏng khi chép. Dựng và ký lại.",
	pack.KindUnknownKey:       "gói được ký bằng một khoá mà máy chủ không tin. Ký bằng khoá của tỉnh.",
	pack.KindBadManifest:      "tệp không phải gói nội dung hợp lệ (danh sách tệp trong gói bị hỏng).",
	pack.KindUnknownSchema:    "gói được dựng bằng một phiên bản phần mềm mà máy chủ này chưa đọc được.",
	pack.KindBadPath:          "gói có tên tệp không hợp lệ (có thể trỏ ra ngoài thư mục nội dung).",
	pack.KindTooLarge:         "gói hoặc một tệp trong gói quá lớn (mỗi tệp tối đa 50 MiB, cả gói 500 MiB).",
	pack.KindHashMismatch:     "một tệp trong gói không khớp với danh sách đã ký: tệp bị hỏng hoặc bị sửa.",
	pack.KindSizeMismatch:     "một tệp trong gói không khớp với danh sách đã ký: tệp bị hỏng hoặc bị cắt.",
	pack.KindBadPackFile:      "tệp gói bị hỏng hoặc bị cắt khi chép. Chép lại tệp .tspack rồi tải lên.",
	pack.KindMissingFile:      "gói thiếu một tệp có trong danh sách đã ký. Dựng lại gói.",
}

// studioEditsText says which edits approved in the studio a pack would
// replace, and what to do.
func studioEditsText(err error) string {
	var se *StudioEditsError
	errors.As(err, &se)
	return fmt.Sprintf("gói này thay %d sửa đổi đã được duyệt trong xưởng nội dung, nên xưởng và kiosk nào đang hiện chúng sẽ mất chúng: ", len(se.Edits)) +
		se.List(func(e StudioEdit) string {
			s := fmt.Sprintf("%s (thay đổi #%d “%s” của %s, %s duyệt, ", e.Path, e.Change, e.Title, e.Author, e.Reviewer)
			if !e.Shown {
				return s + "chưa phát hành)"
			}
			return s + e.Reach.vietnamese() + ")"
		}, "và %d sửa đổi khác") +
		". Hãy dựng gói từ nội dung đã duyệt (Nội dung → Các thay đổi → “Dựng gói từ nội dung đã duyệt”, " +
		"hoặc “Tải toàn bộ nội dung đã duyệt” làm thư mục nguồn). Nếu đúng là muốn thay, đánh dấu “" + replaceStudioBox + "” rồi gửi lại."
}

// replaceStudioBox labels the box that says replacing studio edits is meant.
const replaceStudioBox = "Thay cả sửa đổi đã duyệt trong xưởng nội dung (cố ý)"

// refusalText says why Publish refused a pack, in words for the console.
func refusalText(err error) string {
	var rej *pack.Rejection
	switch {
	case errors.As(err, new(*pack.AheadError)):
		return aheadText
	case errors.As(err, &rej) && refusalTexts[rej.Kind] != "":
		return refusalTexts[rej.Kind]
	case errors.Is(err, errNotNewer):
		return "thế hệ của gói không mới hơn gói đã phát hành, nên kiosk sẽ từ chối. Dựng lại gói (thế hệ mặc định là lúc dựng)."
	case errors.As(err, new(*StudioEditsError)):
		return studioEditsText(err)
	case errors.As(err, new(*UnpinnedSignersError)):
		return "không kiosk nào trong phạm vi này ghim khóa tỉnh đã ký gói (xem chi tiết), nên mọi kiosk sẽ từ chối. " +
			"Đang đổi khóa tỉnh thì ký gói bằng cả hai khóa (khóa cũ và khóa mới) cho tới khi mọi kiosk đã ghim khóa mới; " +
			"trang Thiết bị cho biết kiosk nào đã ghim khóa nào."
	case errors.Is(err, errBadContent):
		return "nội dung trong gói có lỗi, nên mọi kiosk sẽ từ chối. Chi tiết bên dưới ghi tệp và mục bị lỗi."
	}
	return "chữ ký, nội dung hoặc thế hệ không hợp lệ (xem chi tiết)."
}
