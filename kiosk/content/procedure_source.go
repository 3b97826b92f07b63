package content

import (
	"net/url"
	"strings"
)

// What a source is, as the result's "Xem căn cứ" labels it. The evidence
// grade of PROCEDURES.md says how firmly a fact was read, not who published
// the page: its S also covers "a verbatim reproduction … or a quoted
// article", so a law firm's blog or a newspaper quoting a decree is S. The
// kiosk calls a source official only when it is graded S and sits on a
// state site (OfficialHost); any other S is a page read directly (outside
// QA s28: law-firm blogs and a notary office were labelled "Nguồn chính
// thức").
const (
	SourceOfficial    = "official"    // S on a state site: the text or record itself
	SourceDirect      = "direct"      // S elsewhere: a page quoting the text, read directly
	SourceSecondary   = "secondary"   // S2: a summary, a lead to confirm
	SourceUnconfirmed = "unconfirmed" // B: not confirmed
)

// officialDomains are the state's own sites: every .gov.vn (ministries,
// provinces, communes, the national public-service portal dichvucong.gov.vn),
// the Government portal and its document library (chinhphu.vn:
// vanban.chinhphu.vn, congbao.chinhphu.vn, datafiles.chinhphu.vn), the
// national legal-document database vbpl.vn and the National Assembly's
// quochoi.vn.
var officialDomains = []string{"gov.vn", "chinhphu.vn", "vbpl.vn", "quochoi.vn"}

// OfficialHost reports whether host (a URL's host, with or without a port)
// is one of the state's own sites (officialDomains or a subdomain of one).
func OfficialHost(host string) bool {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	if h, _, ok := strings.Cut(host, ":"); ok {
		host = h
	}
	for _, d := range officialDomains {
		if host == d || strings.HasSuffix(host, "."+d) {
			return true
		}
	}
	return false
}

// Kind is what the source is (SourceOfficial, SourceDirect…), from its
// evidence grade and the host of its address.
func (s Source) Kind() string {
	switch s.Evidence {
	case "S":
		if u, err := url.Parse(s.URL); err == nil && OfficialHost(u.Host) {
			return SourceOfficial
		}
		return SourceDirect
	case "S2":
		return SourceSecondary
	}
	return SourceUnconfirmed
}

// obsoleteSources are pages PROCEDURES.md calls obsolete for the fact they
// were cited for (host and path, no scheme): pack lint refuses them, so a
// resident is never shown one as a basis.
var obsoleteSources = map[string]string{
	// PROCEDURES.md §2.3: its pre-2025 rule on the marital-status
	// certificate is obsolete (NĐ 07/2025, Công văn 481/BTP-HTQTCT).
	"khdlaw.vn/thu-tuc-dang-ky-ket-hon-tai-uy-ban-nhan-dan-xa-phuong/": "PROCEDURES.md §2.3 calls this pre-2025 page obsolete (marital-status certificate)",
}

// Obsolete is why PROCEDURES.md calls the source's page obsolete, or "".
func (s Source) Obsolete() string {
	u, err := url.Parse(s.URL)
	if err != nil {
		return ""
	}
	return obsoleteSources[strings.ToLower(strings.TrimPrefix(u.Host, "www."))+u.Path]
}
