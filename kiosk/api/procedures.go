package api

import (
	"log/slog"
	"net/http"
	"os"
	"time"

	"tramso/kiosk/content"
	"tramso/kiosk/httpjson"
	"tramso/kiosk/qr"
)

// officeClock is the kiosk clock, for today's opening hours (tests replace
// it). For the end-to-end tests of the office card on a chosen day,
// TRAMSO_TEST_OFFICE_CLOCK (RFC 3339: "2026-12-11T17:46:00+07:00") starts it
// at that moment when the server starts; it moves nothing else (the closed
// notice, updates and logs keep the real clock). Unset, or unreadable, the
// real clock is used.
var officeClock = testClock(os.Getenv(OfficeClockEnv), time.Now)

// OfficeClockEnv sets officeClock's starting moment, for tests only.
const OfficeClockEnv = "TRAMSO_TEST_OFFICE_CLOCK"

// testClock is real, or when start is an RFC 3339 time, a clock that started
// there when the server did.
func testClock(start string, real func() time.Time) func() time.Time {
	if start == "" {
		return real
	}
	at, err := time.Parse(time.RFC3339, start)
	if err != nil {
		slog.Error(OfficeClockEnv+" is not a time like 2026-12-11T17:46:00+07:00: the office card keeps the real clock", "value", start)
		return real
	}
	// Left set on a kiosk by mistake, it must show in the journal.
	slog.Warn(OfficeClockEnv + " is set, for tests only: the office card's clock starts at " + start)
	began := real()
	return func() time.Time { return at.Add(real().Sub(began)) }
}

// checklistQRSize is larger than qr.Size: the checklist is the densest code
// the kiosk draws, and its modules must stay large enough for an old camera.
const checklistQRSize = 480

// here is this kiosk as a procedure's view needs it: the commune's offices, now.
func (s *Server) here() content.Here {
	return content.Here{Offices: s.Config.Commune.Offices, Now: officeClock()}
}

// procedures lists the procedures with the life events and fields that group
// them: the three ways into the assistant (content.ProcedureListView).
func (s *Server) procedures(w http.ResponseWriter, r *http.Request) {
	lang, ok := queryLang(w, r)
	if !ok {
		return
	}
	httpjson.Write(w, http.StatusOK, s.Content.Get().Pack.ProcedureList(lang))
}

// procedure answers one procedure's record, in ?lang=, with its office
// resolved against this commune (content.ProcedureView).
func (s *Server) procedure(w http.ResponseWriter, r *http.Request) {
	lang, ok := queryLang(w, r)
	if !ok {
		return
	}
	code := r.PathValue("code")
	v, found := s.Content.Get().Pack.ProcedureView(code, lang, s.here())
	if !found {
		httpjson.Error(w, http.StatusNotFound, codeNoProcedure, "no such procedure: "+code)
		return
	}
	httpjson.Write(w, http.StatusOK, v)
}

// flowByID answers a flow (a procedure's or a life event's) for the screens
// to ask one question at a time; the answers go back to procedureResult.
func (s *Server) flowByID(w http.ResponseWriter, r *http.Request) {
	lang, ok := queryLang(w, r)
	if !ok {
		return
	}
	id := r.PathValue("id")
	v, found := s.Content.Get().Pack.FlowView(id, lang)
	if !found {
		httpjson.Error(w, http.StatusNotFound, codeNoFlow, "no such flow: "+id)
		return
	}
	httpjson.Write(w, http.StatusOK, v)
}

type resultRequest struct {
	Answers map[string]string `json:"answers"`
	// Channel is the way of filing chosen before the questions (a life
	// event's "Đến xã"); "" when none was.
	Channel string `json:"channel,omitempty"`
}

// procedureResult tailors a procedure to the answers given
// (content.ResultView, which fails closed), with its QR codes drawn.
func (s *Server) procedureResult(w http.ResponseWriter, r *http.Request) {
	lang, ok := queryLang(w, r)
	if !ok {
		return
	}
	pack := s.Content.Get().Pack
	code := r.PathValue("code")
	p := pack.Procedure(code)
	if p == nil {
		httpjson.Error(w, http.StatusNotFound, codeNoProcedure, "no such procedure: "+code)
		return
	}
	var req resultRequest
	if !decodeJSON(w, r, &req) {
		return
	}
	v, err := pack.ResultView(p, req.Answers, req.Channel, lang, s.here())
	if err != nil {
		httpjson.Error(w, http.StatusInternalServerError, codeInternal, err.Error())
		return
	}
	v.PortalQR, _ = qr.DataURL(v.PortalURL, qr.Size)
	if v.Checklist != "" {
		v.ChecklistQR, _ = qr.DataURL(v.Checklist, checklistQRSize)
	}
	httpjson.Write(w, http.StatusOK, v)
}
