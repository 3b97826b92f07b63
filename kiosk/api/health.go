package api

import (
	"net/http"

	"tramso/kiosk/httpjson"
	"tramso/kiosk/lang"
	"tramso/kiosk/speech"
)

type healthContent struct {
	Version int64  `json:"version"`
	Source  string `json:"source"`
}

type healthAnswer struct {
	Status     string        `json:"status"`
	AppVersion string        `json:"app_version"`
	Content    healthContent `json:"content"`
}

// health answers whether the kiosk is up and which content it serves.
func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	cur := s.Content.Get()
	httpjson.Write(w, http.StatusOK, healthAnswer{
		Status:     "ok",
		AppVersion: s.Version,
		Content:    healthContent{Version: cur.Pack.Meta.Generation, Source: cur.Source},
	})
}

type kioskAnswer struct {
	Commune   string   `json:"commune"`
	Languages []string `json:"languages"`
	// OfferUntranslated are languages offered although their screens are not
	// translated yet (config offer_untranslated); the chooser labels them.
	OfferUntranslated []string `json:"offer_untranslated"`
	OfferThreshold    int      `json:"offer_threshold"` // percent of screen lines (config offer_threshold)
	IdleSeconds       int      `json:"idle_seconds"`
	WarningSeconds    int      `json:"warning_seconds"`
	StaffSeconds      int      `json:"staff_seconds"`
	Window            bool     `json:"window"` // desktop window actions exist
	Tutorials         int      `json:"tutorials"`
	Procedures        int      `json:"procedures"`
	ContentTitle      string   `json:"content_title"`
	Timezone          string   `json:"timezone"` // the kiosk's zone (schedule.timezone): staff see times in it
	Voices            []string `json:"voices"`   // languages the kiosk's own voice speaks (GET /api/speech); [] when off
	// Recorded lists the languages in which the content pack has recordings
	// of screen lines (media/speech/<lang>/): GET /api/speech plays those
	// even without a voice for the language (Ê Đê, M'nông) or with speech off.
	Recorded []string `json:"recorded"`
	// AttractVoiceMinutes is the least time between two spoken invitations on
	// the attract screen, recordings only (config attract_voice_minutes); 0: never.
	AttractVoiceMinutes int `json:"attract_voice_minutes"`
	// SoundOff: the kiosk runs silent (its page froze on the sound device, or
	// staff turned sound off); the page plays nothing and says so.
	SoundOff bool `json:"sound_off"`
}

// kioskInfo tells the UI how this kiosk is set up: what it needs at start.
func (s *Server) kioskInfo(w http.ResponseWriter, r *http.Request) {
	cur := s.Content.Get()
	httpjson.Write(w, http.StatusOK, kioskAnswer{
		Commune:             s.Config.Commune.Name,
		Languages:           s.Config.Languages,
		OfferUntranslated:   append([]string{}, s.Config.OfferUntranslated...),
		OfferThreshold:      s.Config.OfferThreshold,
		IdleSeconds:         s.Config.Idle.QuietSeconds,
		WarningSeconds:      s.Config.Idle.WarningSeconds,
		StaffSeconds:        s.Config.Idle.StaffSeconds,
		Window:              s.Window != nil,
		Tutorials:           len(cur.Pack.Tutorials),
		Procedures:          len(cur.Pack.Procedures),
		ContentTitle:        cur.Pack.Meta.Title,
		Timezone:            s.Config.Schedule.Timezone,
		Voices:              s.Speech.Voices(),
		Recorded:            speech.RecordedLanguages(cur.Pack.Files, lang.Known),
		AttractVoiceMinutes: s.Config.AttractVoice(),
		SoundOff:            s.soundOff(),
	})
}
