package usage

import (
	"fmt"
	"regexp"
	"slices"
)

// The daily totals' closed catalogue: every metric day.add can produce, and
// what its key holds. The hub checks uploads against it, so a device token
// can only ever send figures a kiosk could have counted.
type keyKind int

const (
	keyNone     keyKind = iota // no key
	keyHour                    // "00".."23"
	keyOutcome                 // results | none
	keyScreen                  // one of Screens
	keyItem                    // a tutorial or procedure id
	keyLanguage                // a language code
)

type metricRule struct {
	key      keyKind
	optional bool // the key may be empty
	step     bool // a step number may be set
	seconds  bool // seconds may be set
}

var metrics = map[string]metricRule{
	"sessions":          {key: keyNone},
	"sessions_by_hour":  {key: keyHour},
	"sessions_ended":    {key: keyNone, seconds: true},
	"sessions_assisted": {key: keyNone},
	"sessions_audio":    {key: keyNone},
	"events_dropped":    {key: keyNone},
	Search:              {key: keyOutcome},
	"search_chosen":     {key: keyItem},
	ScreenViewed:        {key: keyScreen},
	TutorialOpened:      {key: keyItem},
	StepViewed:          {key: keyItem, step: true},
	PracticeRight:       {key: keyItem, step: true},
	PracticeWrong:       {key: keyItem, step: true},
	CheckViewed:         {key: keyItem, step: true},
	CheckPassed:         {key: keyItem, step: true},
	CheckWrong:          {key: keyItem, step: true},
	CheckAbandoned:      {key: keyItem, step: true},
	TutorialCompleted:   {key: keyItem},
	TutorialAbandoned:   {key: keyItem, step: true},
	ProcedureViewed:     {key: keyItem},
	FlowFinished:        {key: keyItem},
	QRShown:             {key: keyItem, optional: true},
	AudioUsed:           {key: keyScreen, optional: true},
	LanguageChosen:      {key: keyLanguage},
	StaffCalled:         {key: keyScreen, optional: true},
}

// Metrics are the names of every metric in the catalogue, sorted.
func Metrics() []string {
	out := make([]string, 0, len(metrics))
	for m := range metrics {
		out = append(out, m)
	}
	slices.Sort(out)
	return out
}

// MaxDailyCount bounds one daily total: far above any kiosk's day (a session
// takes minutes), far below what would overflow a sum over a province.
const MaxDailyCount = 1_000_000

var (
	itemPattern     = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)
	languagePattern = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$`)
	hourPattern     = regexp.MustCompile(`^([01][0-9]|2[0-3])$`)
)

// CheckTotal says whether t is a daily total a kiosk could have produced: a
// metric of the catalogue, a key of the kind that metric carries, a step
// and counts in range. It does not check the day (the receiver knows which
// days it accepts). Errors never quote the values.
func CheckTotal(t Total) error {
	rule, ok := metrics[t.Metric]
	if !ok {
		return fmt.Errorf("metric is not one a kiosk counts")
	}
	if err := rule.checkKey(t.Key); err != nil {
		return err
	}
	switch {
	case t.Step != 0 && (!rule.step || t.Step < 1 || t.Step > MaxStep):
		return fmt.Errorf("step must be absent or, for a step metric, 1..%d", MaxStep)
	case t.Count < 0 || t.Count > MaxDailyCount:
		return fmt.Errorf("count must be 0..%d", MaxDailyCount)
	case t.Seconds != 0 && !rule.seconds:
		return fmt.Errorf("%s carries no seconds", t.Metric)
	case t.Seconds < 0 || t.Seconds > t.Count*86400:
		return fmt.Errorf("seconds must be 0..a day per session")
	}
	return nil
}

func (r metricRule) checkKey(key string) error {
	if key == "" {
		if r.key == keyNone || r.optional {
			return nil
		}
		return fmt.Errorf("key is missing")
	}
	ok := false
	switch r.key {
	case keyHour:
		ok = hourPattern.MatchString(key)
	case keyOutcome:
		ok = key == "results" || key == "none"
	case keyScreen:
		ok = slices.Contains(Screens, key)
	case keyItem:
		ok = itemPattern.MatchString(key)
	case keyLanguage:
		ok = languagePattern.MatchString(key)
	}
	if !ok {
		return fmt.Errorf("key is not of the kind this metric carries")
	}
	return nil
}
