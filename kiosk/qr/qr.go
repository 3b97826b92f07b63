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

// MaxText is the most text one code carries; longer texts are refused rather
// than becoming codes too dense for an old phone camera.
const MaxText = 1200

// PNG renders text as a PNG QR code of size×size pixels with medium error
// correction, which phone cameras read reliably off a screen.
func PNG(text string, size int) ([]byte, error) {
	if text == "" {
		return nil, fmt.Errorf("qr: empty text")
	}
	if len(text) > MaxText {
		return nil, fmt.Errorf("qr: text is %d bytes, more than %d", len(text), MaxText)
	}
	return qrcode.Encode(text, qrcode.Medium, size)
}

// DataURL renders text as a PNG data: URL, ready for an <img src>.
func DataURL(text string, size int) (string, error) {
	png, err := PNG(text, size)
	if err != nil {
		return "", err
	}
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(png), nil
}
