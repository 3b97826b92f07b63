package translate

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// pluralForms are the gettext Plural-Forms of each kiosk language. None of
// them inflects nouns for number, and the kiosk's texts use no plurals.
const pluralForms = "nplurals=1; plural=0;"

var placeholder = regexp.MustCompile(`\{\w+\}`)

// PO builds the PO file of units for lng.
func PO(units []Unit, lng string) *File {
	f := &File{Header: []string{
		"Project-Id-Version: Trạm Số",
		"PO-Revision-Date: " + time.Now().UTC().Format("2006-01-02 15:04-0700"),
		"Last-Translator: ",
		"Language-Team: ",
		"Language: " + lng,
		"MIME-Version: 1.0",
		"Content-Type: text/plain; charset=UTF-8",
		"Content-Transfer-Encoding: 8bit",
		"Plural-Forms: " + pluralForms,
		"X-Generator: tramso pack translations export",
	}}
	for _, u := range units {
		e := Entry{Ctxt: u.Ctxt, ID: u.Source, Str: u.Trans, Ref: u.File}
		e.Comments = append(e.Comments,
			"Shown: "+u.Where,
			fmt.Sprintf("Length budget: at most %d characters (the Vietnamese has %d)", u.Budget(), len([]rune(u.Source))))
		if ph := placeholder.FindAllString(u.Source, -1); len(ph) > 0 {
			e.Comments = append(e.Comments, "Keep these placeholders exactly as written: "+strings.Join(ph, " "))
		}
		f.Entries = append(f.Entries, e)
	}
	return f
}
