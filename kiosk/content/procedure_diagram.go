package content

// FlowEndLabels names the ends of the flow id for its diagram (flow.SVG):
// a case by its Vietnamese name, another procedure by its plain name and
// code. Ends it cannot name keep flow.SVG's short default.
func (p *Pack) FlowEndLabels(id string) func(end string) string {
	var cases []Case
	for i := range p.Procedures {
		if p.Procedures[i].Flow.ID == id {
			cases = p.Procedures[i].Cases
		}
	}
	return func(end string) string {
		for _, c := range cases {
			if end == "case:"+c.ID && c.Name.Vi() != "" {
				return "Trường hợp: " + c.Name.Vi()
			}
		}
		for i := range p.Procedures {
			pr := &p.Procedures[i]
			if end == "procedure:"+pr.Code {
				name := pr.PlainName.Vi()
				if name == "" {
					name = pr.Name
				}
				return "Thủ tục: " + name + " (" + pr.Code + ")"
			}
		}
		return ""
	}
}
