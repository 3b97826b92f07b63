// Package qr turns text into QR code images, the kiosk's only way to send a
// resident anywhere: links and checklists leave on the resident's own phone.
package qr

import (
	"encoding/base64"
	"fmt"

	qrcode "github.com/skip2/go-qrcode"
)

// Size is the side in pixels every code is drawn at unless it carries more
// (the checklist): large enough to scan off the screen at arm's length.
const Size = 360

// MaxVersion is the densest code the kiosk draws: version 22, 105 modules
// (113 with the quiet zone), which an old phone camera still reads off the
// screen when it is drawn at least 410 CSS px wide (3.6 px a module).
const MaxVersion = 22

// MaxBytes is the most text one code carries: all that version 22 holds at
// low error correction. Longer texts are refused rather than drawn denser.
const MaxBytes = 1003

// PNG renders text as a PNG QR code of size×size pixels.
//
// The error correction is medium, which recovers 15% of the code, whenever
// the text fits version 22 with it; a longer text (a long checklist) gets
// low correction (7%) instead of smaller modules. A code on a screen is never
// torn or soiled, the damage correction exists for; what an old camera
// fails on is modules too small to tell apart.
func PNG(text string, size int) ([]byte, error) {
	q, err := encode(text)
	if err != nil {
		return nil, err
	}
	return q.PNG(size)
}

// encode is text's code at the highest correction within MaxVersion.
func encode(text string) (*qrcode.QRCode, error) {
	if text == "" {
		return nil, fmt.Errorf("qr: empty text")
	}
	if len(text) > MaxBytes {
		return nil, fmt.Errorf("qr: text is %d bytes, more than %d", len(text), MaxBytes)
	}
	for _, level := range []qrcode.RecoveryLevel{qrcode.Medium, qrcode.Low} {
		q, err := qrcode.New(text, level)
		if err != nil {
			return nil, fmt.Errorf("qr: %w", err)
		}
		if q.VersionNumber <= MaxVersion {
			return q, nil
		}
	}
	return nil, fmt.Errorf("qr: text of %d bytes needs a code denser than version %d", len(text), MaxVersion)
}

// DataURL renders text as a PNG data: URL, ready for an <img src>.
func DataURL(text string, size int) (string, error) {
	png, err := PNG(text, size)
	if err != nil {
		return "", err
	}
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(png), nil
}
