// Package formtest reads a rendered page's form as a browser would post it,
// for the tests of the studio's forms and of the console pages that show
// them: they post back exactly what the page holds, not a hand-made copy.
package formtest

import (
	"fmt"
	"net/url"
	"strings"

	"golang.org/x/net/html"
)

// Post is what a browser sends for the first <form> of page whose class
// list has class (every form of the page when class is ""): each named
// input but unchecked boxes, files and submit buttons; textareas with the
// \r\n line ends browsers send; a select's chosen option, else its first.
func Post(page, class string) (url.Values, error) {
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		return nil, err
	}
	root := doc
	if class != "" {
		if root = find(doc, class); root == nil {
			return nil, fmt.Errorf("no form of class %q on the page", class)
		}
	}
	vals := url.Values{}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			field(n, vals)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	return vals, nil
}

// find is the first form of class below n.
func find(n *html.Node, class string) *html.Node {
	if n.Type == html.ElementNode && n.Data == "form" && hasClass(n, class) {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := find(c, class); f != nil {
			return f
		}
	}
	return nil
}

func field(n *html.Node, vals url.Values) {
	name := Attr(n, "name")
	if name == "" {
		return
	}
	switch n.Data {
	case "input":
		switch Attr(n, "type") {
		case "checkbox", "radio":
			if !hasAttr(n, "checked") {
				return
			}
		case "submit", "file", "button", "image", "reset":
			return
		}
		vals.Add(name, Attr(n, "value"))
	case "textarea":
		var b strings.Builder
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			b.WriteString(c.Data)
		}
		vals.Add(name, strings.ReplaceAll(b.String(), "\n", "\r\n"))
	case "select":
		chosen, first := "", true
		for o := n.FirstChild; o != nil; o = o.NextSibling {
			if o.Type == html.ElementNode && o.Data == "option" && (first || hasAttr(o, "selected")) {
				chosen, first = Attr(o, "value"), false
			}
		}
		vals.Add(name, chosen)
	}
}

func hasClass(n *html.Node, class string) bool {
	for _, c := range strings.Fields(Attr(n, "class")) {
		if c == class {
			return true
		}
	}
	return false
}

// Attr is the value of n's attribute key, "" when it has none.
func Attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}
