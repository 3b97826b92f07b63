package cli

import (
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"tramso/kiosk/config"
	"tramso/kiosk/content"
	"tramso/kiosk/hours"
	"tramso/kiosk/translate"
)

// checkScreens is serve's and the window's own refusal (checkScreens), said
// before the kiosk starts: a package built with SKIP_FRONTEND=1 from a clean
// checkout installed cleanly, doctor said nothing, and the kiosk stopped at
// its start (outside QA s26).
func (d *doctor) checkScreens() finding {
	f := finding{check: "screens", say: "this binary holds the kiosk's screens"}
	if err := checkScreens(d.assets); err != nil {
		f.level = levelFault
		f.say = "this binary holds no screens (frontend/dist had no index.html when it was built): the kiosk stops at its start and residents see nothing"
		f.fix = "install a tramso package built with its screens (ask the province for it); to build one, build the frontend first, then the package (README, \"Building\"): package.sh refuses a build without frontend/dist/index.html"
	}
	return f
}

// languageFinding says which configured languages residents will not be
// offered, by the rule the kiosk's page is given (translate.Offers).
func languageFinding(cfg config.Config, shell, packFiles fs.FS, configPath string) finding {
	f := finding{check: "language"}
	offers, err := translate.Offers(cfg, shell, packFiles)
	if err != nil {
		f.level, f.say = levelWarn, "cannot tell which languages residents are offered: "+err.Error()
		return f
	}
	var dropped, shares []string
	for _, o := range offers {
		if o.Offered {
			continue
		}
		dropped = append(dropped, config.LanguageName(o.Lang))
		shares = append(shares, fmt.Sprintf("%d%%", o.Percent()))
	}
	if len(dropped) == 0 {
		f.say = "residents are offered every configured language: " + strings.Join(cfg.Languages, ", ")
		return f
	}
	share := shares[0] + " of screen lines translated"
	if slices.ContainsFunc(shares, func(s string) bool { return s != shares[0] }) {
		var each []string
		for i := range dropped {
			each = append(each, dropped[i]+" "+shares[i])
		}
		share = strings.Join(each, ", ") + " of screen lines translated"
	}
	verb := "is"
	if len(dropped) > 1 {
		verb = "are"
	}
	f.level = levelWarn
	f.say = fmt.Sprintf("%s %s configured but residents will not see them: %s (offer_threshold %d%%)",
		strings.Join(dropped, ", "), verb, share, cfg.OfferThreshold)
	f.fix = "have the screens translated (README, \"Translations: commissioning Ê Đê and M'nông\"), " +
		"or list them under offer_untranslated in " + configPath + " to show them anyway, labelled \"chưa dịch đủ\"; then restart the kiosk"
	return f
}

// officeHoursFindings name each office hours line the kiosk cannot read:
// the office card then shows the lines as typed, with no "Hôm nay mở cửa"
// and no time it opens again (outside QA s26: "T2-T6 7h30-11h30, 13h30-17h"
// was not read, and doctor said the offices were fine). The card reads them
// with the same hours.ParseLine.
func officeHoursFindings(offices []config.Office, configPath string) []finding {
	var out []finding
	for _, o := range offices {
		for _, line := range o.Hours {
			_, err := hours.ParseLine(line)
			if err == nil {
				continue
			}
			out = append(out, finding{check: "offices", level: levelWarn,
				say: fmt.Sprintf("office %q: the hours line %q cannot be read (%v): residents see this office's hours as typed, without \"Hôm nay mở cửa\" or when it opens again", o.ID, line, err),
				fix: "write it in " + configPath + " like " + hours.LineForm + "; one line per set of days, then restart the kiosk"})
		}
	}
	return out
}

// packFilesOf is the files of the content shown: the pack's, or the
// starter's when p is nil.
func packFilesOf(p *content.Pack) fs.FS {
	if p == nil || p.Files == nil {
		return content.Starter()
	}
	return p.Files
}
