package api

import (
	"io/fs"
	"net/http"
	"sync"

	"tramso/kiosk/content"
	"tramso/kiosk/httpjson"
	"tramso/kiosk/lang"
	"tramso/kiosk/speech"
	"tramso/kiosk/translate"
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
	Languages []string `json:"languages"` // configured (config languages)
	// Offered are the configured languages residents are offered, in the
	// config's order, Vietnamese first (translate.Offers decides): the
	// chooser and the attract screen show these and no other.
	Offered []string `json:"offered"`
	// PartlyTranslated are offered languages with fewer screen lines
	// translated than offer_threshold, shown because offer_untranslated
	// names them: the chooser labels them "chưa dịch đủ".
	PartlyTranslated []string `json:"partly_translated"`
	// NotOffered are configured languages residents are not offered, with
	// how far their screens are translated: staff are told.
	NotOffered     []languageShare `json:"not_offered"`
	OfferThreshold int             `json:"offer_threshold"` // percent of screen lines (config offer_threshold)
	IdleSeconds    int             `json:"idle_seconds"`
	WarningSeconds int             `json:"warning_seconds"`
	StaffSeconds   int             `json:"staff_seconds"`
	Window         bool            `json:"window"` // desktop window actions exist
	Tutorials      int             `json:"tutorials"`
	Procedures     int             `json:"procedures"`
	ContentTitle   string          `json:"content_title"`
	Timezone       string          `json:"timezone"` // the kiosk's zone (schedule.timezone): staff see times in it
	Voices         []string        `json:"voices"`   // languages the kiosk's own voice speaks (GET /api/speech); [] when off
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
	offers := s.offersFor(cur)
	httpjson.Write(w, http.StatusOK, kioskAnswer{
		Commune:             s.Config.Commune.Name,
		Languages:           s.Config.Languages,
		Offered:             offers.offered,
		PartlyTranslated:    offers.partly,
		NotOffered:          offers.notOffered,
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

// languageShare is a configured language and the share of its screen lines
// translated, in percent rounded down.
type languageShare struct {
	Lang    string `json:"lang"`
	Percent int    `json:"percent"`
}

// offered is translate.Offers for the page.
type offered struct {
	offered, partly []string
	notOffered      []languageShare
}

// offerCache keeps the languages offered with the content they were counted
// on: a content update can bring a language's screen lines (the pack's
// catalogues), so they are counted again once per content, not per request.
type offerCache struct {
	mu  sync.Mutex
	on  *content.Loaded
	val offered
}

// offersFor is the languages offered with the content cur.
func (s *Server) offersFor(cur *content.Loaded) offered {
	s.offer.mu.Lock()
	defer s.offer.mu.Unlock()
	if s.offer.on != cur {
		s.offer.on, s.offer.val = cur, s.countOffers(cur)
	}
	return s.offer.val
}

func (s *Server) countOffers(cur *content.Loaded) offered {
	out := offered{offered: []string{}, partly: []string{}, notOffered: []languageShare{}}
	var files fs.FS
	if cur.Pack != nil {
		files = cur.Pack.Files
	}
	offers, err := translate.Offers(s.Config, s.Screens, files)
	if err != nil {
		// The hub's preview has no screens of its own: no need to say so.
		if s.Screens != nil {
			s.Log.Error("cannot tell how far each language is translated: only Vietnamese and offer_untranslated are offered", "err", err)
		}
		offers = translate.OffersUnmeasured(s.Config)
	}
	for _, o := range offers {
		switch {
		case !o.Offered && o.Why == translate.Unmeasured:
			// Not offered, and no share to claim.
		case !o.Offered:
			out.notOffered = append(out.notOffered, languageShare{Lang: o.Lang, Percent: o.Percent()})
		case o.Partly():
			out.offered, out.partly = append(out.offered, o.Lang), append(out.partly, o.Lang)
		default:
			out.offered = append(out.offered, o.Lang)
		}
	}
	return out
}
