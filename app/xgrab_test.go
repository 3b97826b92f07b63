//go:build smoke

package app

import (
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"strings"
)

// xGrabber reads the root window's pixels straight from the X server over its
// Unix socket (core protocol GetImage, no extension, no cgo). It costs a few
// milliseconds a frame, where spawning ImageMagick's `import` costs hundreds,
// so the window benchmark can poll for the first painted frame without
// slowing the start it measures. Xvfb runs with -ac, so no authorisation.
type xGrabber struct {
	conn   net.Conn
	root   uint32
	width  int
	height int
}

// dialX connects to display ":N" and reads the first screen's root window.
func dialX(display string) (*xGrabber, error) {
	conn, err := net.Dial("unix", "/tmp/.X11-unix/X"+strings.TrimPrefix(display, ":"))
	if err != nil {
		return nil, err
	}
	// Connection setup: little-endian, protocol 11.0, no authorisation.
	setup := []byte{'l', 0, 11, 0, 0, 0, 0, 0, 0, 0, 0, 0}
	if _, err := conn.Write(setup); err != nil {
		conn.Close()
		return nil, err
	}
	head := make([]byte, 8)
	if _, err := io.ReadFull(conn, head); err != nil {
		conn.Close()
		return nil, err
	}
	body := make([]byte, 4*int(binary.LittleEndian.Uint16(head[6:])))
	if _, err := io.ReadFull(conn, body); err != nil {
		conn.Close()
		return nil, err
	}
	if head[0] != 1 {
		conn.Close()
		return nil, fmt.Errorf("X server refused the connection: %q", body)
	}
	vendorLen := int(binary.LittleEndian.Uint16(body[16:]))
	formats := int(body[21])
	screen := 32 + (vendorLen+3)&^3 + 8*formats
	g := &xGrabber{
		conn:   conn,
		root:   binary.LittleEndian.Uint32(body[screen:]),
		width:  int(binary.LittleEndian.Uint16(body[screen+20:])),
		height: int(binary.LittleEndian.Uint16(body[screen+22:])),
	}
	return g, nil
}

func (g *xGrabber) Close() error { return g.conn.Close() }

// area is a rectangle of the screen, in pixels.
type area struct{ x, y, w, h int }

// screen is the whole screen.
func (g *xGrabber) screen() area { return area{0, 0, g.width, g.height} }

// inside is b (CSS pixels at device scale 1) clipped to the screen.
func (g *xGrabber) inside(b box) area {
	x0, y0 := max(0, int(b.X)), max(0, int(b.Y))
	x1, y1 := min(g.width, int(b.X+b.W)), min(g.height, int(b.Y+b.H))
	return area{x0, y0, max(1, x1-x0), max(1, y1-y0)}
}

// grab returns the pixels of a as 32-bit ZPixmap (BGRX on Xvfb's 24-bit
// default visual), row after row. Poll a small area: the whole screen is
// 8 MB a read, which at 50 reads a second cost the benchmark and the X
// server more than half a core, taken from the start being measured.
func (g *xGrabber) grab(a area) ([]byte, error) {
	req := make([]byte, 20)
	req[0] = 73 // GetImage
	req[1] = 2  // ZPixmap
	binary.LittleEndian.PutUint16(req[2:], 5)
	binary.LittleEndian.PutUint32(req[4:], g.root)
	binary.LittleEndian.PutUint16(req[8:], uint16(a.x))
	binary.LittleEndian.PutUint16(req[10:], uint16(a.y))
	binary.LittleEndian.PutUint16(req[12:], uint16(a.w))
	binary.LittleEndian.PutUint16(req[14:], uint16(a.h))
	binary.LittleEndian.PutUint32(req[16:], 0xffffffff)
	if _, err := g.conn.Write(req); err != nil {
		return nil, err
	}
	head := make([]byte, 32)
	if _, err := io.ReadFull(g.conn, head); err != nil {
		return nil, err
	}
	if head[0] != 1 {
		return nil, fmt.Errorf("GetImage failed: X error code %d", head[1])
	}
	data := make([]byte, 4*int(binary.LittleEndian.Uint32(head[4:])))
	_, err := io.ReadFull(g.conn, data)
	return data, err
}

// colours counts the distinct colours of pixels read by grab: a flat
// background has one or two, anti-aliased text dozens.
func colours(pix []byte) int {
	seen := map[uint32]bool{}
	last := uint32(1 << 31) // no pixel has this value
	for i := 0; i+3 < len(pix); i += 4 {
		// Runs of one colour (most of a flat background) cost no map lookup:
		// the benchmark polls this often and must leave the CPU to the kiosk.
		if c := uint32(pix[i]) | uint32(pix[i+1])<<8 | uint32(pix[i+2])<<16; c != last {
			seen[c], last = true, c
		}
	}
	return len(seen)
}
