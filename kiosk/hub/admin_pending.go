package hub

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"tramso/kiosk/content"
	"tramso/kiosk/pack"
)

// The console's half of publishing with the key offline (pending.go): the
// packs page lists the packs waiting for a signature, each with its
// manifest.json to download, the command to run on the offline machine and
// a form for the manifest.sig it writes.

// signCommand is what the signer runs on the offline machine.
const signCommand = "tramso pack sign --key province.key manifest.json"

// pendingNotices are the packs page's own ?done=… messages (see notices).
var pendingNotices = map[string]string{
	"unsigned":  "Đã nhận gói chưa ký. Tải manifest.json về máy ký, ký rồi gửi lại tệp manifest.sig.",
	"signed":    "Chữ ký hợp lệ: đã phát hành gói nội dung.",
	"discarded": "Đã bỏ gói chờ ký.",
	"rollback_pending": "Đã tạo gói quay lại nội dung cũ, chờ ký: máy chủ không giữ khoá ký. Tải manifest.json của gói này về máy ký, ký rồi gửi lại tệp manifest.sig; " +
		"kiosk chỉ nhận nội dung cũ sau khi chữ ký hợp lệ.",
}

// pendingRow is a pending pack as the packs page shows it.
type pendingRow struct {
	PendingPack
	Uploaded timeView
	Command  string
	// Overtaken: a pack at or above its generation was published since (a
	// rollback, another upload), so kiosks would refuse it: it says so before
	// anyone carries its manifest to the signing machine.
	Overtaken int64
	// From and To name a rollback's generations (PendingPack.RollbackFrom,
	// RollbackTo): what kiosks had when it was made, and what it brings back.
	From, To packLabel
	// Doubts are the pack's fees that look like a slip against the pack
	// every kiosk has now (the review's "gấp 10 lần…" warnings, outside QA
	// s27 finding 7): said again to whoever signs and publishes it.
	Doubts []string
}

func (h *Hub) pendingRows(r *http.Request, packs map[int64]packLabel) ([]pendingRow, error) {
	ps, err := h.PendingPacks(r.Context())
	if err != nil {
		return nil, err
	}
	highest, err := highestGeneration(r.Context(), h.DB)
	if err != nil {
		return nil, err
	}
	rows := make([]pendingRow, len(ps))
	for i, p := range ps {
		rows[i] = pendingRow{PendingPack: p, Uploaded: h.timeViewOf(p.UploadedAt), Command: signCommand}
		if p.Generation <= highest {
			rows[i].Overtaken = highest
		}
		if p.RollbackTo != 0 {
			rows[i].From, rows[i].To = labelFor(packs, p.RollbackFrom), labelFor(packs, p.RollbackTo)
		}
		if rows[i].Doubts, err = h.pendingDoubts(r.Context(), p.Generation); err != nil {
			return nil, err
		}
	}
	return rows, nil
}

// pendingDoubts lists, in the review's words, each fee of pending pack gen
// that looks like a slip (studio.FeeDoubts: ten times the amount, or above
// what a commune charges) against the pack every kiosk gets now (the
// starter when none): "Chứng thực chữ ký — Lệ phí: 10.000 đ → 100.000 đ
// (cần xem lại: gấp 10 lần …)".
func (h *Hub) pendingDoubts(ctx context.Context, gen int64) ([]string, error) {
	raw, err := h.PendingManifest(ctx, gen)
	if err != nil {
		return nil, err
	}
	m, err := pack.ParseManifest(raw)
	if err != nil {
		return nil, nil // not content: nothing to doubt
	}
	shown := h.targetFor(sql.NullInt64{})
	if shown == 0 {
		if shown, err = highestGeneration(ctx, h.DB); err != nil {
			return nil, err
		}
	}
	if shown < pack.MinGeneration {
		shown = 0 // the starter
	}
	before, err := h.followedFiles(ctx, shown)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, f := range m.Files {
		if kindOf(f.Path) != kindProcedure || before[f.Path] == f.SHA256 {
			continue
		}
		old, err := h.blobBytes(ctx, before[f.Path])
		if err != nil {
			return nil, err
		}
		now, err := h.blobBytes(ctx, f.SHA256)
		if err != nil {
			return nil, err
		}
		changes, _ := diffFile(f.Path, old, now)
		name := f.Path
		var pr content.Procedure
		if decodeStrict(now, &pr) == nil {
			name = cmp.Or(pr.PlainName.Vi(), pr.Name, f.Path)
		}
		for _, c := range changes {
			if c.Doubt != "" && strings.HasPrefix(c.Key, "fees[") { // a fee's, not "bản tiếng Anh chưa sửa theo"
				out = append(out, name+" — "+c.String())
			}
		}
	}
	return out, nil
}

// uploadUnsigned takes a pack built without the key and keeps it waiting
// for its signature.
func (h *Hub) uploadUnsigned(w http.ResponseWriter, r *http.Request, s session) {
	file, ok := h.packFile(w, r, s, "Chưa chọn tệp gói chưa ký (.tspack) hoặc tệp quá lớn.")
	if !ok {
		return
	}
	defer file.Close()
	p, err := h.StorePending(r.Context(), file, s.User, generationAhead(r))
	if err != nil {
		msg := "Không nhận được gói chưa ký này: tệp, nội dung hoặc thế hệ không hợp lệ (xem chi tiết)."
		switch {
		case errors.Is(err, errAlreadySigned):
			msg = "Gói này đã có chữ ký: hãy gửi nó ở ô “Tệp gói nội dung (.tspack, đã ký)” phía trên."
		case errors.As(err, new(*pack.AheadError)):
			msg = "Không nhận được gói chưa ký này: " + aheadText
		}
		h.audit(r, s.User, "pack_unsigned_refused", err.Error())
		h.renderPacks(w, r, s, http.StatusBadRequest, failf(err, msg))
		return
	}
	h.audit(r, s.User, "pack_unsigned_uploaded", pendingDetail(p.Title, p.Generation)+", manifest.json sha256 "+p.Digest)
	http.Redirect(w, r, "/admin/packs?done=unsigned", http.StatusSeeOther)
}

func pendingDetail(title string, gen int64) string {
	return title + " (thế hệ " + strconv.FormatInt(gen, 10) + ")"
}

// pendingManifest serves a pending pack's manifest.json, byte for byte what
// is to be signed.
func (h *Hub) pendingManifest(w http.ResponseWriter, r *http.Request, s session) {
	gen, err := strconv.ParseInt(r.PathValue("generation"), 10, 64)
	if err != nil {
		h.notFound(w, r)
		return
	}
	raw, err := h.PendingManifest(r.Context(), gen)
	if errors.Is(err, ErrNoPending) {
		h.notFound(w, r)
		return
	}
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	h.audit(r, s.User, "pack_manifest_downloaded", "thế hệ "+strconv.FormatInt(gen, 10)+", sha256 "+pack.Digest(raw))
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Disposition", `attachment; filename="manifest.json"`)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Length", strconv.Itoa(len(raw)))
	_, _ = w.Write(raw)
}

// pendingAction signs (attaches the uploaded manifest.sig and publishes) or
// discards a pending pack.
func (h *Hub) pendingAction(w http.ResponseWriter, r *http.Request, s session) {
	gen, err := strconv.ParseInt(r.PathValue("generation"), 10, 64)
	if err != nil {
		h.notFound(w, r)
		return
	}
	switch r.PostFormValue("action") {
	case "sign":
		h.signPending(w, r, s, gen)
	case "sign-here":
		h.signPendingHere(w, r, s, gen)
	case "discard":
		if err := h.DiscardPending(r.Context(), gen); err != nil {
			h.renderPacks(w, r, s, http.StatusBadRequest, failf(err, "Không có gói chờ ký thế hệ "+strconv.FormatInt(gen, 10)+"."))
			return
		}
		h.audit(r, s.User, "pack_pending_discarded", "thế hệ "+strconv.FormatInt(gen, 10))
		http.Redirect(w, r, "/admin/packs?done=discarded", http.StatusSeeOther)
	default:
		h.renderPacks(w, r, s, http.StatusBadRequest, failf(nil, "Thao tác không hợp lệ."))
	}
}

func (h *Hub) signPending(w http.ResponseWriter, r *http.Request, s session, gen int64) {
	fail := func(err error, msg string) {
		h.audit(r, s.User, "pack_signature_refused", "thế hệ "+strconv.FormatInt(gen, 10)+": "+err.Error())
		h.renderPacks(w, r, s, http.StatusBadRequest, failf(err, msg+" Chưa phát hành gì; gói vẫn chờ ký."))
	}
	stage, err := ParseStage(r.PostFormValue("stage"))
	if err != nil {
		fail(err, "Phạm vi gửi trước không hợp lệ.")
		return
	}
	file, _, err := r.FormFile("sig")
	if err != nil {
		fail(err, "Chưa chọn tệp chữ ký (manifest.sig) hoặc tệp quá lớn.")
		return
	}
	defer file.Close()
	sig, err := io.ReadAll(io.LimitReader(file, pack.MaxSignaturesSize+1))
	if err != nil {
		fail(err, "Không đọc được tệp chữ ký.")
		return
	}
	sm, err := h.PublishPending(r.Context(), gen, sig, PublishOptions{Stage: stage, By: s.User, ReplaceStudioEdits: replaceStudioEdits(r)})
	if err != nil {
		fail(err, signatureProblem(err, sig))
		return
	}
	h.audit(r, s.User, "pack_published", sm.Manifest.Title+" (thế hệ "+strconv.FormatInt(gen, 10)+
		", "+stageName(stage)+", ký ngoài máy chủ bằng khoá "+sm.KeyID+")")
	http.Redirect(w, r, publishedTo("signed", gen), http.StatusSeeOther)
}

// signPendingHere signs a pending pack with the key the hub holds (--key):
// possible, for a province that accepts the key on its server, but never
// the default: the page offers it below the offline signature.
func (h *Hub) signPendingHere(w http.ResponseWriter, r *http.Request, s session, gen int64) {
	stage, err := ParseStage(r.PostFormValue("stage"))
	if err != nil || h.opts.SigningKey == nil {
		h.renderPacks(w, r, s, http.StatusBadRequest, failf(err, "Máy chủ này không giữ khoá ký, hoặc phạm vi gửi trước không hợp lệ."))
		return
	}
	if stage >= StageEveryone && r.PostFormValue("confirm") != "yes" {
		h.confirmSignHere(w, r, s, gen)
		return
	}
	raw, err := h.PendingManifest(r.Context(), gen)
	var signed *pack.Signed
	if err == nil {
		signed, err = pack.SignManifest(raw, h.opts.SigningKey)
	}
	if err == nil {
		signed, err = h.PublishPending(r.Context(), gen, signed.Sig, PublishOptions{Stage: stage, By: s.User, ReplaceStudioEdits: replaceStudioEdits(r)})
	}
	if err != nil {
		h.renderPacks(w, r, s, http.StatusBadRequest, failf(err, signatureProblem(err, nil)+" Chưa phát hành gì."))
		return
	}
	h.audit(r, s.User, "pack_published", signed.Manifest.Title+" (thế hệ "+strconv.FormatInt(gen, 10)+
		", "+stageName(stage)+", ký trên máy chủ bằng khoá "+signed.KeyID+")")
	http.Redirect(w, r, publishedTo("signed", gen), http.StatusSeeOther)
}

// confirmSignHere asks before a pack signed here goes to every kiosk at
// once, as a rollback or a halt asks: no test group sees it first, and
// nothing on this page undoes it.
func (h *Hub) confirmSignHere(w http.ResponseWriter, r *http.Request, s session, gen int64) {
	p, err := h.PendingPackOf(r.Context(), gen)
	if errors.Is(err, ErrNoPending) {
		h.renderPacks(w, r, s, http.StatusBadRequest, failf(err, signatureProblem(err, nil)))
		return
	} else if err != nil {
		h.serverError(w, r, err)
		return
	}
	doubts, err := h.pendingDoubts(r.Context(), gen)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	c := confirmData{Action: "/admin/packs/pending/" + strconv.FormatInt(gen, 10),
		Fields: []formField{{"action", "sign-here"}, {"stage", "everyone"}}, Button: "Có, ký và gửi cho tất cả",
		Back: link{"/admin/packs", "Không, quay lại"}, What: pendingRow{PendingPack: p, Doubts: doubts}}
	h.render(w, r, http.StatusOK, "confirmSignHere", s.page("Ký và gửi “"+p.Title+"” cho tất cả kiosk?", c))
}

// signatureProblem says in Vietnamese why a signature was refused.
func signatureProblem(err error, sig []byte) string {
	if errors.Is(err, ErrNoPending) {
		return "Không có gói chờ ký thế hệ này (có thể đã được phát hành hoặc bỏ đi)."
	}
	if errors.As(err, new(*StudioEditsError)) {
		return "Không phát hành: " + studioEditsText(err)
	}
	if sig != nil && !json.Valid(sig) {
		return "Tệp chữ ký bị hỏng hoặc không đầy đủ: hãy chép lại tệp manifest.sig từ máy ký."
	}
	if looksLikeManifest(sig) {
		return "Tệp đã chọn là manifest.json, không phải chữ ký. Hãy chọn tệp manifest.sig mà lệnh tramso pack sign tạo ra cạnh nó trên máy ký."
	}
	rej, ok := pack.AsRejection(err)
	switch {
	case ok && rej.Kind == pack.KindUnknownKey:
		return "Chữ ký không phải của khoá tỉnh mà máy chủ này tin cậy. Hãy ký bằng đúng khoá tỉnh (province.key) trên máy ký."
	case ok && rej.Kind == pack.KindBadSignature:
		return "Chữ ký không khớp với gói đang chờ này: có thể đã ký một tệp manifest.json khác. Hãy tải lại manifest.json của gói này, ký lại rồi gửi."
	case ok && rej.Kind == pack.KindMissingSignature:
		return "Tệp chữ ký không có chữ ký nào: hãy chép lại tệp manifest.sig từ máy ký."
	}
	return "Không phát hành được gói sau khi ghép chữ ký (xem chi tiết)."
}

// looksLikeManifest says whether an uploaded "signature" is a manifest: the
// file beside manifest.sig on the signing machine, and the easy slip.
func looksLikeManifest(sig []byte) bool {
	var m struct {
		Generation *int64           `json:"generation"`
		Files      *json.RawMessage `json:"files"`
	}
	return sig != nil && json.Unmarshal(sig, &m) == nil && m.Generation != nil && m.Files != nil
}
