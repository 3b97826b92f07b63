package content

import (
	"slices"
	"strings"
	"time"

	"tramso/kiosk/config"
	"tramso/kiosk/hours"
)

// Office is where a procedure's files are received, resolved against the
// commune's overlay in the kiosk config. Known is false when the commune has
// not configured the office: the screen then says "ask the staff" and never
// shows an address it does not have.
type Office struct {
	ID      string `json:"id"`
	Known   bool   `json:"known"`
	Name    string `json:"name,omitempty"`
	Address string `json:"address,omitempty"`
	Phone   string `json:"phone,omitempty"`
	// Hours are the config's lines as typed; Lines are the same lines as
	// the card and the take-home list show them: read ones in the kiosk's
	// form, the others as typed, each Said in the reader's language once
	// the view is made for one (Office.In).
	Hours []string     `json:"hours,omitempty"`
	Lines []OfficeLine `json:"lines,omitempty"`
	// Today is today's opening hours in the kiosk's form ("07:30-11:30,
	// 13:30-17:00" whatever the line typed); TodayKnown is false when they
	// could not be read, and Today is empty on a day the office is closed.
	Today      string `json:"today"`
	TodayKnown bool   `json:"today_known"`
	// TodayTyped is today's line as typed when it is one the kiosk could
	// not read: the card shows it and claims nothing about today.
	TodayTyped string `json:"today_typed,omitempty"`
	// Phases say how today's hours stand, from the start of today (in
	// Vietnam) on: the card shows the phase its clock is in, so it stays
	// right while the screen is open without reading hours itself. None
	// when TodayKnown is false.
	Phases []OfficePhase `json:"phases,omitempty"`
}

// OfficeLine is one hours line of an office: read (the days From..To,
// mon…sun, and the spans Read, none on days off) or, when the kiosk could
// not read it, Typed as the commune wrote it.
type OfficeLine struct {
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
	// Spans are Read as the API sends them ("07:30-11:30", hours.Strings).
	Spans []string `json:"spans,omitempty"`
	Typed string   `json:"typed,omitempty"`
	// Said is the line as the card shows it, in the reader's language
	// (Say, with the pack's words): the card and the take-home list say it
	// by one rule, so a pack that translates the day names reaches both.
	Said string `json:"said"`
	// Read are the line's spans as read, in order.
	Read []hours.Span `json:"-"`
}

// readLine is a line the kiosk read, its spans in order.
func readLine(l hours.Line) OfficeLine {
	spans := slices.Clone(l.Spans)
	slices.SortFunc(spans, func(a, b hours.Span) int { return a.From - b.From })
	return OfficeLine{From: hours.Days[l.From], To: hours.Days[l.To], Spans: hours.Strings(spans), Read: spans}
}

// Say is the line in lang as the card and the take-home list show it,
// with the day names and the day-off word of the pack's wording
// (checklist.day_mon…, day_off): "Thứ Hai–Thứ Sáu: 07:30–11:30,
// 13:30–17:00", "Thứ Bảy: 07:30–11:30", "Chủ nhật: nghỉ"; a line not read,
// as typed. It is the one place a line is said: the API sends it (Said).
func (l OfficeLine) Say(w Wording, lang string) string {
	if l.From == "" {
		return l.Typed
	}
	days := w.In("day_"+l.From, lang)
	if l.To != l.From {
		days += "–" + w.In("day_"+l.To, lang)
	}
	if len(l.Read) == 0 {
		return days + ": " + w.In("day_off", lang)
	}
	return days + ": " + saySpans(l.Read)
}

// saySpans says spans as the kiosk's screens write them, whatever form the
// config typed: "07:30–11:30, 13:30–17:00", en dashes as on the closed
// notice, so a resident reads one style of time.
func saySpans(spans []hours.Span) string {
	parts := make([]string, len(spans))
	for i, sp := range spans {
		parts[i] = hours.Clock(sp.From) + "–" + hours.Clock(sp.To)
	}
	return strings.Join(parts, ", ")
}

// OfficePhase is how the office's hours stand from a moment until the next
// phase: open, open but closing soon, not open yet today, on a break, over
// for today, or a day the office is closed.
type OfficePhase struct {
	From  time.Time `json:"from"`
	State string    `json:"state"` // one of OfficeStates
	// Opens is when the office opens next, whenever it is not open.
	Opens *Reopening `json:"opens,omitempty"`
	// Closes is when it closes, while it is closing.
	Closes *Closing `json:"closes,omitempty"`
}

// The values of OfficePhase.State.
const (
	OfficeOpen      = "open"
	OfficeClosing   = "closing"    // open, and closes within ClosingSoon
	OfficeBefore    = "before"     // opens later today, not opened yet
	OfficeBreak     = "break"      // opened today and opens again today
	OfficeOver      = "over"       // opened today, no more today
	OfficeClosedDay = "closed_day" // not open at all today
)

// OfficeStates are the values of OfficePhase.State.
var OfficeStates = []string{OfficeOpen, OfficeClosing, OfficeBefore, OfficeBreak, OfficeOver, OfficeClosedDay}

// ClosingSoon is how long before the office closes the card says so: about
// the time a resident takes to walk or ride to the commune office, so that
// nobody sets off to find it shut.
const ClosingSoon = 45 * time.Minute

// ClosingThens are the values of Closing.Then.
var ClosingThens = []string{"lunch", "break", "over"}

// Closing is when an open office closes, and what follows: the lunch
// break, another break today, or the end of today's hours.
type Closing struct {
	At   time.Time `json:"at"`
	Time string    `json:"time"` // "11:30"; "24:00" at the end of the day
	Then string    `json:"then"` // one of ClosingThens
}

// ReopeningWhens are the values of Reopening.When, DayParts of Reopening.Part.
var (
	ReopeningWhens = []string{"today", "tomorrow", "day", "next_week"}
	DayParts       = []string{"morning", "afternoon", "evening"}
)

// Reopening is when a closed office opens next, as a resident is told it:
// "Thứ Hai, 07:30", "sáng mai, 07:30".
type Reopening struct {
	At  time.Time `json:"at"`
	Day string    `json:"day"` // mon…sun (hours.Days)
	// DayName is Day in the reader's language, the pack's word for it as the
	// hours lines say it (Office.In): "Thứ Hai".
	DayName string `json:"day_name"`
	Time    string `json:"time"` // "07:30"
	// When is today, tomorrow, day (a later day this week) or next_week (today's
	// weekday a week on, which "Thứ Hai" alone would read as today).
	When string `json:"when"`
	// Part is the part of the day, for "sáng mai": morning (before noon),
	// afternoon (before 18:00) or evening.
	Part string `json:"part"`
}

// ResolveOffice finds office id in the overlay and works out how its hours
// stand today, in Vietnam.
func ResolveOffice(offices []config.Office, id string, now time.Time) Office {
	for _, o := range offices {
		if o.ID != id {
			continue
		}
		out := Office{ID: id, Known: true, Name: o.Name, Address: o.Address, Phone: o.Phone, Hours: o.Hours}
		h := readHours(o.Hours)
		out.Lines = h.lines
		now = now.In(hours.Vietnam)
		day := now.Weekday()
		switch {
		case len(h.typed[day]) > 0:
			out.TodayTyped = strings.Join(h.typed[day], "; ")
		case h.known[day]:
			out.Today, out.TodayKnown = spanText(h.week[day]), true
			out.Phases = h.phases(now)
		}
		return out
	}
	return Office{ID: id}
}

func spanText(spans []hours.Span) string { return strings.Join(hours.Strings(spans), ", ") }

// Line is the office as one line for the checklist: "name, address, phone".
func (o Office) Line() string {
	if !o.Known {
		return ""
	}
	parts := []string{o.Name}
	for _, s := range []string{o.Address, o.Phone} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ", ")
}

// HoursIn is the office's hours lines in lang as the card shows them (in
// w's words, OfficeLine.Say), joined for one line of text: "Thứ Hai–Thứ
// Sáu: 07:30–11:30, 13:30–17:00; Thứ Bảy: 07:30–11:30".
func (o Office) HoursIn(w Wording, lang string) string {
	if len(o.Lines) == 0 {
		return strings.Join(o.Hours, "; ") // an office not resolved (ResolveOffice) has only its typed lines
	}
	parts := make([]string, len(o.Lines))
	for i, l := range o.Lines {
		parts[i] = l.Say(w, lang)
	}
	return strings.Join(parts, "; ")
}

// In is the office as a reader of lang is shown it: each hours line Said,
// and each reopening's day named, in w's words (OfficeLine.Say) — the words
// the take-home list uses (HoursIn), so the card and the list never differ.
func (o Office) In(w Wording, lang string) Office {
	o.Lines = slices.Clone(o.Lines)
	for i := range o.Lines {
		o.Lines[i].Said = o.Lines[i].Say(w, lang)
	}
	o.Phases = slices.Clone(o.Phases)
	for i, p := range o.Phases {
		if p.Opens != nil {
			opens := *p.Opens
			opens.DayName = w.In("day_"+opens.Day, lang)
			o.Phases[i].Opens = &opens
		}
	}
	return o
}

// officeHours are an office's hour lines read once (hours.ParseLine): each
// line for the card, and each day's spans for the schedule where the day is
// known.
type officeHours struct {
	lines []OfficeLine
	week  hours.Week
	// known days are read: covered only by lines the kiosk read, or by no
	// line while every line's days are read (a day off). typed are, for a
	// day a line not read names, every line that names the day, as written:
	// read or not, in the config's order (review s28: "T6 7h30-11h30" and
	// "T2-T6 7h30-17h" disagree on Friday, and showing only the line not
	// read told a resident one of the two).
	known [7]bool
	typed [7][]string
}

// readHours reads an office's hour lines, each on its own: one line the
// kiosk cannot read ("T7: sáng 7h30 đến trưa") leaves the others read. Its
// days, when they can be read (hours.LineDays), are shown as typed; when
// they cannot, a day no read line covers may be one it means, so only the
// days read lines cover are known. `tramso doctor` names such a line, read
// by the same hours.ParseLine.
func readHours(lines []string) (h officeHours) {
	covered, daysUnread := [7]bool{}, false
	var unread, named [7]bool
	var naming [7][]string // every line naming the day, as typed
	for _, r := range hours.ReadLines(lines) {
		for d := time.Sunday; d <= time.Saturday; d++ {
			if r.Line.Covers(d) {
				naming[d] = append(naming[d], r.Typed)
				named[d] = true
				unread[d] = unread[d] || r.Err != nil
			}
		}
		if r.Err != nil {
			h.lines = append(h.lines, OfficeLine{Typed: r.Typed})
			daysUnread = daysUnread || len(r.Line.Days) == 0
			continue
		}
		// Days that follow one another are said as their run ("T7, CN":
		// "Thứ Bảy–Chủ nhật"); days apart, one line for each day or run
		// ("Thứ Hai: 17:00–19:00; Thứ Tư: 17:00–19:00").
		runs := r.Line.Days
		if run, ok := r.Line.Run(); ok {
			runs = []hours.DayRange{run}
		}
		for _, days := range runs {
			h.lines = append(h.lines, readLine(hours.Line{From: days.From, To: days.To, Spans: r.Line.Spans}))
		}
		for d := time.Sunday; d <= time.Saturday; d++ {
			if r.Line.Covers(d) {
				covered[d] = true
				h.week[d] = append(h.week[d], r.Line.Spans...)
			}
		}
	}
	for d := range naming {
		if unread[d] && named[d] {
			h.typed[d] = naming[d]
		}
	}
	for d, spans := range h.week {
		slices.SortFunc(spans, func(a, b hours.Span) int { return a.From - b.From })
		h.known[d] = len(lines) > 0 && len(h.typed[d]) == 0 && (covered[d] || !daysUnread)
	}
	return h
}

// phases are the phases of the day of now, from its midnight: one at each
// opening and closing and ClosingSoon before each closing, each as
// hours.Schedule sees it at its start.
func (h officeHours) phases(now time.Time) []OfficePhase {
	sched := hours.Schedule{Week: h.week, Loc: hours.Vietnam}
	y, m, d := now.Date()
	at := []int{0}
	soon := int(ClosingSoon / time.Minute)
	for _, sp := range h.week[now.Weekday()] {
		at = append(at, sp.From, max(sp.From, sp.To-soon), sp.To)
	}
	slices.Sort(at)
	var out []OfficePhase
	for _, min := range at {
		from := time.Date(y, m, d, 0, min, 0, 0, hours.Vietnam)
		if min >= 24*60 || (len(out) > 0 && !from.After(out[len(out)-1].From)) {
			continue
		}
		p := phaseAt(sched, from)
		if p.Opens != nil && !h.knownBefore(now, p.Opens.At) {
			// A day before it is one the kiosk could not read: the office
			// may open then, so "Mở lại: Thứ Hai" would send a resident
			// past an opening.
			p.Opens = nil
		}
		if n := len(out); n > 0 && out[n-1].State == p.State && reopensAt(out[n-1]).Equal(reopensAt(p)) && closesAt(out[n-1]).Equal(closesAt(p)) {
			continue
		}
		out = append(out, p)
	}
	return out
}

// knownBefore reports whether every day after now's up to at's own is read.
func (h officeHours) knownBefore(now, at time.Time) bool {
	for d := now.AddDate(0, 0, 1); d.Before(at) && !sameDay(d, at); d = d.AddDate(0, 0, 1) {
		if !h.known[d.Weekday()] {
			return false
		}
	}
	// at's own day too: a line not read may say it opens otherwise then
	// (review s27: "Mở lại: sáng mai" for a Saturday shown as typed).
	return sameDay(now, at) || h.known[at.Weekday()]
}

func reopensAt(p OfficePhase) time.Time {
	if p.Opens == nil {
		return time.Time{}
	}
	return p.Opens.At
}

func closesAt(p OfficePhase) time.Time {
	if p.Closes == nil {
		return time.Time{}
	}
	return p.Closes.At
}

// phaseAt is how the office stands at now (in sched's zone).
func phaseAt(sched hours.Schedule, now time.Time) OfficePhase {
	st := sched.At(now)
	p := OfficePhase{From: now}
	today := func(t time.Time) bool { return !t.IsZero() && sameDay(t, now) }
	// Closed since a span of today: yesterday's span that ran to 24:00
	// ended at today's midnight, and does not make today's morning a break.
	y, m, d := now.Date()
	closedToday := st.ClosedSince.After(time.Date(y, m, d, 0, 0, 0, 0, now.Location()))
	switch {
	case st.Open && st.ClosesAt.Sub(now) <= ClosingSoon:
		p.State, p.Closes = OfficeClosing, closing(sched, now, st.ClosesAt)
	case st.Open:
		p.State = OfficeOpen
	case len(st.Today) == 0:
		p.State = OfficeClosedDay
	case today(st.OpensAt) && closedToday:
		p.State = OfficeBreak
	case today(st.OpensAt):
		p.State = OfficeBefore
	default:
		p.State = OfficeOver
	}
	if !st.Open && !st.OpensAt.IsZero() {
		p.Opens = reopening(now, st.OpensAt)
	}
	return p
}

// closing tells closing time at, as seen at now: the lunch break when the
// office opens again this afternoon, another break today, or the end of
// today's hours.
func closing(sched hours.Schedule, now, at time.Time) *Closing {
	y, m, d := now.Date()
	c := &Closing{At: at, Time: hours.Clock(int(at.Sub(time.Date(y, m, d, 0, 0, 0, 0, now.Location())) / time.Minute)), Then: "over"}
	if next := sched.At(at).OpensAt; !next.IsZero() && sameDay(next, now) {
		c.Then = "break"
		if at.Hour() >= 10 && at.Hour() < 14 && next.Hour() >= 12 {
			c.Then = "lunch"
		}
	}
	return c
}

// reopening tells opening time at as seen at now.
func reopening(now, at time.Time) *Reopening {
	r := &Reopening{At: at, Day: hours.Days[at.Weekday()], Time: at.Format("15:04"), When: "day", Part: "evening"}
	switch {
	case sameDay(at, now):
		r.When = "today"
	case sameDay(at, now.AddDate(0, 0, 1)):
		r.When = "tomorrow"
	case at.Weekday() == now.Weekday():
		r.When = "next_week"
	}
	switch {
	case at.Hour() < 12:
		r.Part = "morning"
	case at.Hour() < 18:
		r.Part = "afternoon"
	}
	return r
}

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd
}
