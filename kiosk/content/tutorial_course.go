package content

import (
	"fmt"
	"io/fs"
	"net/url"
	"slices"
	"strings"
)

// ModuleIDs are the lesson groups of Đắk Lắk's "Bình dân học vụ số" campaign,
// in the order the catalogue shows them. Their names live in the pack
// (tutorials/course.yaml), so they are translated like any other content.
var ModuleIDs = []string{"identity", "public-services", "payment", "phone-basics", "work-business"}

func moduleIndex(id string) int { return slices.Index(ModuleIDs, id) }

// Course is tutorials/course.yaml: module names and the texts that go out on
// the resident's phone through a QR code (the day's summary, a resume code).
type Course struct {
	Modules []Module `yaml:"modules"`
	// PlatformURL is the official learning platform, offered as a QR code.
	PlatformURL string `yaml:"platform_url"`
	// SummaryTitle heads the summary of lessons finished today; {date} is
	// replaced by the day (dd/mm/yyyy).
	SummaryTitle Text `yaml:"summary_title"`
	// SummaryFooter ends the summary (where to learn more, where to ask).
	SummaryFooter Text `yaml:"summary_footer"`
	// ResumeText is what a resume QR code says; {code}, {lesson} and {date}
	// (the last day the code works) are replaced.
	ResumeText Text `yaml:"resume_text"`
}

// Module is one lesson group.
type Module struct {
	ID          string `yaml:"id"`
	Title       Text   `yaml:"title"`
	Description Text   `yaml:"description"`
}

func (c *Course) module(id string) *Module {
	if c == nil {
		return nil
	}
	for i := range c.Modules {
		if c.Modules[i].ID == id {
			return &c.Modules[i]
		}
	}
	return nil
}

// Module returns the named module, or nil.
func (c *Course) Module(id string) *Module { return c.module(id) }

// loadCourse reads and checks tutorials/course.yaml. A pack with no lessons
// needs no course file; one with lessons does (loadTutorials then reports the
// modules it cannot name).
func loadCourse(fsys fs.FS, probs *Problems) *Course {
	if _, err := fs.Stat(fsys, courseFile); err != nil {
		if len(yamlFiles(fsys, "tutorials")) > 0 {
			probs.add(courseFile, "", "file is missing; it names the lesson modules")
		}
		return nil
	}
	var c Course
	if err := decodeYAML(fsys, courseFile, &c); err != nil {
		probs.add(courseFile, "", "%v", err)
		return nil
	}
	seen := map[string]bool{}
	for i, m := range c.Modules {
		field := fmt.Sprintf("modules[%d]", i+1)
		if moduleIndex(m.ID) < 0 {
			probs.add(courseFile, field+".id", "unknown module %q (one of %s)", m.ID, strings.Join(ModuleIDs, ", "))
		}
		if seen[m.ID] {
			probs.add(courseFile, field+".id", "module %q is named twice", m.ID)
		}
		seen[m.ID] = true
		checkText(m.Title, probs, courseFile, field+".title", true)
		checkText(m.Description, probs, courseFile, field+".description", false)
	}
	if u, err := url.Parse(c.PlatformURL); err != nil || u.Scheme != "https" || u.Host == "" {
		probs.add(courseFile, "platform_url", "must be an https:// address, not %q", c.PlatformURL)
	}
	checkText(c.SummaryTitle, probs, courseFile, "summary_title", true)
	checkText(c.SummaryFooter, probs, courseFile, "summary_footer", false)
	checkText(c.ResumeText, probs, courseFile, "resume_text", true)
	for lang, s := range c.ResumeText {
		if !strings.Contains(s, "{code}") {
			probs.add(courseFile, "resume_text."+lang, "must contain {code}")
		}
	}
	return &c
}
