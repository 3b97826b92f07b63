package content

import "io/fs"

// Tutorial is one lesson. (Filled in by the tutorials work.)
type Tutorial struct {
	ID    string `yaml:"id" json:"id"`
	Title string `yaml:"title" json:"title"`
}

func loadTutorials(fsys fs.FS, p *Pack, probs *Problems) {
	for _, name := range yamlFiles(fsys, "tutorials") {
		var t Tutorial
		if err := decodeYAML(fsys, name, &t); err != nil {
			probs.add(name, "", "%v", err)
			continue
		}
		p.Tutorials = append(p.Tutorials, t)
	}
}
