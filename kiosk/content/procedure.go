package content

import "io/fs"

// Procedure is one administrative procedure. (Filled in by the procedures work.)
type Procedure struct {
	Code  string `yaml:"code" json:"code"`
	Title string `yaml:"title" json:"title"`
}

// LifeEvent groups procedures under the words residents use ("Kết hôn", …).
type LifeEvent struct {
	ID    string `yaml:"id" json:"id"`
	Title string `yaml:"title" json:"title"`
}

func loadProcedures(fsys fs.FS, p *Pack, probs *Problems) {
	for _, name := range yamlFiles(fsys, "procedures") {
		var pr Procedure
		if err := decodeYAML(fsys, name, &pr); err != nil {
			probs.add(name, "", "%v", err)
			continue
		}
		p.Procedures = append(p.Procedures, pr)
	}
}
