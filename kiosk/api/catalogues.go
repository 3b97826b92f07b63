package api

import (
	"encoding/json"
	"net/http"

	"tramso/kiosk/httpjson"
	"tramso/kiosk/pack"
)

// cataloguesAnswer is the content pack's shell catalogues, language →
// namespace → tree of texts: translations the province shipped after the
// binary was built. The UI lays them over its bundled ones.
type cataloguesAnswer struct {
	Generation int64                                 `json:"generation"` // the pack they came with
	Catalogues map[string]map[string]json.RawMessage `json:"catalogues"`
}

func (s *Server) catalogues(w http.ResponseWriter, r *http.Request) {
	cur := s.Content.Get()
	httpjson.Write(w, http.StatusOK, cataloguesAnswer{
		Generation: cur.Pack.Meta.Generation,
		Catalogues: pack.Catalogues(cur.Pack.Files),
	})
}
