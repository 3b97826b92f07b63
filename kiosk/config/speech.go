package config

import (
	"fmt"
	"maps"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"tramso/kiosk/lang"
)

// Speech configures the kiosk's own voice: screens without a recorded
// narration are read aloud on the device by a speech engine (espeak-ng).
//
//	speech:
//	  engine: espeak-ng          # command or absolute path; "off" turns it off
//	  rate: 140                  # words per minute, 80..260
//	  voices: {vi: vi, en: en}   # session language → engine voice
type Speech struct {
	Engine string            `yaml:"engine"`
	Rate   int               `yaml:"rate"`
	Voices map[string]string `yaml:"voices"` // absent: the defaults; {}: no voice at all
}

// SpeechOff as speech.engine turns the kiosk's own voice off.
const SpeechOff = "off"

// Speech rate bounds in words per minute: slow enough for elderly listeners,
// never so slow that a line drags.
const (
	MinSpeechRate = 80
	MaxSpeechRate = 260
)

var voiceName = regexp.MustCompile(`^[A-Za-z0-9_+-]{1,40}$`)

// DefaultVoices are espeak-ng's voices for the languages it has; Ê Đê and
// M'nông have none, so those screens rely on recordings.
func DefaultVoices() map[string]string { return map[string]string{"vi": "vi", "en": "en"} }

func (s *Speech) applyDefaults() {
	if s.Engine == "" {
		s.Engine = "espeak-ng"
	}
	if s.Rate == 0 {
		s.Rate = 140
	}
	if s.Voices == nil {
		s.Voices = DefaultVoices()
	}
}

func (c *Config) validateSpeech() error {
	s := c.Speech
	engine := strings.TrimSpace(s.Engine)
	switch {
	case engine != s.Engine || strings.ContainsAny(engine, " \t\n"):
		return &FieldError{"speech.engine", fmt.Sprintf("%q must be a command name or an absolute path, without arguments", s.Engine)}
	case strings.Contains(engine, "/") && !filepath.IsAbs(engine):
		return &FieldError{"speech.engine", fmt.Sprintf("%q is a relative path; give a command name (espeak-ng) or an absolute path", s.Engine)}
	case s.Rate < MinSpeechRate || s.Rate > MaxSpeechRate:
		return &FieldError{"speech.rate", fmt.Sprintf("%d is outside %d..%d words per minute", s.Rate, MinSpeechRate, MaxSpeechRate)}
	}
	// In order, so the first problem reported is the same every run.
	for _, code := range slices.Sorted(maps.Keys(s.Voices)) {
		field := "speech.voices." + code
		if !lang.IsKnown(code) {
			return &FieldError{field, fmt.Sprintf("%q is not one of %s", code, lang.KnownList())}
		}
		if !voiceName.MatchString(s.Voices[code]) {
			return &FieldError{field, fmt.Sprintf("%q is not a voice name (letters, digits, _ + -, at most 40), like vi or vi-vn-x-south", s.Voices[code])}
		}
	}
	return nil
}
