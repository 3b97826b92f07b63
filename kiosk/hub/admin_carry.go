package hub

import (
	"context"
	"maps"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"
)

// Typed work outlives a lost session. An officer's session can end while
// they type: twelve hours pass, their password is changed on another
// machine, or they log out and in again in another tab. Their "Lưu" then
// arrives with no session, or with the token of one that has ended, and
// used to be refused with everything they typed.
//
// The console runs no script that could stash the text, so the form's
// values travel with the officer instead: the login page holds them as
// hidden fields, and once logged in, a page offers to send them again to
// where they were going. Nothing is done without that press, the form is
// checked and saved exactly as a fresh one would be (the version it stood
// on included), and only a form the console itself posted is carried.

// carryField prefixes a carried value's name on the login form, so that no
// field of the studio's can be read as the login's own "password" or "csrf".
const carryField = "carried."

// carryTo names, on the login form, where the carried form was going.
const carryTo = "carry_to"

// carried is a form that could not be done because its session had ended.
type carried struct {
	Action string      // where it was posted: path and query
	Fields []formField // its values, without the old token
	What   string      // what it did, in Vietnamese
}

// carryable says what a form posted to p does, or "" when it is not one
// that holds typed work: the studio's item and translation forms, and the
// review of a change (its notes).
func carryable(p string) string {
	if path.Clean(p) != p {
		return ""
	}
	switch {
	case strings.HasPrefix(p, "/admin/content/files/"):
		return "lưu tệp " + strings.TrimPrefix(p, "/admin/content/files/")
	case strings.HasPrefix(p, "/admin/content/translate/"):
		return "lưu bản dịch " + strings.TrimPrefix(p, "/admin/content/translate/")
	case strings.HasPrefix(p, "/admin/content/changes/"):
		return "gửi ý kiến hoặc thao tác cho thay đổi số " + strings.TrimSuffix(strings.TrimPrefix(p, "/admin/content/changes/"), "/review")
	}
	return ""
}

// carryOf is the form r posted, if it is one to carry: posted from this
// console (sameOrigin, with a browser's word for it), to a page that takes
// typed work, and not a file upload (files cannot be hidden fields).
func carryOf(r *http.Request) (*carried, bool) {
	what := carryable(r.URL.Path)
	if what == "" || r.Header.Get("Sec-Fetch-Site") != "same-origin" || !sameOrigin(r) {
		return nil, false
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
		return nil, false
	}
	if r.ParseForm() != nil {
		return nil, false
	}
	c := &carried{Action: r.URL.Path, What: what}
	if r.URL.RawQuery != "" {
		c.Action += "?" + r.URL.RawQuery
	}
	for _, name := range slices.Sorted(maps.Keys(r.PostForm)) {
		if name == "csrf" {
			continue
		}
		for _, v := range r.PostForm[name] {
			c.Fields = append(c.Fields, formField{name, v})
		}
	}
	return c, true
}

// carriedIn reads a carried form back from the login form's fields. Where
// it goes is checked again, since it came back from the browser.
func carriedIn(posted url.Values) *carried {
	u, err := url.Parse(posted.Get(carryTo))
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Fragment != "" {
		return nil
	}
	c := &carried{Action: u.RequestURI(), What: carryable(u.Path)}
	if c.What == "" {
		return nil
	}
	for _, name := range slices.Sorted(maps.Keys(posted)) {
		field, ok := strings.CutPrefix(name, carryField)
		if !ok || field == "csrf" {
			continue
		}
		for _, v := range posted[name] {
			c.Fields = append(c.Fields, formField{field, v})
		}
	}
	return c
}

// Back is the page the carried form was on (a GET of where it posted,
// in the same change), for leaving without sending it.
func (c *carried) Back() string {
	back, _, _ := strings.Cut(c.Action, "?")
	if i := slices.IndexFunc(c.Fields, func(f formField) bool { return f.Name == "change" }); i >= 0 {
		back += "?change=" + url.QueryEscape(c.Fields[i].Value)
	}
	return back
}

// LoginFields are the carried form as the login page holds it.
func (c *carried) LoginFields() []formField {
	out := []formField{{carryTo, c.Action}}
	for _, f := range c.Fields {
		out = append(out, formField{carryField + f.Name, f.Value})
	}
	return out
}

// resendPage offers to send a carried form again, now with a session.
func (h *Hub) resendPage(w http.ResponseWriter, r *http.Request, s session, c *carried) {
	h.nameCarried(r.Context(), c)
	h.render(w, r, http.StatusOK, "resend", s.page("Việc chưa làm xong", c))
}

// nameCarried says which item a carried save is for by its name, as the
// content index does, where the approved content has it.
func (h *Hub) nameCarried(ctx context.Context, c *carried) {
	p, ok := strings.CutPrefix(c.Action, "/admin/content/files/")
	if !ok {
		return
	}
	p, _, _ = strings.Cut(p, "?")
	if t, err := h.ApprovedTree(ctx); err == nil {
		if _, ok := t[p]; ok {
			title, _, _ := h.itemTitle(ctx, t, p)
			c.What = "lưu “" + title + "”"
		}
	}
}
