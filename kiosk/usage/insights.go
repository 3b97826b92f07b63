package usage

import (
	"cmp"
	"context"
	"database/sql"
	"slices"
	"strings"
	"time"

	"tramso/kiosk/store"
)

// Insights are the staff-mode usage figures. Lists and funnels cover the
// last 30 days, today included.
type Insights struct {
	State      State      `json:"state"`
	Today      string     `json:"today"`
	Periods    []Period   `json:"periods"` // today, 7 days, 30 days
	Tutorials  []ItemUse  `json:"tutorials"`
	Procedures []ItemUse  `json:"procedures"`
	Funnels    []Funnel   `json:"funnels"`
	Languages  []KeyCount `json:"languages"`
	Hours      []int64    `json:"hours"` // sessions started in each local hour 0..23
	Search     SearchUse  `json:"search"`
	Dropped    int64      `json:"dropped"` // events dropped in the 30 days

	qr map[string]int64 // qr_shown by item, while adding up
}

// Period sums sessions over the last Days days, today included.
type Period struct {
	Days       int   `json:"days"`
	Sessions   int64 `json:"sessions"`
	AvgSeconds int64 `json:"avg_seconds"`
	Assisted   int64 `json:"assisted"`    // sessions in which staff was called
	SelfServed int64 `json:"self_served"` // the others
	Audio      int64 `json:"audio"`       // sessions that used audio
}

// ItemUse is how often a lesson or procedure was used (sessions).
type ItemUse struct {
	ID       string `json:"id"`
	Title    string `json:"title"`
	Opened   int64  `json:"opened"`       // tutorial_opened / procedure_viewed
	Finished int64  `json:"finished"`     // tutorial_completed / flow_finished
	QR       int64  `json:"qr,omitempty"` // qr_shown
}

// Funnel is one lesson step by step, then its check questions one by one:
// how many sessions reached each and how many gave up there.
type Funnel struct {
	ID        string       `json:"id"`
	Title     string       `json:"title"`
	Opened    int64        `json:"opened"`
	Completed int64        `json:"completed"`
	Steps     []FunnelStep `json:"steps"`
	Checks    []FunnelStep `json:"checks"` // Step is the question's number
}

// FunnelStep is one step, or one check question, of a Funnel.
type FunnelStep struct {
	Step      int   `json:"step"`
	Viewed    int64 `json:"viewed"`
	Abandoned int64 `json:"abandoned"`
	Wrong     int64 `json:"wrong"` // sessions with a wrong practice tap, or a wrong answer, here

	passed int64 // check_passed, while adding up
}

// KeyCount is a count under a key (a language).
type KeyCount struct {
	Key   string `json:"key"`
	Count int64  `json:"count"`
}

// SearchUse counts sessions whose search found something, or nothing.
type SearchUse struct {
	Results int64 `json:"results"`
	None    int64 `json:"none"`
}

// topItems is how many lessons and procedures the insights list.
const topItems = 10

// Insights writes what is queued, then computes the staff figures. Today's
// come from the live totals, the days before from the daily table (kept in
// memory until a day ends or a roll-up runs: past days do not change). If
// they cannot be read, the figures are empty and the state says why.
func (l *Log) Insights(ctx context.Context) *Insights {
	flushCtx, cancel := context.WithTimeout(ctx, 2*time.Second)
	_ = l.Flush(flushCtx) // figures slightly behind beat no figures
	cancel()
	now := l.opts.Now().In(l.opts.Location)
	in, err := l.insights(ctx, now)
	state := l.State()
	if err != nil {
		// A database that cannot be read still gets its state shown, so
		// staff learn that something is wrong rather than see an error page.
		l.opts.Log.Warn("usage insights", "err", err)
		in = emptyInsights(now)
		state.Warning = strings.TrimPrefix(state.Warning+"; the figures cannot be read: "+err.Error(), "; ")
	}
	in.State = state
	return in
}

func (l *Log) insights(ctx context.Context, now time.Time) (*Insights, error) {
	midnightToday := midnight(now)
	today, err := l.todayTotals(ctx, midnightToday)
	if err != nil {
		return nil, err
	}
	drops, err := store.UsageDaily(ctx, l.db, dayString(midnightToday), dayString(midnightToday))
	if err != nil {
		return nil, err
	}
	p, err := l.pastFigures(ctx, midnightToday)
	if err != nil {
		return nil, err
	}
	return computeInsights(now, l.catalog(), append(today, drops...), p), nil
}

// pastFigures returns the sums of the days before today, from memory when
// neither the day nor the roll-up state has changed since they were read.
func (l *Log) pastFigures(ctx context.Context, midnightToday time.Time) (past, error) {
	through, err := store.UsageRolledThrough(ctx, l.db)
	if err != nil {
		return past{}, err
	}
	key := dayString(midnightToday) + "|" + through
	l.pastMu.Lock()
	defer l.pastMu.Unlock()
	if l.pastKey == key {
		return l.past, nil
	}
	p, err := readPast(ctx, l.db, midnightToday)
	if err != nil {
		return past{}, err
	}
	l.past, l.pastKey = p, key
	return p, nil
}

// emptyInsights has no figures, for when they cannot be read.
func emptyInsights(now time.Time) *Insights {
	return &Insights{
		Today:      dayString(midnight(now)),
		Periods:    []Period{{Days: 1}, {Days: 7}, {Days: 30}},
		Tutorials:  []ItemUse{},
		Procedures: []ItemUse{},
		Funnels:    []Funnel{},
		Languages:  []KeyCount{},
		Hours:      make([]int64, 24),
	}
}

// ComputeInsights reads the figures of the 30 days up to now's day (in now's
// location) from the database alone, nothing kept in memory. Titles come from
// cat; an id missing from it shows as itself.
func ComputeInsights(ctx context.Context, db *sql.DB, now time.Time, cat Catalog) (*Insights, error) {
	midnightToday := midnight(now)
	d, err := dayFromEvents(ctx, db, midnightToday)
	if err != nil {
		return nil, err
	}
	drops, err := store.UsageDaily(ctx, db, d.name, d.name)
	if err != nil {
		return nil, err
	}
	p, err := readPast(ctx, db, midnightToday)
	if err != nil {
		return nil, err
	}
	return computeInsights(now, cat, append(d.totals(), drops...), p), nil
}

// sessionMetrics are what the periods add up.
var sessionMetrics = []string{"sessions", "sessions_ended", "sessions_assisted", "sessions_audio"}

// past is what the insights need of the days before today, summed by
// metric, key and step.
type past struct {
	month []Total // the 29 days before today
	week  []Total // the 6 days before today, session metrics only
}

func readPast(ctx context.Context, db *sql.DB, midnightToday time.Time) (past, error) {
	yesterday := midnightToday.AddDate(0, 0, -1)
	month, err := sums(ctx, db, midnightToday.AddDate(0, 0, -29), yesterday, yesterday)
	if err != nil {
		return past{}, err
	}
	week, err := sums(ctx, db, midnightToday.AddDate(0, 0, -6), yesterday, yesterday, sessionMetrics...)
	if err != nil {
		return past{}, err
	}
	return past{month: month, week: week}, nil
}

// computeInsights adds up today's totals and the past days' sums.
func computeInsights(now time.Time, cat Catalog, today []Total, p past) *Insights {
	month := append(slices.Clip(p.month), today...)
	in := &Insights{Today: dayString(midnight(now)), Hours: make([]int64, 24), Languages: []KeyCount{}, qr: map[string]int64{}}
	in.Periods = []Period{period(today, 1), period(append(slices.Clip(p.week), today...), 7), period(month, 30)}
	tut, proc := map[string]*ItemUse{}, map[string]*ItemUse{}
	funnels := map[string]*Funnel{}
	langs := map[string]int64{}
	for _, t := range month {
		in.add(t, tut, proc, funnels, langs)
	}
	for id, u := range proc {
		u.QR = in.qr[id]
	}
	in.Tutorials = ranked(tut, cat.Tutorial)
	in.Procedures = ranked(proc, cat.Procedure)
	in.Funnels = funnelList(funnels, in.Tutorials, cat)
	for k, n := range langs {
		in.Languages = append(in.Languages, KeyCount{k, n})
	}
	slices.SortFunc(in.Languages, func(a, b KeyCount) int { return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Key, b.Key)) })
	return in
}

func (in *Insights) add(t Total, tut, proc map[string]*ItemUse, funnels map[string]*Funnel, langs map[string]int64) {
	item := func(m map[string]*ItemUse) *ItemUse {
		if m[t.Key] == nil {
			m[t.Key] = &ItemUse{ID: t.Key}
		}
		return m[t.Key]
	}
	switch t.Metric {
	case TutorialOpened:
		item(tut).Opened += t.Count
	case TutorialCompleted:
		item(tut).Finished += t.Count
	case ProcedureViewed:
		item(proc).Opened += t.Count
	case FlowFinished:
		item(proc).Finished += t.Count
	case QRShown:
		in.qr[t.Key] += t.Count
	case StepViewed, TutorialAbandoned, PracticeWrong, CheckViewed, CheckPassed, CheckWrong, CheckAbandoned:
		funnelStep(funnels, t)
	case LanguageChosen:
		langs[t.Key] += t.Count
	case "sessions_by_hour":
		if h := hourOf(t.Key); h >= 0 {
			in.Hours[h] += t.Count
		}
	case Search:
		if t.Key == "none" {
			in.Search.None += t.Count
		} else {
			in.Search.Results += t.Count
		}
	case "events_dropped":
		in.Dropped += t.Count
	}
}

func funnelStep(funnels map[string]*Funnel, t Total) {
	f := funnels[t.Key]
	if f == nil {
		f = &Funnel{ID: t.Key}
		funnels[t.Key] = f
	}
	rows := &f.Steps
	switch t.Metric {
	case CheckViewed, CheckPassed, CheckWrong, CheckAbandoned:
		if t.Step < 1 {
			return // a check_passed of before question numbers were reported
		}
		rows = &f.Checks
	}
	i := slices.IndexFunc(*rows, func(s FunnelStep) bool { return s.Step == t.Step })
	if i < 0 {
		*rows = append(*rows, FunnelStep{Step: t.Step})
		i = len(*rows) - 1
	}
	s := &(*rows)[i]
	switch t.Metric {
	case StepViewed, CheckViewed:
		s.Viewed += t.Count
	case TutorialAbandoned, CheckAbandoned:
		s.Abandoned += t.Count
	case PracticeWrong, CheckWrong:
		s.Wrong += t.Count
	case CheckPassed:
		s.passed += t.Count
	}
}

func hourOf(key string) int {
	if len(key) != 2 || key[0] < '0' || key[0] > '2' || key[1] < '0' || key[1] > '9' {
		return -1
	}
	h := int(key[0]-'0')*10 + int(key[1]-'0')
	if h > 23 {
		return -1
	}
	return h
}

// period sums the session figures of rows, which cover days days.
func period(rows []Total, days int) Period {
	p := Period{Days: days}
	var ended, seconds int64
	for _, t := range rows {
		switch t.Metric {
		case "sessions":
			p.Sessions += t.Count
		case "sessions_ended":
			ended += t.Count
			seconds += t.Seconds
		case "sessions_assisted":
			p.Assisted += t.Count
		case "sessions_audio":
			p.Audio += t.Count
		}
	}
	if ended > 0 {
		p.AvgSeconds = seconds / ended
	}
	p.SelfServed = max(p.Sessions-p.Assisted, 0)
	return p
}

// ranked returns the most opened items first, at most topItems, titled.
func ranked(m map[string]*ItemUse, title func(string) (string, bool)) []ItemUse {
	out := make([]ItemUse, 0, len(m))
	for _, u := range m {
		u.Title = titleOr(u.ID, title)
		out = append(out, *u)
	}
	slices.SortFunc(out, func(a, b ItemUse) int {
		return cmp.Or(cmp.Compare(b.Opened, a.Opened), cmp.Compare(b.Finished, a.Finished), cmp.Compare(a.ID, b.ID))
	})
	return out[:min(len(out), topItems)]
}

// funnelList returns a funnel for each listed lesson, steps in order.
func funnelList(funnels map[string]*Funnel, lessons []ItemUse, cat Catalog) []Funnel {
	out := []Funnel{}
	for _, u := range lessons {
		f := funnels[u.ID]
		if f == nil {
			f = &Funnel{ID: u.ID}
		}
		f.Title, f.Opened, f.Completed = titleOr(u.ID, cat.Tutorial), u.Opened, u.Finished
		slices.SortFunc(f.Steps, func(a, b FunnelStep) int { return a.Step - b.Step })
		slices.SortFunc(f.Checks, func(a, b FunnelStep) int { return a.Step - b.Step })
		for i := range f.Checks {
			// Whoever answered a question right saw it: kiosks that do not
			// yet report check_viewed still show how far the questions got.
			c := &f.Checks[i]
			c.Viewed, c.passed = max(c.Viewed, c.passed), 0
		}
		if f.Steps == nil {
			f.Steps = []FunnelStep{}
		}
		if f.Checks == nil {
			f.Checks = []FunnelStep{}
		}
		out = append(out, *f)
	}
	return out
}

func titleOr(id string, title func(string) (string, bool)) string {
	if t, ok := title(id); ok && t != "" {
		return t
	}
	return id
}
