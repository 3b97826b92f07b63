package update

import (
	"errors"
	"slices"
	"time"
)

// A cloned disk, or a backup restored onto a second machine, gives two
// kiosks one enrollment. The hub keeps one connection per device: each
// machine's connection replaces the other's, and without a word they knock
// each other off for good (outside QA Q10). A kiosk only hears "replaced"
// on a connection that is still alive — when it reconnects itself, its old
// connection is already gone — so hearing it repeatedly means another
// machine holds its token.

// ConnectDuplicate is Status.ConnectProblem while another machine uses this
// kiosk's enrollment.
const ConnectDuplicate = "duplicate"

// replacedLimit replacements within replacedWindow make a duplicate.
const (
	replacedLimit  = 3
	replacedWindow = 10 * time.Minute
)

// duplicateMeaning is what a duplicate means and what to do, for the log and
// for staff (Status.ConnectError).
const duplicateMeaning = "another machine uses this kiosk's enrollment — a cloned disk or restored backup: " +
	"enroll one of them with its own code (tramso enroll --hub URL --code CODE --key-id ID)"

// errReplaced: the hub closed the connection because another one came with
// this kiosk's token.
var errReplaced = errors.New("the hub closed the connection: replaced")

// noteReplaced records a replacement at now and reports whether the kiosk
// is now a duplicate; the first time it is, the log says so at ERROR.
func (c *Client) noteReplaced(now time.Time) bool {
	c.mu.Lock()
	c.replaced = append(c.replaced, now)
	dup := c.duplicateLocked(now)
	first := dup && !c.duplicateLogged
	c.duplicateLogged = c.duplicateLogged || dup
	c.mu.Unlock()
	if first {
		c.log.Error("the hub replaced this kiosk's connection by another one with its enrollment, again and again: "+duplicateMeaning,
			"times", replacedLimit, "within", replacedWindow)
	}
	return dup
}

// duplicate reports whether replacedLimit replacements fall within the last
// replacedWindow.
func (c *Client) duplicate(now time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.duplicateLocked(now)
}

func (c *Client) duplicateLocked(now time.Time) bool {
	c.replaced = slices.DeleteFunc(c.replaced, func(t time.Time) bool { return now.Sub(t) > replacedWindow })
	return len(c.replaced) >= replacedLimit
}
