package cli

import (
	"bufio"
	"flag"
	"fmt"
	"strings"

	"tramso/kiosk/lang"
	"tramso/kiosk/speech"
)

// cmdPackSpeechPath tells a content team where a person's recording of a
// screen line goes in a pack source folder, so the kiosk plays it instead of
// its synthetic voice. Texts come as arguments, or one per line on stdin (a
// recording script); each answer is "path<TAB>text".
var cmdPackSpeechPath = &command{
	name:    "pack speech-path",
	summary: "print where the recording of a screen line goes in a pack source folder",
	usage:   "[--lang vi] [ARG ...]   (each ARG a line as shown on screen; none: one per line on stdin)",
	flags: func(fs *flag.FlagSet) func(*Env) error {
		code := fs.String("lang", "vi", "the language the line is shown in: "+lang.KnownList())
		return func(env *Env) error {
			if !lang.IsKnown(*code) {
				return usagef("pack speech-path: --lang must be one of %s, not %q", lang.KnownList(), *code)
			}
			texts := fs.Args()
			if len(texts) == 0 {
				sc := bufio.NewScanner(env.Stdin)
				for sc.Scan() {
					if strings.TrimSpace(sc.Text()) != "" {
						texts = append(texts, sc.Text())
					}
				}
				if err := sc.Err(); err != nil {
					return err
				}
			}
			for _, text := range texts {
				p, err := speech.RecordingPath(*code, text)
				if err != nil {
					return fmt.Errorf("pack speech-path: %q: %w", text, err)
				}
				fmt.Fprintf(env.Stdout, "%s\t%s\n", p, strings.Join(strings.Fields(text), " "))
			}
			return nil
		}
	},
}
