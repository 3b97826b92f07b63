package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"

	"tramso/kiosk/usage"
)

// sessionStart opens an anonymous usage session: the kiosk draws the id, so
// the UI never makes one up. POST /api/sessions → 201 {"session": "…"}.
func (s *Server) sessionStart(w http.ResponseWriter, r *http.Request) {
	if s.Usage == nil {
		writeError(w, http.StatusServiceUnavailable, "usage log is not running")
		return
	}
	writeJSON(w, http.StatusCreated, map[string]string{"session": s.Usage.StartSession()})
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
		writeError(w, http.StatusBadRequest, "events: "+err.Error())
		return
	}
	if s.Usage == nil {
		writeError(w, http.StatusServiceUnavailable, "usage log is not running")
		return
	}
	if err := s.Usage.Submit(events); err != nil {
		status := http.StatusBadRequest
		if errors.Is(err, usage.ErrUnknownSession) {
			status = http.StatusConflict
		}
		writeError(w, status, err.Error())
		return
	}
	writeJSON(w, http.StatusAccepted, map[string]int{"accepted": len(events)})
}

// decodeEvents reads an event object or an array of them, strictly: an
// unknown field is an error, so nothing outside the schema gets in.
func decodeEvents(raw json.RawMessage) ([]usage.Event, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if t := bytes.TrimLeft(raw, " \t\r\n"); len(t) > 0 && t[0] == '[' {
		var events []usage.Event
		if err := dec.Decode(&events); err != nil {
			return nil, err
		}
		return events, nil
	}
	var e usage.Event
	if err := dec.Decode(&e); err != nil {
		return nil, err
	}
	return []usage.Event{e}, nil
}

// staffUsage answers the staff insights, with the log's health.
func (s *Server) staffUsage(w http.ResponseWriter, r *http.Request) {
	if s.Usage == nil {
		writeError(w, http.StatusServiceUnavailable, "usage log is not running")
		return
	}
	writeJSON(w, http.StatusOK, s.Usage.Insights(r.Context()))
}
