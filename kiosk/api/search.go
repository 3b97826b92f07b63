package api

import (
	"net/http"
	"unicode/utf8"

	"tramso/kiosk/httpjson"
	"tramso/kiosk/search"
)

// maxQuery bounds what is searched; nobody types more on a kiosk keyboard.
const maxQuery = 200

type searchAnswer struct {
	Results []search.Result `json:"results"`
	// Elsewhere is true, with no results, when what was asked for is
	// something the pack lists as not covered by the kiosk ("hộ chiếu").
	Elsewhere bool `json:"elsewhere"`
}

// searchAll answers GET /api/search?q=TEXT with procedures, tutorials and
// life events, best first: {"results":[{"kind","id","code","title"}],
// "elsewhere":false}, kind procedure | tutorial | life_event. Other tools
// rely on this shape. The query is never logged or stored.
func (s *Server) searchAll(w http.ResponseWriter, r *http.Request) {
	lang, ok := queryLang(w, r)
	if !ok {
		return
	}
	q := r.URL.Query().Get("q")
	if len(q) > maxQuery {
		q = q[:maxQuery]
		for len(q) > 0 && !utf8.ValidString(q) {
			q = q[:len(q)-1]
		}
	}
	a := search.ForPack(s.Content.Get().Pack).Find(q, lang)
	if a.Results == nil {
		a.Results = []search.Result{}
	}
	httpjson.Write(w, http.StatusOK, searchAnswer{Results: a.Results, Elsewhere: a.Elsewhere})
}
