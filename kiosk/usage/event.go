// Package usage is the kiosk's anonymous usage log: the closed schema of events
// the UI and the server may report, a queue that never makes the UI wait, a
// writer that stores events in batches, the daily roll-ups that outlive the raw
// events, the staff insights and the export the province collects.
//
// Anonymous by construction: every event type has a fixed set of fields, each
// checked against a closed list (content ids, screen names, languages, small
// step numbers); there is no field that could carry free text, no device or
// network identifier; session ids are random numbers the kiosk issues itself
// and never reuses; times are stored to the minute.
package usage

import (
	"fmt"
	"slices"
	"strings"

	"tramso/kiosk/store"
)

// Event is one event as the UI sends it to POST /api/events. Which fields an
// event may carry depends on its type (see schemas); empty means absent.
type Event struct {
	Type      string `json:"type"`
	Session   string `json:"session"`
	Screen    string `json:"screen,omitempty"`
	Tutorial  string `json:"tutorial,omitempty"`
	Procedure string `json:"procedure,omitempty"`
	Step      int    `json:"step,omitempty"`
	Outcome   string `json:"outcome,omitempty"` // search: results | none
	Language  string `json:"language,omitempty"`
}

// Event types. session_started is issued by the server (StartSession), the
// others come from the UI; session_ended may come from either. A lesson's
// check questions have their own events, step being the question's number:
// check_viewed (a question came on screen), check_wrong (a wrong answer),
// check_passed, and check_abandoned, which a resident who leaves during the
// questions reports instead of tutorial_abandoned (whose step is a lesson
// step), so the staff funnel shows where in the questions they stopped.
const (
	SessionStarted    = "session_started"
	SessionEnded      = "session_ended"
	ScreenViewed      = "screen_viewed"
	TutorialOpened    = "tutorial_opened"
	StepViewed        = "step_viewed"
	PracticeRight     = "practice_right"
	PracticeWrong     = "practice_wrong"
	CheckViewed       = "check_viewed"
	CheckPassed       = "check_passed"
	CheckWrong        = "check_wrong"
	CheckAbandoned    = "check_abandoned"
	TutorialCompleted = "tutorial_completed"
	TutorialAbandoned = "tutorial_abandoned"
	ProcedureViewed   = "procedure_viewed"
	FlowFinished      = "flow_finished"
	QRShown           = "qr_shown"
	Search            = "search"
	AudioUsed         = "audio_used"
	LanguageChosen    = "language_chosen"
	StaffCalled       = "staff_called"
)

// field is a set of Event fields, as bits.
type field uint8

const (
	fScreen field = 1 << iota
	fTutorial
	fProcedure
	fStep
	fOutcome
	fLanguage
)

var fieldNames = []struct {
	f    field
	name string
}{{fScreen, "screen"}, {fTutorial, "tutorial"}, {fProcedure, "procedure"}, {fStep, "step"}, {fOutcome, "outcome"}, {fLanguage, "language"}}

// schema says which fields an event type must and may carry.
type schema struct{ required, optional field }

var schemas = map[string]schema{
	SessionEnded:      {},
	ScreenViewed:      {required: fScreen},
	TutorialOpened:    {required: fTutorial},
	StepViewed:        {required: fTutorial | fStep},
	PracticeRight:     {required: fTutorial | fStep},
	PracticeWrong:     {required: fTutorial | fStep},
	CheckViewed:       {required: fTutorial | fStep},
	CheckPassed:       {required: fTutorial, optional: fStep},
	CheckWrong:        {required: fTutorial | fStep},
	CheckAbandoned:    {required: fTutorial | fStep},
	TutorialCompleted: {required: fTutorial},
	TutorialAbandoned: {required: fTutorial | fStep},
	ProcedureViewed:   {required: fProcedure},
	FlowFinished:      {required: fProcedure},
	QRShown:           {optional: fProcedure | fTutorial},
	Search:            {required: fOutcome, optional: fTutorial | fProcedure},
	AudioUsed:         {optional: fScreen},
	LanguageChosen:    {required: fLanguage},
	StaffCalled:       {optional: fScreen},
}

// Outcomes are the values of a search event's outcome: whether it found anything.
var Outcomes = []string{"results", "none"}

// Spec is one event type of the schema as the UI sees it: the JSON names of
// the fields it must and may carry. The UI's track() events are generated
// from these (kiosk/api/contract.go), so the two cannot disagree.
type Spec struct {
	Type               string
	Required, Optional []string
}

// Specs lists the event types the UI may report, sorted by type.
func Specs() []Spec {
	out := make([]Spec, 0, len(schemas))
	for typ, sc := range schemas {
		sp := Spec{Type: typ}
		for _, fn := range fieldNames {
			if sc.required&fn.f != 0 {
				sp.Required = append(sp.Required, fn.name)
			}
			if sc.optional&fn.f != 0 {
				sp.Optional = append(sp.Optional, fn.name)
			}
		}
		out = append(out, sp)
	}
	slices.SortFunc(out, func(a, b Spec) int { return strings.Compare(a.Type, b.Type) })
	return out
}

// MaxStep bounds step and question numbers: lessons are short.
const MaxStep = 99

// Screens are the screen names the UI may report: the routes of
// frontend/src/routes.ts (TestScreensAreTheRoutes keeps the two in step) and
// the attract screen. A name outside the list is rejected, so a screen name
// can never carry typed text.
var Screens = []string{"attract", "home", "tutorials", "procedures", "search", "staff", "staff-insights"}

// Catalog is the current content as the log needs it: whether an id exists,
// and its title for the insights.
type Catalog interface {
	Tutorial(id string) (title string, ok bool)
	Procedure(id string) (title string, ok bool)
}

// ValidationError says which event of a batch is wrong and why.
type ValidationError struct {
	Index int // position in the batch
	Msg   string
	err   error
}

func (e *ValidationError) Error() string { return fmt.Sprintf("event %d: %s", e.Index, e.Msg) }

func (e *ValidationError) Unwrap() error { return e.err }

// has reports which fields of e are set.
func (e *Event) has() field {
	var f field
	if e.Screen != "" {
		f |= fScreen
	}
	if e.Tutorial != "" {
		f |= fTutorial
	}
	if e.Procedure != "" {
		f |= fProcedure
	}
	if e.Step != 0 {
		f |= fStep
	}
	if e.Outcome != "" {
		f |= fOutcome
	}
	if e.Language != "" {
		f |= fLanguage
	}
	return f
}

// check validates e against its type's schema and the closed lists. It does
// not look at the session, which the Log checks.
func (e *Event) check(cat Catalog, languages []string) error {
	sc, ok := schemas[e.Type]
	if !ok {
		if e.Type == SessionStarted {
			return fmt.Errorf("sessions are started by POST /api/sessions, not reported")
		}
		return fmt.Errorf("unknown event type")
	}
	has := e.has()
	for _, fn := range fieldNames {
		switch {
		case sc.required&fn.f != 0 && has&fn.f == 0:
			return fmt.Errorf("%s needs %s", e.Type, fn.name)
		case (sc.required|sc.optional)&fn.f == 0 && has&fn.f != 0:
			return fmt.Errorf("%s does not take %s", e.Type, fn.name)
		}
	}
	if has&fTutorial != 0 && has&fProcedure != 0 {
		return fmt.Errorf("%s takes a tutorial or a procedure, not both", e.Type)
	}
	return e.checkValues(cat, languages)
}

func (e *Event) checkValues(cat Catalog, languages []string) error {
	if e.Screen != "" && !slices.Contains(Screens, e.Screen) {
		return fmt.Errorf("screen is not one of the kiosk's screens")
	}
	if e.Tutorial != "" {
		if _, ok := cat.Tutorial(e.Tutorial); !ok {
			return fmt.Errorf("tutorial is not an id of the current content")
		}
	}
	if e.Procedure != "" {
		if _, ok := cat.Procedure(e.Procedure); !ok {
			return fmt.Errorf("procedure is not an id of the current content")
		}
	}
	if e.Step != 0 && (e.Step < 1 || e.Step > MaxStep) {
		return fmt.Errorf("step must be 1..%d", MaxStep)
	}
	if e.Outcome != "" && !slices.Contains(Outcomes, e.Outcome) {
		return fmt.Errorf("outcome must be one of %s", strings.Join(Outcomes, ", "))
	}
	if e.Outcome == "none" && e.has()&(fTutorial|fProcedure) != 0 {
		return fmt.Errorf("a search with no results has no chosen item")
	}
	if e.Language != "" && !slices.Contains(languages, e.Language) {
		return fmt.Errorf("language must be one of %s", strings.Join(languages, ", "))
	}
	return nil
}

// row turns a checked event into what is stored. Values are never quoted in
// errors above, so a rejected event leaves no trace even in the logs.
func (e *Event) row(minute, session int64) store.UsageRow {
	r := store.UsageRow{Minute: minute, Session: session, Type: e.Type, Step: e.Step}
	switch {
	case e.Tutorial != "":
		r.Item = e.Tutorial
	case e.Procedure != "":
		r.Item = e.Procedure
	}
	switch {
	case e.Screen != "":
		r.Detail = e.Screen
	case e.Outcome != "":
		r.Detail = e.Outcome
	case e.Language != "":
		r.Detail = e.Language
	}
	return r
}
