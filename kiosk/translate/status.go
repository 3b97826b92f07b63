package translate

import (
	"io/fs"
	"strings"

	"tramso/kiosk/lang"
	"tramso/kiosk/speech"
)

// Count is done out of total.
type Count struct {
	Done, Total int
}

// Coverage is how far one language is translated and recorded.
type Coverage struct {
	Lang       string
	Shell      Count
	Lessons    Count // lessons and the course texts
	Procedures Count // procedures and life events
	Recorded   Count // lines in this language with a person's recording
}

// Status measures every known language of the pack source folder src.
// Vietnamese is the source: always translated, only its recordings vary.
func Status(shell, src fs.FS) ([]Coverage, error) {
	var out []Coverage
	for _, l := range lang.Known {
		units, err := Collect(shell, src, l)
		if err != nil {
			return nil, err
		}
		c := Coverage{Lang: l}
		for _, u := range units {
			text := u.Trans
			if l == "vi" {
				text = u.Source
			}
			var n *Count
			switch kind, _, _ := strings.Cut(u.Ctxt, ":"); kind {
			case "shell":
				n = &c.Shell
			case "lesson", "course":
				n = &c.Lessons
			default:
				n = &c.Procedures
			}
			n.Total++
			c.Recorded.Total++
			if text != "" {
				n.Done++
				if speech.FindRecording(src, l, text) != "" {
					c.Recorded.Done++
				}
			}
		}
		out = append(out, c)
	}
	return out, nil
}
