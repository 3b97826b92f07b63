package config

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestSpeechDefaults(t *testing.T) {
	cases := []struct {
		name, yaml string
		want       Speech
	}{
		{"section absent", "commune: {name: Ea Kao}\n", Speech{Engine: "espeak-ng", Rate: 140, Voices: map[string]string{"vi": "vi", "en": "en"}}},
		{"only the rate", "speech:\n  rate: 110\n", Speech{Engine: "espeak-ng", Rate: 110, Voices: map[string]string{"vi": "vi", "en": "en"}}},
		{"a southern voice, no English", "speech:\n  voices: {vi: vi-vn-x-south}\n", Speech{Engine: "espeak-ng", Rate: 140, Voices: map[string]string{"vi": "vi-vn-x-south"}}},
		{"no voice at all", "speech:\n  voices: {}\n", Speech{Engine: "espeak-ng", Rate: 140, Voices: map[string]string{}}},
		{"off", "speech:\n  engine: \"off\"\n", Speech{Engine: SpeechOff, Rate: 140, Voices: map[string]string{"vi": "vi", "en": "en"}}},
		{"absolute path, variant voice", "speech:\n  engine: /opt/espeak/bin/espeak-ng\n  rate: 260\n  voices: {vi: vi+f3, en: en-gb, rad: vi_central}\n",
			Speech{Engine: "/opt/espeak/bin/espeak-ng", Rate: 260, Voices: map[string]string{"vi": "vi+f3", "en": "en-gb", "rad": "vi_central"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg, err := Parse(strings.NewReader(c.yaml))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(cfg.Speech, c.want) {
				t.Fatalf("speech = %+v, want %+v", cfg.Speech, c.want)
			}
		})
	}
	if d := Default(); d.Speech.Engine != "espeak-ng" || d.Speech.Rate != 140 || d.Speech.Voices["vi"] != "vi" {
		t.Fatalf("Default() speech = %+v", d.Speech)
	}
}

// The example documents the defaults: its speech section must be them.
func TestExampleSpeechIsTheDefault(t *testing.T) {
	c, err := Load(filepath.Join("..", "..", "build", "config.example.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if want := Default().Speech; !reflect.DeepEqual(c.Speech, want) {
		t.Fatalf("example speech = %+v, defaults are %+v", c.Speech, want)
	}
}
