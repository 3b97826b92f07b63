package speech

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"path"
)

// Recorded lines: a content pack may carry a person's recording of any line
// a screen shows, and the kiosk then plays it instead of its synthetic voice
// wherever that exact text is read (in that language). A recording is found
// by its text, so it can never be played for a text it does not say: change
// the text and the old recording simply stops being used.
//
// The file is media/speech/<lang>/<key>.<ext> in the pack, where key is
// RecordingKey(lang, text); `tramso pack speech-path` prints it for a text.

// RecordingExts are the audio formats a recording may have, in lookup order.
var RecordingExts = []string{".ogg", ".mp3", ".m4a"}

// RecordingKey names the recording of text in lang: the first 16 hex digits
// of SHA-256 over the language, a newline and the normalised text.
func RecordingKey(lang, text string) (string, error) {
	text, err := Normalize(text)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256([]byte(lang + "\n" + text))
	return hex.EncodeToString(sum[:8]), nil
}

// RecordingPath is where the recording of text goes in a pack source folder,
// as an Ogg file (media/speech/<lang>/<key>.ogg).
func RecordingPath(lang, text string) (string, error) {
	key, err := RecordingKey(lang, text)
	if err != nil {
		return "", err
	}
	return path.Join("media", "speech", lang, key+".ogg"), nil
}

// FindRecording returns the path in files of a recording of text in lang,
// or "" when the pack has none.
func FindRecording(files fs.FS, lang, text string) string {
	key, err := RecordingKey(lang, text)
	if err != nil {
		return ""
	}
	for _, ext := range RecordingExts {
		p := path.Join("media", "speech", lang, key+ext)
		if st, err := fs.Stat(files, p); err == nil && st.Mode().IsRegular() {
			return p
		}
	}
	return ""
}

// RecordedLanguages lists the languages (among langs) for which files holds
// at least one recorded line.
func RecordedLanguages(files fs.FS, langs []string) []string {
	out := []string{}
	for _, lang := range langs {
		entries, err := fs.ReadDir(files, path.Join("media", "speech", lang))
		if err == nil && len(entries) > 0 {
			out = append(out, lang)
		}
	}
	return out
}
