package content

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// The files a pack's media/ may hold are the ones a kiosk can show or play,
// and this one table says which: pack lint checks every file of media/ by
// it (referenced or not: a file in a pack reaches every kiosk), and the hub
// studio checks each upload by it, so that an imported folder is held to
// the very rules of the upload form. Files are judged by their bytes, not
// their names: a text file called .png shows as a broken picture.

// mediaKind is one kind of media file.
type mediaKind struct {
	ext   string // lower case
	name  string // in lint messages; kiosk/studio says it in Vietnamese
	max   int64  // a kiosk screen needs no bigger picture; a narration line is a minute or two
	sound bool
	is    func(head []byte) bool // the file's first mediaHead bytes are of this kind; nil: an SVG, read whole
}

// mediaKinds in the order messages list them. No .m4a: AAC needs a
// GStreamer decoder (gst-libav or -bad) the kiosk's package does not
// install, so the kiosk's WebKit could not play it; Ogg (Vorbis, Opus:
// plugins-base) and MP3 (mpg123: plugins-good) it can.
var mediaKinds = []mediaKind{
	{ext: ".svg", name: "SVG drawing", max: 2 << 20},
	{ext: ".png", name: "PNG picture", max: 4 << 20, is: startsWith("\x89PNG\r\n\x1a\n")},
	{ext: ".webp", name: "WebP picture", max: 4 << 20, is: isWebP},
	{ext: ".jpg", name: "JPEG picture", max: 4 << 20, is: startsWith("\xff\xd8\xff")},
	{ext: ".jpeg", name: "JPEG picture", max: 4 << 20, is: startsWith("\xff\xd8\xff")},
	{ext: ".ogg", name: "Ogg sound", max: 16 << 20, sound: true, is: startsWith("OggS")},
	{ext: ".mp3", name: "MP3 sound", max: 16 << 20, sound: true, is: isMP3},
}

// mediaHead is how much of a picture or sound its kind is read from: the
// starter's narration is megabytes, and only its header says what it is.
const mediaHead = 512

// Extensions a lesson's or a question's picture and sound may have. A
// kiosk loads a pack with the Lint that checks these, and packs built
// before .m4a was refused may name one: they keep loading (silent where the
// kiosk cannot decode), while pack lint and build refuse the .m4a file
// itself, so no new pack carries one.
var (
	imageExts = mediaExts(false)
	audioExts = append(mediaExts(true), ".m4a")
)

func mediaExts(sound bool) []string {
	var out []string
	for _, k := range mediaKinds {
		if k.sound == sound {
			out = append(out, k.ext)
		}
	}
	return out
}

// mediaKindNamed is the kind name's extension says, if any.
func mediaKindNamed(name string) (mediaKind, bool) {
	ext := strings.ToLower(path.Ext(name))
	i := slices.IndexFunc(mediaKinds, func(k mediaKind) bool { return k.ext == ext })
	if i < 0 {
		return mediaKind{}, false
	}
	return mediaKinds[i], true
}

func startsWith(p string) func([]byte) bool {
	return func(b []byte) bool { return bytes.HasPrefix(b, []byte(p)) }
}

func isWebP(b []byte) bool {
	return len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP"
}

// isMP3 accepts an ID3 tag or an MPEG audio frame header.
func isMP3(b []byte) bool {
	return bytes.HasPrefix(b, []byte("ID3")) || len(b) >= 2 && b[0] == 0xFF && b[1]&0xE0 == 0xE0
}

// IsMediaName says whether name ends as a picture or sound of a pack does.
func IsMediaName(name string) bool {
	_, ok := mediaKindNamed(name)
	return ok
}

// IsSoundName says whether name ends as a sound of a pack does (the rest of
// media/ are pictures).
func IsSoundName(name string) bool {
	k, ok := mediaKindNamed(name)
	return ok && k.sound
}

// MediaProblem says why body, a file called name, may not go into a pack's
// media/, or "".
func MediaProblem(name string, body []byte) string {
	k, problem := mediaKindOf(name, int64(len(body)))
	if problem != "" {
		return problem
	}
	return k.check(body)
}

// MediaFileProblem is MediaProblem for file p of fsys, size bytes long; it
// reads only what the check needs.
func MediaFileProblem(fsys fs.FS, p string, size int64) string {
	k, problem := mediaKindOf(p, size)
	if problem != "" {
		return problem
	}
	f, err := fsys.Open(p)
	if err != nil {
		return err.Error()
	}
	defer f.Close()
	n := int64(mediaHead)
	if k.is == nil {
		n = size
	}
	body, err := io.ReadAll(io.LimitReader(f, n))
	if err != nil {
		return err.Error()
	}
	return k.check(body)
}

// mediaKindOf finds name's kind and checks size against it.
func mediaKindOf(name string, size int64) (mediaKind, string) {
	k, ok := mediaKindNamed(name)
	if !ok {
		return k, fmt.Sprintf("only pictures and sounds go in media/ (%s)", strings.Join(append(mediaExts(false), mediaExts(true)...), " "))
	}
	if size > k.max {
		return k, fmt.Sprintf("is %s, more than the %s allowed for one %s", megabytes(size), megabytes(k.max), k.name)
	}
	return k, ""
}

// check says why head is not of kind k, or "".
func (k mediaKind) check(head []byte) string {
	if k.is == nil {
		return UnsafeSVG(head)
	}
	if k.is(head) {
		return ""
	}
	return fmt.Sprintf("holds no %s, whatever its name says", k.name)
}

// megabytes writes n as "4 MB" or "20.5 MB".
func megabytes(n int64) string {
	return strings.TrimSuffix(strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64), ".0") + " MB"
}

var svgUnsafe = regexp.MustCompile(`(?i)<script|<foreignobject|javascript:|\son[a-z]+\s*=|(?:href|src)\s*=\s*["'](?:https?:)?//`)

// UnsafeSVG says why body is not a plain SVG drawing a kiosk may show (a
// script, an event handler, an outside link), or "".
func UnsafeSVG(body []byte) string {
	if !strings.Contains(string(body[:min(len(body), 512)]), "<svg") {
		return "is not an SVG drawing"
	}
	if m := svgUnsafe.Find(body); m != nil {
		return fmt.Sprintf("contains %q; illustrations may not script or load anything", m)
	}
	return ""
}
