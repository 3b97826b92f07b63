package api

import (
	"errors"
	"net/http"
	"time"

	"tramso/kiosk/hours"
	"tramso/kiosk/httpjson"
	"tramso/kiosk/qr"
	"tramso/kiosk/resume"
)

// tutorials lists the lessons for the catalogue, in module order
// (content.CatalogueView).
func (s *Server) tutorials(w http.ResponseWriter, r *http.Request) {
	lang, ok := queryLang(w, r)
	if !ok {
		return
	}
	httpjson.Write(w, http.StatusOK, s.Content.Get().Pack.Catalogue(lang))
}

// tutorial answers one lesson, everything the player needs (content.LessonView).
func (s *Server) tutorial(w http.ResponseWriter, r *http.Request) {
	lang, ok := queryLang(w, r)
	if !ok {
		return
	}
	id := r.PathValue("id")
	lesson, found := s.Content.Get().Pack.Lesson(id, lang)
	if !found {
		httpjson.Error(w, http.StatusNotFound, codeNoLesson, "no such lesson: "+id)
		return
	}
	httpjson.Write(w, http.StatusOK, lesson)
}

type summaryRequest struct {
	Lessons []string `json:"lessons"`
	Lang    string   `json:"lang"`
}

type qrAnswer struct {
	Text string `json:"text"`
	QR   string `json:"qr"` // data: URL of a PNG
}

// tutorialSummary makes the take-home summary of lessons finished today.
func (s *Server) tutorialSummary(w http.ResponseWriter, r *http.Request) {
	var req summaryRequest
	if !decodeJSON(w, r, &req) {
		return
	}
	lang, ok := bodyLang(w, req.Lang)
	if !ok {
		return
	}
	text, err := s.Content.Get().Pack.TutorialSummary(req.Lessons, lang, time.Now().In(hours.Vietnam))
	if err != nil {
		httpjson.Error(w, http.StatusBadRequest, codeBadLessons, err.Error())
		return
	}
	png, err := qr.DataURL(text, qr.Size)
	if err != nil {
		httpjson.Error(w, http.StatusInternalServerError, codeInternal, err.Error())
		return
	}
	httpjson.Write(w, http.StatusOK, qrAnswer{Text: text, QR: png})
}

type resumeRequest struct {
	Tutorial string `json:"tutorial"`
	Step     int    `json:"step"`
	Lang     string `json:"lang"`
}

type resumeAnswer struct {
	Code    string `json:"code"`    // 8 characters, as typed
	Display string `json:"display"` // grouped for reading aloud: ABCD-EFGH
	Expires string `json:"expires"` // last day it works, YYYY-MM-DD (Vietnam)
	Text    string `json:"text"`    // what the QR code says
	QR      string `json:"qr"`      // data: URL of a PNG
}

// resumeCreate makes a "Tiếp tục sau" code for a lesson and step.
func (s *Server) resumeCreate(w http.ResponseWriter, r *http.Request) {
	var req resumeRequest
	if !decodeJSON(w, r, &req) {
		return
	}
	lang, ok := bodyLang(w, req.Lang)
	if !ok {
		return
	}
	pack := s.Content.Get().Pack
	t, idx, ok := pack.Tutorial(req.Tutorial)
	if !ok {
		httpjson.Error(w, http.StatusNotFound, codeNoLesson, "no such lesson: "+req.Tutorial)
		return
	}
	if req.Step < 1 || req.Step > len(t.Steps) {
		httpjson.Error(w, http.StatusBadRequest, codeBadStep, "step must be from 1 to the lesson's step count")
		return
	}
	now := time.Now()
	code, err := resume.Encode(resume.Point{Lesson: idx, Step: req.Step}, pack.Meta.Generation, resume.Day(now))
	if err != nil {
		httpjson.Error(w, http.StatusInternalServerError, codeInternal, err.Error())
		return
	}
	last := resume.LastDay(now)
	text := pack.ResumeText(t, lang, resume.Format(code), last)
	png, err := qr.DataURL(text, qr.Size)
	if err != nil {
		httpjson.Error(w, http.StatusInternalServerError, codeInternal, err.Error())
		return
	}
	httpjson.Write(w, http.StatusOK, resumeAnswer{Code: code, Display: resume.Format(code),
		Expires: last.Format("2006-01-02"), Text: text, QR: png})
}

type resumeFound struct {
	Tutorial string `json:"tutorial"`
	Step     int    `json:"step"`
}

// resumeLookup turns a typed code back into a lesson and step.
func (s *Server) resumeLookup(w http.ResponseWriter, r *http.Request) {
	pack := s.Content.Get().Pack
	p, err := resume.Decode(r.PathValue("code"), pack.Meta.Generation, resume.Day(time.Now()))
	switch {
	case errors.Is(err, resume.ErrMalformed):
		httpjson.Error(w, http.StatusBadRequest, codeResumeMalformed, err.Error())
		return
	case errors.Is(err, resume.ErrTypo):
		httpjson.Error(w, http.StatusNotFound, codeResumeTypo, err.Error())
		return
	case errors.Is(err, resume.ErrExpired):
		httpjson.Error(w, http.StatusGone, codeResumeExpired, err.Error())
		return
	case errors.Is(err, resume.ErrOtherVersion):
		httpjson.Error(w, http.StatusGone, codeResumeOtherVersion, err.Error())
		return
	case err != nil:
		httpjson.Error(w, http.StatusBadRequest, codeResumeMalformed, err.Error())
		return
	}
	if p.Lesson >= len(pack.Tutorials) || p.Step > len(pack.Tutorials[p.Lesson].Steps) {
		httpjson.Error(w, http.StatusNotFound, codeResumeUnknown, "no lesson matches this code")
		return
	}
	httpjson.Write(w, http.StatusOK, resumeFound{Tutorial: pack.Tutorials[p.Lesson].ID, Step: p.Step})
}
