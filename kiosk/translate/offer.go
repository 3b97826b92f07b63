package translate

import (
	"errors"
	"io/fs"
	"slices"

	"tramso/kiosk/config"
)

// Reason says why a configured language is or is not offered to residents.
type Reason string

const (
	// Source: Vietnamese, the language every screen is written in.
	Source Reason = "source"
	// Translated: at least offer_threshold percent of the screen lines.
	Translated Reason = "translated"
	// Forced: fewer lines than the threshold, offered because the config
	// names it in offer_untranslated; the chooser labels it "chưa dịch đủ".
	Forced Reason = "offer_untranslated"
	// BelowThreshold: fewer lines than the threshold, so not offered.
	BelowThreshold Reason = "below_threshold"
	// Unmeasured: no screens to count lines in (the hub's preview), so
	// offered only when offer_untranslated names it, and not labelled
	// "chưa dịch đủ": nobody knows how far it is translated.
	Unmeasured Reason = "unmeasured"
)

// Offer is whether residents are offered one configured language, and why.
type Offer struct {
	Lang string
	// Done of Total Vietnamese screen lines, the language's own name
	// (shell.lang.self) aside, have its own text: the chooser shows that
	// name before a single screen is translated.
	Done, Total int
	Offered     bool
	Why         Reason
}

// Percent is the share of screen lines translated, rounded down: 99 until
// the last line is in.
func (o Offer) Percent() int {
	if o.Total == 0 {
		return 0
	}
	return o.Done * 100 / o.Total
}

// Partly reports whether o is offered with fewer lines translated than
// offer_threshold asks: residents meet Vietnamese lines in it.
func (o Offer) Partly() bool { return o.Why == Forced }

// ErrNoScreens is Offers' answer without screens to count lines in; the
// caller then offers what OffersUnmeasured says.
var ErrNoScreens = errors.New("no screens to count the translated lines of")

// OffersUnmeasured is the rule where the translated lines cannot be
// counted (no screens: the hub's preview; or catalogues that do not read):
// Vietnamese and what offer_untranslated names, in the config's order; the
// rest not offered. No percentage is claimed either way.
func OffersUnmeasured(cfg config.Config) []Offer {
	out := make([]Offer, 0, len(cfg.Languages))
	for _, code := range cfg.Languages {
		o := Offer{Lang: code, Why: Unmeasured}
		switch {
		case code == "vi":
			o.Offered, o.Why = true, Source
		case slices.Contains(cfg.OfferUntranslated, code):
			o.Offered = true
		}
		out = append(out, o)
	}
	return out
}

// Offers is the one rule for which configured languages residents are
// offered, in the config's order: Vietnamese always; another language when
// at least offer_threshold percent of the Vietnamese screen lines have its
// text in the binary's catalogues (shell: i18n/<lang>/*.json, the built
// screens or the frontend's source) or the content pack's (pack, which
// wins, as the page lays it over the binary's), or when offer_untranslated
// names it. The kiosk's API gives the page the result and doctor says it,
// so the two cannot disagree (outside QA s26: Ê Đê and M'nông configured,
// silently not offered, and nothing said why).
func Offers(cfg config.Config, shell, pack fs.FS) ([]Offer, error) {
	if shell == nil {
		return nil, ErrNoScreens
	}
	out := make([]Offer, 0, len(cfg.Languages))
	for _, code := range cfg.Languages {
		o := Offer{Lang: code}
		if code == "vi" {
			o.Offered, o.Why = true, Source
			out = append(out, o)
			continue
		}
		units, err := shellUnits(shell, pack, code)
		if err != nil {
			return nil, err
		}
		for _, u := range units {
			if u.NS+"."+u.Key == "shell.lang.self" {
				continue
			}
			o.Total++
			if u.Trans != "" {
				o.Done++
			}
		}
		switch {
		case o.Total > 0 && o.Done*100 >= cfg.OfferThreshold*o.Total:
			o.Offered, o.Why = true, Translated
		case slices.Contains(cfg.OfferUntranslated, code):
			o.Offered, o.Why = true, Forced
		default:
			o.Why = BelowThreshold
		}
		out = append(out, o)
	}
	return out, nil
}
