package cli

import (
	"fmt"
	"io/fs"
	"os"
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
	f := finding{check: "screens", say: msg("this binary holds the kiosk's screens")}
	if err := checkScreens(d.assets); err != nil {
		f.level = levelFault
		f.say = msg("this binary holds no screens (frontend/dist had no index.html when it was built): the kiosk stops at its start and residents see nothing")
		f.fix = msg("install a tramso package built with its screens (ask the province for it); to build one, build the frontend first, then the package (README, \"Building\"): package.sh refuses a build without frontend/dist/index.html")
	}
	return f
}

// languageFinding says which configured languages residents will not be
// offered, by the rule the kiosk's page is given (translate.Offers).
func languageFinding(cfg config.Config, shell, packFiles fs.FS, configPath string) finding {
	f := finding{check: "language"}
	offers, err := translate.Offers(cfg, shell, packFiles)
	if err != nil {
		f.level, f.say = levelWarn, msg("cannot tell which languages residents are offered: %s", err.Error())
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
		f.say = msg("residents are offered every configured language: %s", strings.Join(cfg.Languages, ", "))
		return f
	}
	share := msg("%s of screen lines translated", shares[0])
	if slices.ContainsFunc(shares, func(s string) bool { return s != shares[0] }) {
		var each []string
		for i := range dropped {
			each = append(each, dropped[i]+" "+shares[i])
		}
		share = msg("%s of screen lines translated", strings.Join(each, ", "))
	}
	f.level = levelWarn
	names := strings.Join(dropped, ", ")
	f.say = msg("%s is configured but residents will not see them: %s (offer_threshold %d%%)", names, share, cfg.OfferThreshold)
	if len(dropped) > 1 {
		f.say = msg("%s are configured but residents will not see them: %s (offer_threshold %d%%)", names, share, cfg.OfferThreshold)
	}
	f.fix = msg("have the screens translated (README, \"Translations: commissioning Ê Đê and M'nông\"), "+
		"or list them under offer_untranslated in %s to show them anyway, labelled \"chưa dịch đủ\"; then restart the kiosk", configPath)
	return f
}

// officeHoursFindings name each office hours line the kiosk cannot read:
// the office card then shows the lines as typed, with no "Hôm nay mở cửa"
// and no time it opens again (outside QA s26: "T2-T6 7h30-11h30, 13h30-17h"
// was not read, and doctor said the offices were fine). The card reads them
// with the same hours.ParseLine.
//
// Each is named with its line in the config file, as the config's own errors
// are: the technician edits by line.
func officeHoursFindings(offices []config.Office, configPath string) []finding {
	src, _ := os.ReadFile(configPath) // no file, no line: the finding still names the office
	var out []finding
	for i, o := range offices {
		for j, r := range hours.ReadLines(o.Hours) {
			line, err := o.Hours[j], r.Err
			if err == nil {
				continue
			}
			say := msg("office %q: the hours line %q cannot be read (%s): residents see this office's hours as typed, without \"Hôm nay mở cửa\" or when it opens again",
				o.ID, line, hoursError{err})
			if n := config.FieldLine(src, fmt.Sprintf("commune.offices[%d].hours[%d]", i, j)); n > 0 {
				say = msg("office %q: the hours line %q (line %d) cannot be read (%s): residents see this office's hours as typed, without \"Hôm nay mở cửa\" or when it opens again",
					o.ID, line, n, hoursError{err})
			}
			out = append(out, finding{check: "offices", level: levelWarn, say: say,
				fix: msg("write it in %s like %s; one line per set of days, then restart the kiosk", configPath, msg(hours.LineForm))})
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
