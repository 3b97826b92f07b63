package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"

	"tramso/kiosk/httpjson"
	"tramso/kiosk/strictjson"
	"tramso/kiosk/usage"
)

type sessionAnswer struct {
	Session string `json:"session"`
}

type acceptedAnswer struct {
	Accepted int `json:"accepted"`
}

// sessionStart opens an anonymous usage session: the kiosk draws the id, so
// the UI never makes one up. POST /api/sessions → 201 {"session": "…"}.
func (s *Server) sessionStart(w http.ResponseWriter, r *http.Request) {
	if s.Usage == nil {
		httpjson.Error(w, http.StatusServiceUnavailable, codeUsageOff, "usage log is not running")
		return
	}
	httpjson.Write(w, http.StatusCreated, sessionAnswer{Session: s.Usage.StartSession()})
}

// usageEvents takes one event or an array of up to usage.MaxBatch events,
// checks them against the closed schema and queues them without waiting for
// the database: 202 at once. A bad event refuses the whole batch (400); a
// session that is not open answers 409 so the UI starts a new one.
func (s *Server) usageEvents(w http.ResponseWriter, r *http.Request) {
	var raw json.RawMessage
	if !decodeJSON(w, r, &raw) {
		return
	}
	events, err := decodeEvents(raw)
	if err != nil {
		httpjson.Error(w, http.StatusBadRequest, codeBadEvent, "events: "+err.Error())
		return
	}
	if s.Usage == nil {
		httpjson.Error(w, http.StatusServiceUnavailable, codeUsageOff, "usage log is not running")
		return
	}
	if err := s.Usage.Submit(events); err != nil {
		if errors.Is(err, usage.ErrUnknownSession) {
			httpjson.Error(w, http.StatusConflict, codeUnknownSession, err.Error())
		} else {
			httpjson.Error(w, http.StatusBadRequest, codeBadEvent, err.Error())
		}
		return
	}
	httpjson.Write(w, http.StatusAccepted, acceptedAnswer{Accepted: len(events)})
}

// decodeEvents reads an event object or an array of them, strictly
// (strictjson): an unknown field is an error, so nothing outside the schema
// gets in.
func decodeEvents(raw json.RawMessage) ([]usage.Event, error) {
	if t := bytes.TrimLeft(raw, " \t\r\n"); len(t) > 0 && t[0] == '[' {
		var events []usage.Event
		err := strictjson.Unmarshal(raw, &events)
		return events, err
	}
	var e usage.Event
	if err := strictjson.Unmarshal(raw, &e); err != nil {
		return nil, err
	}
	return []usage.Event{e}, nil
}

// staffUsage answers the staff insights, with the log's health.
func (s *Server) staffUsage(w http.ResponseWriter, r *http.Request) {
	if s.Usage == nil {
		httpjson.Error(w, http.StatusServiceUnavailable, codeUsageOff, "usage log is not running")
		return
	}
	httpjson.Write(w, http.StatusOK, s.Usage.Insights(r.Context()))
}
