package studio

import "testing"

// Every text a form writes in a box of several lines is a field the
// catalogue names: a key renamed on one side only would make a paragraph a
// one-line box again, unnoticed. A heading stays one line.
func TestProseFieldsAreCatalogued(t *testing.T) {
	for key := range prose {
		if _, ok := Label(key); !ok {
			t.Errorf("prose field %q has no label in the catalogue", key)
		}
	}
	if IsProse("checklist.help") || IsProse("name") || !IsProse("lesson.steps.text") {
		t.Error("IsProse: a heading or a name is prose, or a step's words are not")
	}
}
