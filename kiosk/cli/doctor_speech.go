package cli

import (
	"context"
	"os/exec"
	"path"
	"strings"
	"time"

	"tramso/kiosk/config"
	"tramso/kiosk/speech"
)

// sampleWords are what doctor asks each voice to say.
var sampleWords = map[string]string{"vi": "Xin chào", "en": "Hello"}

// checkSpeech wants the kiosk's own voice to speak every configured voice:
// without it, screens that have no recorded narration cannot be heard. Only
// a warning: the kiosk works, and recordings still play.
func (d *doctor) checkSpeech(cfg config.Config) []finding {
	e := speech.New(cfg.Speech)
	switch {
	case cfg.Speech.Engine == config.SpeechOff:
		return []finding{{check: "speech", level: levelWarn,
			say: msg("the kiosk's voice is off (speech.engine: off): screens without a recorded narration cannot be heard"),
			fix: msg("set speech.engine: espeak-ng in %s", d.configPath)}}
	case e.Path() == "":
		return []finding{{check: "speech", level: levelWarn,
			say: msg("the speech engine %q is not installed: screens without a recorded narration cannot be heard", cfg.Speech.Engine),
			fix: msg("apt-get install espeak-ng (the tramso package depends on it), or set speech.engine in %s to where it is", d.configPath)}}
	case len(e.Voices()) == 0:
		return []finding{{check: "speech", level: levelWarn,
			say: msg("no voice is configured (speech.voices is empty): screens without a recorded narration cannot be heard"),
			fix: msg("set speech.voices in %s, for example {vi: vi, en: en}", d.configPath)}}
	}
	installed := installedVoices(e.Path())
	var out []finding
	for _, lang := range e.Voices() {
		voice, _ := e.Voice(lang)
		if installed != nil && !installed[strings.ToLower(voice)] {
			// espeak-ng speaks an unknown voice's name with its default voice
			// and says nothing: "vi-vn-x-centrl" (one letter lost) read Vietnamese
			// with the default voice.
			out = append(out, finding{check: "speech", level: levelWarn,
				say: msg("the voice %s for %s is not installed: the engine would read with its default voice", voice, lang),
				fix: msg("list the installed voices with `espeak-ng --voices=%s` and set speech.voices.%s in %s to one of them", lang, lang, d.configPath)})
			continue
		}
		out = append(out, d.trySpeak(e, lang, voice))
	}
	return out
}

// installedVoices asks the engine for its voices (espeak-ng --voices), by
// language code, name and file, lower case; nil when it cannot be told.
func installedVoices(engine string) map[string]bool {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, engine, "--voices").Output()
	if err != nil {
		return nil
	}
	voices := map[string]bool{}
	for _, line := range strings.Split(string(out), "\n")[1:] {
		f := strings.Fields(line)
		if len(f) < 5 {
			continue
		}
		voices[strings.ToLower(f[1])] = true // language: vi-vn-x-central
		voices[strings.ToLower(f[3])] = true // name: Vietnamese_(Central)
		voices[strings.ToLower(f[4])] = true // file: aav/vi-VN-x-central
		voices[strings.ToLower(path.Base(f[4]))] = true
		for _, other := range f[5:] { // other languages: "(en 2)"
			if strings.HasPrefix(other, "(") {
				voices[strings.ToLower(strings.TrimPrefix(other, "("))] = true
			}
		}
	}
	if len(voices) == 0 {
		return nil
	}
	return voices
}

// trySpeak has one voice say a short word, as the kiosk would.
func (d *doctor) trySpeak(e *speech.Engine, lang, voice string) finding {
	f := finding{check: "speech"}
	word, ok := sampleWords[lang]
	if !ok {
		word = "Trạm Số"
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	wav, err := e.Say(ctx, lang, word)
	if err == nil {
		var format speech.Format
		if format, err = speech.ParseWAV(wav); err == nil {
			f.say = msg("%s speaks %s with voice %s (%.1f s for %q)", e.Path(), lang, voice, format.Duration().Seconds(), word)
			return f
		}
	}
	f.level = levelWarn
	f.say = msg("the voice %s for %s cannot speak: %v", voice, lang, err)
	f.fix = msg("list the installed voices with `espeak-ng --voices=%s` and set speech.voices.%s in %s to one of them (apt-get install --reinstall espeak-ng-data if none is listed)", lang, lang, d.configPath)
	return f
}
