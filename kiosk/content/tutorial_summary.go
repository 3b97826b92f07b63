package content

import (
	"fmt"
	"strings"
	"time"
)

// maxSummaryBytes keeps the summary QR code sparse enough for an old phone
// camera to read off the screen (well under qr.MaxBytes).
const maxSummaryBytes = 560

// TutorialSummary is the plain text a resident takes home in a QR code: the
// lessons finished today and what each taught, readable with no network.
// Unknown ids are an error; repeated ids count once.
func (p *Pack) TutorialSummary(ids []string, lang string, day time.Time) (string, error) {
	if p.Course == nil {
		return "", fmt.Errorf("this content has no lessons")
	}
	var lessons []*Tutorial
	seen := map[string]bool{}
	for _, id := range ids {
		t, _, ok := p.Tutorial(id)
		if !ok {
			return "", fmt.Errorf("no lesson %q in this content", id)
		}
		if !seen[id] {
			seen[id] = true
			lessons = append(lessons, t)
		}
	}
	if len(lessons) == 0 {
		return "", fmt.Errorf("no lessons given")
	}
	title, _ := p.Course.SummaryTitle.In(lang)
	head := strings.ReplaceAll(title, "{date}", day.Format("02/01/2006"))
	foot, _ := p.Course.SummaryFooter.In(lang)
	tail := ""
	if foot != "" {
		tail = "\n" + foot
	}
	// Say as much as fits: every lesson with what it taught, else titles
	// only. The footer (where to learn more, where to ask) always goes whole.
	for _, withLearnt := range []bool{true, false} {
		var b strings.Builder
		b.WriteString(head)
		for _, t := range lessons {
			s, _ := t.Title.In(lang)
			b.WriteString("\n✓ " + s)
			if withLearnt {
				for _, l := range t.Learnt {
					s, _ := l.In(lang)
					b.WriteString("\n  - " + s)
				}
			}
		}
		if b.Len()+len(tail) <= maxSummaryBytes {
			return b.String() + tail, nil
		}
	}
	// Too many lessons for even their titles: as many whole title lines as
	// fit, then "…" (more were learnt), then the whole footer.
	const more = "\n…"
	var b strings.Builder
	b.WriteString(head)
	for _, t := range lessons {
		s, _ := t.Title.In(lang)
		line := "\n✓ " + s
		if b.Len()+len(line)+len(more)+len(tail) > maxSummaryBytes {
			break
		}
		b.WriteString(line)
	}
	// A head and footer too long for the code on their own (a pack's wording,
	// not the lessons) are cut, marked, as a last resort.
	return truncateUTF8(b.String()+more+tail, maxSummaryBytes), nil
}

// truncateUTF8 cuts s to at most n bytes on a character boundary, marking the cut.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n - len("…")
	for cut > 0 && (s[cut]&0xC0) == 0x80 {
		cut--
	}
	return s[:cut] + "…"
}
