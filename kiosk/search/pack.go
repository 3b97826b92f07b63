package search

import (
	"sync"

	"tramso/kiosk/content"
	"tramso/kiosk/lang"
)

// cache keeps the index of the packs being served. content.Live swaps packs
// atomically, so the pack pointer is the key: a new pack gets a new index,
// and requests still holding the old pack keep theirs until they finish.
var cache struct {
	sync.Mutex
	packs [2]*content.Pack
	idx   [2]*Index
}

// ForPack returns the index of p, building it on first use.
func ForPack(p *content.Pack) *Index {
	cache.Lock()
	defer cache.Unlock()
	for i, cp := range cache.packs {
		if cp == p {
			return cache.idx[i]
		}
	}
	ix := New(Docs(p), Qualifiers(p))
	// Keep the newest two: the pack being served and the one just replaced.
	cache.packs[1], cache.idx[1] = cache.packs[0], cache.idx[0]
	cache.packs[0], cache.idx[0] = p, ix
	return ix
}

// Docs lists the searchable documents of a pack: procedures (with their
// aliases and the words of the life events that group them), tutorials, then
// the life events themselves, each with the phrases search.yaml gives it.
func Docs(p *content.Pack) []Doc {
	docs := append(append(procedureDocs(p), tutorialDocs(p)...), lifeEventDocs(p)...)
	addSynonyms(p, docs)
	return append(docs, elsewhereDocs(p)...)
}

// elsewhereDocs are search.yaml's phrases for what the pack does not cover,
// one document each. They are never results (rank.go); they are indexed so
// that their words are known and a slip in them is mended ("hộ chiu"). As
// asides they leave how common a word is unchanged: "hộ" of "hộ chiếu" must
// not make hộ khẩu harder to find.
func elsewhereDocs(p *content.Pack) []Doc {
	if p.Search == nil {
		return nil
	}
	var docs []Doc
	for _, l := range lang.Known {
		for _, ph := range p.Search.Elsewhere[l] {
			docs = append(docs, Doc{Kind: KindElsewhere, ID: ph, Fields: []Field{{Text: ph, Weight: WeightAlias, Aside: true}}})
		}
	}
	return docs
}

// Qualifiers lists the pack's qualifier phrases in every language.
func Qualifiers(p *content.Pack) []string {
	if p.Search == nil {
		return nil
	}
	var out []string
	for _, l := range lang.Known {
		out = append(out, p.Search.Qualifiers[l]...)
	}
	return out
}

// addSynonyms gives each document the search.yaml phrases that point at it,
// counted like an alias: they are what residents call it.
func addSynonyms(p *content.Pack, docs []Doc) {
	if p.Search == nil {
		return
	}
	at := map[string]int{}
	for i, d := range docs {
		at[d.Kind+"\x00"+d.ID] = i
	}
	for _, syn := range p.Search.Synonyms {
		var phrases []string
		for _, l := range lang.Known {
			phrases = append(phrases, syn.Phrases[l]...)
		}
		targets := [][2]string{}
		for _, c := range syn.Procedures {
			targets = append(targets, [2]string{KindProcedure, c})
		}
		for _, id := range syn.Tutorials {
			targets = append(targets, [2]string{KindTutorial, id})
		}
		for _, id := range syn.LifeEvents {
			targets = append(targets, [2]string{KindLifeEvent, id})
		}
		for _, t := range targets {
			if i, ok := at[t[0]+"\x00"+t[1]]; ok {
				docs[i].add(WeightAlias, phrases...)
			}
		}
	}
}

// lifeEventDocs are the life events, found by their own words so that "bố
// tôi mất" offers "Người thân qua đời" beside the procedure.
func lifeEventDocs(p *content.Pack) []Doc {
	var docs []Doc
	for _, le := range p.LifeEvents {
		d := Doc{Kind: KindLifeEvent, ID: le.ID, Titles: le.Title, Groups: le.Procedures}
		d.addText(WeightTitle, le.Title)
		d.add(WeightAlias, le.Words...)
		d.addText(WeightSummary, le.Summary)
		docs = append(docs, d)
	}
	return docs
}

// procedureDocs are the procedures, with their aliases and the words of the
// life events that group them.
func procedureDocs(p *content.Pack) []Doc {
	// A life event lists its procedures most important first; its words
	// count less for each later one, so "sinh con" finds birth registration
	// before the other papers of a new baby.
	type eventRef struct {
		le     *content.LifeEvent
		weight float32
	}
	events := map[string][]eventRef{}
	for i := range p.LifeEvents {
		le := &p.LifeEvents[i]
		for pos, code := range le.Procedures {
			w := WeightEvent * max(0.5, 1-0.2*float32(pos))
			events[code] = append(events[code], eventRef{le, w})
		}
	}
	var docs []Doc
	for i := range p.Procedures {
		pr := &p.Procedures[i]
		d := Doc{Kind: KindProcedure, ID: pr.Code, Titles: pr.PlainName}
		if pr.NationalCode() {
			d.Code = pr.Code
			d.add(WeightCode, pr.Code)
		}
		for _, rc := range pr.RelatedCodes {
			d.add(WeightSummary, rc)
		}
		d.addText(WeightTitle, pr.PlainName)
		d.add(WeightName, pr.Name)
		d.add(WeightAlias, pr.Aliases...)
		d.addText(WeightSummary, pr.Summary)
		if f := p.Assistant.Field(pr.Field); f != nil {
			d.addText(WeightField, f.Title)
		}
		for _, ev := range events[pr.Code] {
			d.addText(ev.weight, ev.le.Title)
			d.add(ev.weight, ev.le.Words...)
		}
		docs = append(docs, d)
	}
	return docs
}

// tutorialDocs are the lessons, with their module's name and their steps'
// headings: "độ sáng" or "cài ứng dụng" is a step of the phone lesson, named
// nowhere else. The steps' text is left out: its everyday words ("tôi",
// "qua") would let a lesson outmatch the obvious answer ("ông tôi qua đời").
func tutorialDocs(p *content.Pack) []Doc {
	var docs []Doc
	for i := range p.Tutorials {
		t := &p.Tutorials[i]
		d := Doc{Kind: KindTutorial, ID: t.ID, Titles: t.Title}
		d.addText(WeightTitle, t.Title)
		d.addText(WeightSummary, t.Description)
		for _, st := range t.Steps {
			for _, l := range lang.Known {
				if h := st.Title[l]; h != "" {
					d.Fields = append(d.Fields, Field{Text: h, Weight: WeightSummary, Aside: true})
				}
			}
		}
		if p.Course != nil {
			if m := p.Course.Module(t.Module); m != nil {
				d.addText(WeightField, m.Title)
			}
		}
		docs = append(docs, d)
	}
	return docs
}

func (d *Doc) add(weight float32, texts ...string) {
	for _, t := range texts {
		if t != "" {
			d.Fields = append(d.Fields, Field{Text: t, Weight: weight})
		}
	}
}

// addText indexes every language of a text, so an English speaker finds it too.
func (d *Doc) addText(weight float32, t content.Text) {
	for _, l := range lang.Known {
		d.add(weight, t[l])
	}
}
