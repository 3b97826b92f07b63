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

// grab returns the whole screen as 32-bit ZPixmap pixels (BGRX on Xvfb's
// 24-bit default visual), row after row.
func (g *xGrabber) grab() ([]byte, error) {
	req := make([]byte, 20)
	req[0] = 73 // GetImage
	req[1] = 2  // ZPixmap
	binary.LittleEndian.PutUint16(req[2:], 5)
	binary.LittleEndian.PutUint32(req[4:], g.root)
	binary.LittleEndian.PutUint16(req[12:], uint16(g.width))
	binary.LittleEndian.PutUint16(req[14:], uint16(g.height))
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

// coloursIn counts the distinct colours of a frame inside b: a flat
// background has one or two, anti-aliased text dozens.
func (g *xGrabber) coloursIn(pix []byte, b box) int {
	seen := map[uint32]bool{}
	for y := max(0, int(b.Y)); y < min(g.height, int(b.Y+b.H)); y++ {
		for x := max(0, int(b.X)); x < min(g.width, int(b.X+b.W)); x++ {
			i := 4 * (y*g.width + x)
			seen[uint32(pix[i])|uint32(pix[i+1])<<8|uint32(pix[i+2])<<16] = true
		}
	}
	return len(seen)
}
