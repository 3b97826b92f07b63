package hours

import (
	"slices"
	"time"
)

// Override is staff's exception to the weekly hours, set in the staff panel:
// open from From until Until (an evening class, a Sunday meeting), or closed
// from From until Until (closed for the rest of the day). It ends by itself
// at Until. A closing keeps the opening by staff it cut short (OpenedFrom
// to OpenedUntil, ending when the closing began): that opening still counts
// in the past it covers, so a kiosk opened until 21:00 and closed at 19:00
// has been closed since 19:00, not since the week's 17:00 (review s27).
// The zero Override changes nothing. Staff's actions (Schedule.Open,
// Schedule.Close, Override.Usual) make the next Override from the one in
// force.
type Override struct {
	Open                    bool
	From, Until             time.Time
	OpenedFrom, OpenedUntil time.Time
}

// Active says whether o is in force at now.
func (o Override) Active(now time.Time) bool {
	return !o.Until.IsZero() && !now.Before(o.From) && now.Before(o.Until)
}

// closing says whether o is a closing by staff in force at now.
func (o Override) closing(now time.Time) bool { return !o.Open && o.Active(now) }

// zone is the schedule's time zone, the machine's when none is named.
func (s Schedule) zone() *time.Location {
	if s.Loc == nil {
		return time.Local
	}
	return s.Loc
}

// AtWith is At with staff's override applied. An opening is joined with the
// week's openings it touches; a closing takes From..Until out of them. An
// override that has ended still counts in the past it covers: a kiosk opened
// until 21:00 has been closed since 21:00, not since 17:00.
func (s Schedule) AtWith(now time.Time, o Override) Status {
	loc := s.zone()
	now = now.In(loc)
	if s.Always {
		// Open all the time but for a closing: nothing else can change it.
		if o.closing(now) {
			return Status{OpensAt: o.Until.In(loc), ClosedSince: o.From.In(loc)}
		}
		return Status{Open: true}
	}
	return statusAt(now, s.Week[now.Weekday()], s.openings(now, o))
}

// openings are the week's openings around now in the schedule's zone, with
// staff's override applied.
func (s Schedule) openings(now time.Time, o Override) []interval {
	loc := s.zone()
	ivs := s.intervals(now.In(loc), loc)
	if o.OpenedUntil.After(o.OpenedFrom) {
		ivs = join(append(ivs, interval{o.OpenedFrom.In(loc), o.OpenedUntil.In(loc)}))
	}
	if !o.Until.After(o.From) {
		return ivs
	}
	iv := interval{o.From.In(loc), o.Until.In(loc)}
	if o.Open {
		return join(append(ivs, iv))
	}
	return cut(ivs, iv)
}

// Open is the override after staff open the kiosk at now until until, o in
// force: an opening still in force, made longer, keeps when it began.
func (s Schedule) Open(now time.Time, o Override, until time.Time) Override {
	from := now
	if o.Open && o.Active(now) {
		from = o.From
	}
	return Override{Open: true, From: from, Until: until}
}

// Close is the override after staff close the kiosk for today at now, o in
// force, until ClosedForToday; an opening by staff it cuts short still
// counts in the past.
func (s Schedule) Close(now time.Time, o Override) Override {
	c := Override{From: now, Until: s.ClosedForToday(now, o)}
	if o.closing(now) {
		c.From = o.From // closed already: since then, not since now
	}
	switch {
	case o.Open && o.From.Before(now):
		c.OpenedFrom, c.OpenedUntil = o.From, minTime(o.Until, now)
	case !o.Open:
		c.OpenedFrom, c.OpenedUntil = o.OpenedFrom, o.OpenedUntil
	}
	return c
}

// Usual is the override after staff go back to the usual hours at now: none
// in force, but staff's exception, cut short at now, still counts in the
// past: the band says "nghỉ từ 10:30" after a Sunday meeting ends early, not
// Friday's 17:00, and "nghỉ từ 10:00" at lunch after a funeral's closing is
// ended, not 11:30 (review s27).
func (o Override) Usual(now time.Time) Override {
	if o.Until.IsZero() || !o.From.Before(now) {
		return Override{}
	}
	o.Until = minTime(o.Until, now)
	return o
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// statusAt is the status at now among openings ivs, sorted and apart.
func statusAt(now time.Time, today []Span, ivs []interval) Status {
	st := Status{Today: today}
	for _, iv := range ivs {
		switch {
		case !iv.to.After(now):
			st.ClosedSince = iv.to
		case !iv.from.After(now):
			st.Open, st.ClosesAt = true, iv.to
		case st.OpensAt.IsZero() && !st.Open:
			st.OpensAt = iv.from
		}
	}
	if st.Open {
		st.ClosedSince = time.Time{}
	}
	return st
}

// join sorts openings and joins those that touch or overlap.
func join(ivs []interval) []interval {
	slices.SortFunc(ivs, func(a, b interval) int { return a.from.Compare(b.from) })
	var out []interval
	for _, iv := range ivs {
		if n := len(out); n > 0 && !iv.from.After(out[n-1].to) {
			if iv.to.After(out[n-1].to) {
				out[n-1].to = iv.to
			}
			continue
		}
		out = append(out, iv)
	}
	return out
}

// cut takes the closing c out of openings ivs.
func cut(ivs []interval, c interval) []interval {
	var out []interval
	for _, iv := range ivs {
		if !iv.to.After(c.from) || !iv.from.Before(c.to) {
			out = append(out, iv)
			continue
		}
		if iv.from.Before(c.from) {
			out = append(out, interval{iv.from, c.from})
		}
		if iv.to.After(c.to) {
			out = append(out, interval{c.to, iv.to})
		}
	}
	return out
}

// ClosedForToday is when "closed for today" from now ends, o in force: the
// start of the first opening that begins on a later day than today (in the
// schedule's zone), so that the rest of today's openings stay shut, and a
// night's opening running past midnight with them. Today is the day of now,
// or the evening the opening in force began when it carried on past
// midnight: an evening class kept open by staff and closed at 00:20 closes
// Monday, not all of Tuesday (review s27), and so does a week's night
// opening, Tuesday 18:00-24:00 with Wednesday 00:00-02:00, closed at 01:00:
// Wednesday's morning stays open. Without such an opening in the coming
// week (no hours set), it is the next midnight.
func (s Schedule) ClosedForToday(now time.Time, o Override) time.Time {
	loc := s.zone()
	now = now.In(loc)
	if s.Always {
		return midnight(now).AddDate(0, 0, 1)
	}
	day := now
	if from, ok := openSince(now, s.openings(now, o)); ok && from.Before(midnight(now)) {
		// The evening before at the earliest: a week open around the clock
		// is each day's own.
		day = maxTime(from, midnight(now).AddDate(0, 0, -1))
	}
	if at, ok := s.firstOpeningAfter(day, now); ok {
		return at
	}
	return midnight(now).AddDate(0, 0, 1)
}

// openSince is when the opening among ivs in force at now began.
func openSince(now time.Time, ivs []interval) (time.Time, bool) {
	for _, iv := range ivs {
		if !iv.from.After(now) && iv.to.After(now) {
			return iv.from, true
		}
	}
	return time.Time{}, false
}

// firstOpeningAfter is the start of the first of the week's openings on a
// day after day's and after now. An opening at 00:00 that carries on an
// evening's opening to 24:00 the day before is that evening's, not a new
// day's (Tuesday 18:00-24:00 and Wednesday 00:00-02:00 are one night); a
// day open around the clock is still each day's own.
func (s Schedule) firstOpeningAfter(day, now time.Time) (time.Time, bool) {
	y, m, d := day.Date()
	for off := 1; off <= 8; off++ {
		date := time.Date(y, m, d+off, 0, 0, 0, 0, day.Location())
		before := s.Week[date.AddDate(0, 0, -1).Weekday()]
		spans := slices.SortedFunc(slices.Values(s.Week[date.Weekday()]), func(a, b Span) int { return a.From - b.From })
		for _, sp := range spans {
			at := time.Date(y, m, d+off, 0, sp.From, 0, 0, day.Location())
			if !at.After(now) || (sp.From == 0 && carriesOn(before)) {
				continue
			}
			return at, true
		}
	}
	return time.Time{}, false
}

// carriesOn says whether a day's last opening runs to its midnight after
// starting later than the day's: an evening into the night.
func carriesOn(spans []Span) bool {
	last := Span{}
	for _, sp := range spans {
		if sp.To > last.To {
			last = sp
		}
	}
	return last.To == 24*60 && last.From > 0
}

// midnight is the start of t's day in t's zone.
func midnight(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

// Choices are what staff may do with the hours at now, o in force: the
// "Giờ mở cửa" card in the staff panel offers these and nothing else.
type Choices struct {
	// OpenUntil are the times staff may open the kiosk until, soonest
	// first: every whole hour at least 45 minutes away (an opening ends at
	// a time people say: "đến 20:00") up to 21:00 today (an evening class,
	// arranged during the day), and three at least.
	// While the kiosk is open, only those after it closes: "Mở thêm đến".
	// None without opening hours: such a kiosk is open but for a closing.
	OpenUntil []time.Time
	// CanClose says whether "closed for today" changes anything: the kiosk
	// is open, or today still has an opening ahead (before opening time, at
	// lunch: a funeral at noon closes the afternoon).
	CanClose bool
	// CloseUntil is when the kiosk opens again if closed for today.
	CloseUntil time.Time
}

// ChoicesAt is what staff may do with the hours at now, o in force. While
// staff's closing is in force it offers no opening: one tap on "Mở cửa đến
// 11:00" would replace the closing and open the afternoon again behind
// staff's back (review s27); "Trở lại giờ mở cửa thường lệ" comes first.
func (s Schedule) ChoicesAt(now time.Time, o Override) Choices {
	now = now.In(s.zone())
	st := s.AtWith(now, o)
	c := Choices{CloseUntil: s.ClosedForToday(now, o)}
	c.CanClose = st.Open || (!st.OpensAt.IsZero() && st.OpensAt.Before(c.CloseUntil))
	if s.Always || o.closing(now) {
		return c
	}
	for _, at := range openHours(now) {
		if !st.Open || at.After(st.ClosesAt) {
			c.OpenUntil = append(c.OpenUntil, at)
		}
	}
	return c
}

// Offers reports whether staff may open the kiosk at now until until, o in
// force: it is one of the times the card offers now (ChoicesAt), or offered
// a minute ago. The card reloads its choices every 30 s, and the first whole
// hour 45 minutes away moves on while staff read: the time they tapped is
// still taken. Nothing is taken when nothing may be opened now (staff's
// closing in force, no opening hours).
func (s Schedule) Offers(now time.Time, o Override, until time.Time) bool {
	offered := s.ChoicesAt(now, o).OpenUntil
	if len(offered) == 0 {
		return false
	}
	return slices.ContainsFunc(offered, until.Equal) ||
		slices.ContainsFunc(s.ChoicesAt(now.Add(-time.Minute), o).OpenUntil, until.Equal)
}

// openHours are the whole hours from the first at least 45 minutes from now
// up to 21:00 today, and three at least.
func openHours(now time.Time) []time.Time {
	first := now.Add(45*time.Minute + time.Hour - time.Nanosecond)
	first = time.Date(first.Year(), first.Month(), first.Day(), first.Hour(), 0, 0, 0, now.Location())
	y, m, d := now.Date()
	last := time.Date(y, m, d, 21, 0, 0, 0, now.Location())
	if last.Before(first.Add(2 * time.Hour)) {
		last = first.Add(2 * time.Hour) // three to choose from, late in the day too
	}
	var out []time.Time
	for at := first; !at.After(last); at = at.Add(time.Hour) {
		out = append(out, at)
	}
	return out
}
