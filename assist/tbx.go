package assist

import (
	"bufio"
	"cmp"
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"yizhi/lang"
	"yizhi/models"
)

// TBX (TermBase eXchange, ISO 30042) is how termbases travel between
// terminology tools. Yizhi reads the core structure of both versions in
// use and writes either:
//
//   - TBX-Basic 2 (ISO 30042:2008): <martif>, <termEntry>, <langSet>,
//     <tig> or <ntig>/<termGrp>;
//   - TBX v3 (ISO 30042:2019), DCA style: <tbx>, <conceptEntry>, <langSec>,
//     <termSec>.
//
// A concept groups the terms that name one thing in every language; yizhi's
// glossary holds pairs, so a concept with a Chinese term and target terms
// becomes one entry per (Chinese term, target term).

// TBXFormat names the dialect WriteTBX produces.
type TBXFormat string

const (
	TBXBasic TBXFormat = "tbx-basic" // TBX-Basic 2, <martif>
	TBXv3    TBXFormat = "tbx-v3"    // ISO 30042:2019, TBX-Basic dialect, DCA style
)

// TBXStatusNote is the termNote type that carries yizhi's own status. TBX's
// administrativeStatus has no "forbidden": yizhi writes a forbidden term as
// deprecatedTerm-admn-sts, which every tool understands as "do not use",
// and adds this note so that a round trip keeps the difference.
const TBXStatusNote = "x-yizhi-status"

// TBXConcept is one <termEntry> or <conceptEntry>.
type TBXConcept struct {
	ID        string
	Domain    string // <descrip type="subjectField">
	SourceRef string // <admin type="source"> or <descrip type="source">
	Notes     []string
	Terms     []TBXTerm
	Line      int // line of the concept's start tag
}

// TBXTerm is one term of a concept, with what its language section and the
// term itself say about it (the term's own values win).
type TBXTerm struct {
	Lang      string // canonical
	Text      string
	Status    string // a models.Term* status, or "" when the file says nothing
	Domain    string
	SourceRef string
	Notes     []string
	Line      int
}

// ReadTBX parses a TBX document from r and calls fn for each concept, in
// file order, holding one concept at a time. Language codes go through
// canon. Errors are as for ReadTMX: bad input is EINVALID with the line in
// Details, a read error is wrapped, fn's errors are returned as they are.
func ReadTBX(r io.Reader, canon func(string) (string, error), fn func(TBXConcept) error) error {
	x, err := newXMLReader(r)
	if err != nil {
		return err
	}
	root, err := x.root()
	if err != nil {
		return err
	}
	if root.Name.Local != "martif" && root.Name.Local != "tbx" {
		return lineError(x.line(), "the root element is <%s>, not <martif> or <tbx>: this is not a TBX file", root.Name.Local)
	}
	for {
		tok, err := x.next()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "text", "body":
				// Descend to the concepts.
			case "termEntry", "conceptEntry":
				c, err := x.readConcept(t, canon)
				if err != nil {
					return err
				}
				if err := fn(c); err != nil {
					return err
				}
			default: // martifHeader, tbxHeader, back, refObjectSec
				if err := x.skip(); err != nil {
					return err
				}
			}
		case xml.EndElement:
			if t.Name.Local == root.Name.Local {
				return x.end()
			}
		}
	}
}

// tbxMeta collects the data categories yizhi keeps, at whatever level of
// a concept they appear.
type tbxMeta struct {
	domain, sourceRef string
	notes             []string
	status            string // mapped administrativeStatus
	yizhiStatus       string // x-yizhi-status, which wins
}

func (m *tbxMeta) resolvedStatus() string {
	if m.yizhiStatus != "" {
		return m.yizhiStatus
	}
	return m.status
}

func (x *xmlReader) readConcept(start xml.StartElement, canon func(string) (string, error)) (TBXConcept, error) {
	c := TBXConcept{ID: attr(start, "", "id"), Line: x.line()}
	var m tbxMeta
	for {
		tok, err := x.next()
		if err != nil {
			return c, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local == "langSet" || t.Name.Local == "langSec" {
				terms, err := x.readLangSet(t, canon)
				if err != nil {
					return c, err
				}
				c.Terms = append(c.Terms, terms...)
				continue
			}
			if err := x.readMeta(t, &m); err != nil {
				return c, err
			}
		case xml.EndElement:
			c.Domain, c.SourceRef, c.Notes = m.domain, m.sourceRef, m.notes
			return c, nil
		}
	}
}

func (x *xmlReader) readLangSet(start xml.StartElement, canon func(string) (string, error)) ([]TBXTerm, error) {
	raw := attr(start, xmlNamespace, "lang")
	if raw == "" {
		return nil, lineError(x.line(), "<%s> has no xml:lang", start.Name.Local)
	}
	tag, err := x.lang(raw, canon)
	if err != nil {
		return nil, err
	}
	var (
		terms []TBXTerm
		m     tbxMeta
	)
	for {
		tok, err := x.next()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "tig", "ntig", "termSec":
				term, err := x.readTerm(tag)
				if err != nil {
					return nil, err
				}
				terms = append(terms, term)
			default:
				if err := x.readMeta(t, &m); err != nil {
					return nil, err
				}
			}
		case xml.EndElement:
			for i := range terms {
				terms[i].Domain = cmp.Or(terms[i].Domain, m.domain)
				terms[i].SourceRef = cmp.Or(terms[i].SourceRef, m.sourceRef)
				terms[i].Notes = append(slices.Clone(m.notes), terms[i].Notes...)
				if terms[i].Status == "" {
					terms[i].Status = m.resolvedStatus()
				}
			}
			return terms, nil
		}
	}
}

// readTerm reads a <tig>, <ntig> or <termSec> whose start tag was just read.
func (x *xmlReader) readTerm(tag string) (TBXTerm, error) {
	term := TBXTerm{Lang: tag, Line: x.line()}
	var m tbxMeta
	if err := x.readTermBody(&term, &m); err != nil {
		return term, err
	}
	if strings.TrimSpace(term.Text) == "" {
		return term, lineError(term.Line, "a term section has no <term> text")
	}
	term.Status = m.resolvedStatus()
	term.Domain, term.SourceRef, term.Notes = m.domain, m.sourceRef, m.notes
	return term, nil
}

// readTermBody reads the children of a term container; an <ntig> nests
// the term and its notes one level deeper, in <termGrp>.
func (x *xmlReader) readTermBody(term *TBXTerm, m *tbxMeta) error {
	for {
		tok, err := x.next()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "term":
				if term.Text, err = x.text(); err != nil {
					return err
				}
			case "termGrp":
				if err := x.readTermBody(term, m); err != nil {
					return err
				}
			default:
				if err := x.readMeta(t, m); err != nil {
					return err
				}
			}
		case xml.EndElement:
			return nil
		}
	}
}

// readMeta reads one data-category element into m and skips anything
// yizhi does not keep. The *Grp wrappers hold a data category plus its own
// administrative data, so their children are read the same way. DCT-style
// files name the category by element (<basic:subjectField>) rather than by
// type attribute; both are understood.
func (x *xmlReader) readMeta(t xml.StartElement, m *tbxMeta) error {
	category := attr(t, "", "type")
	switch t.Name.Local {
	case "descripGrp", "adminGrp", "termNoteGrp":
		for {
			tok, err := x.next()
			if err != nil {
				return err
			}
			switch c := tok.(type) {
			case xml.StartElement:
				if err := x.readMeta(c, m); err != nil {
					return err
				}
			case xml.EndElement:
				return nil
			}
		}
	case "descrip", "admin", "termNote":
	case "note":
		category = "note"
	case "subjectField", "source", "administrativeStatus":
		category = t.Name.Local
	default:
		return x.skip()
	}
	line := x.line()
	value, err := x.text()
	if err != nil {
		return err
	}
	value = strings.TrimSpace(value)
	switch category {
	case "subjectField":
		m.domain = value
	case "source":
		m.sourceRef = value
	case "note":
		if value != "" {
			m.notes = append(m.notes, value)
		}
	case "administrativeStatus":
		if m.status, err = tbxStatus(value, line); err != nil {
			return err
		}
	case TBXStatusNote:
		if !slices.Contains([]string{models.TermApproved, models.TermForbidden, models.TermDeprecated}, value) {
			return lineError(line, "%s %q is not approved, forbidden or deprecated", TBXStatusNote, value)
		}
		m.yizhiStatus = value
	}
	return nil
}

// tbxStatus maps an administrativeStatus value (ISO 12620 picklist, with or
// without the -admn-sts suffix, as tools vary) to a glossary status.
func tbxStatus(value string, line int) (string, error) {
	v := strings.ToLower(strings.TrimSuffix(strings.TrimSpace(value), "-admn-sts"))
	switch v {
	case "preferredterm", "admittedterm", "standardizedterm", "legalterm", "regulatedterm", "preferred", "admitted":
		return models.TermApproved, nil
	case "deprecatedterm", "supersededterm", "deprecated", "superseded", "obsolete":
		return models.TermDeprecated, nil
	case "forbidden", "forbiddenterm", "notrecommended", "notrecommendedterm":
		return models.TermForbidden, nil
	}
	return "", lineError(line, "administrativeStatus %q is not one yizhi knows (preferredTerm-admn-sts, admittedTerm-admn-sts, deprecatedTerm-admn-sts, supersededTerm-admn-sts, forbidden, notRecommended)", value)
}

// Entries turns a concept into glossary entries, one per pair of a Chinese
// term and a term in another language. A target term's own data wins over
// the Chinese term's, which wins over the concept's; notes from the concept
// and the target term are kept together. The status is the target term's:
// it says whether that rendering may be used. Texts are trimmed and
// NFC-normalized. A concept without a Chinese term yields nothing.
func (c TBXConcept) Entries() []models.GlossaryEntry {
	var out []models.GlossaryEntry
	for _, zh := range c.Terms {
		if zh.Lang != models.SourceLang {
			continue
		}
		for _, t := range c.Terms {
			if t.Lang == models.SourceLang {
				continue
			}
			notes := append(slices.Clone(c.Notes), t.Notes...)
			out = append(out, models.GlossaryEntry{
				SourceLang:  models.SourceLang,
				TargetLang:  t.Lang,
				Term:        lang.Normalize(models.SourceLang, strings.TrimSpace(zh.Text)),
				Translation: lang.Normalize(t.Lang, strings.TrimSpace(t.Text)),
				Domain:      cmp.Or(t.Domain, zh.Domain, c.Domain),
				Status:      cmp.Or(t.Status, models.TermApproved),
				SourceRef:   cmp.Or(t.SourceRef, zh.SourceRef, c.SourceRef),
				Notes:       strings.Join(notes, "\n"),
			})
		}
	}
	return out
}

// GlossaryConcepts groups glossary entries into concepts for WriteTBX.
// entries must come ordered by term and domain (store.ExportGlossary does
// so); consecutive entries with the same Chinese term and domain are one
// concept, whatever their target languages.
func GlossaryConcepts(entries func(yield func(models.GlossaryEntry) error) error) func(yield func(TBXConcept) error) error {
	return func(yield func(TBXConcept) error) error {
		var group []models.GlossaryEntry
		flush := func() error {
			if len(group) == 0 {
				return nil
			}
			c := conceptOf(group)
			group = group[:0]
			return yield(c)
		}
		err := entries(func(e models.GlossaryEntry) error {
			if len(group) > 0 && (group[0].Term != e.Term || group[0].Domain != e.Domain) {
				if err := flush(); err != nil {
					return err
				}
			}
			group = append(group, e)
			return nil
		})
		if err != nil {
			return err
		}
		return flush()
	}
}

func conceptOf(group []models.GlossaryEntry) TBXConcept {
	sorted := slices.Clone(group)
	slices.SortStableFunc(sorted, func(a, b models.GlossaryEntry) int { return strings.Compare(a.TargetLang, b.TargetLang) })
	c := TBXConcept{
		ID:     "c" + strconv.FormatInt(group[0].ID, 10),
		Domain: group[0].Domain,
		Terms:  []TBXTerm{{Lang: models.SourceLang, Text: group[0].Term, Status: models.TermApproved}},
	}
	for _, e := range sorted {
		t := TBXTerm{Lang: e.TargetLang, Text: e.Translation, Status: e.Status, SourceRef: e.SourceRef}
		if e.Notes != "" {
			t.Notes = []string{e.Notes}
		}
		c.Terms = append(c.Terms, t)
	}
	return c
}

// WriteTBX writes concepts as a TBX document in the given dialect. Like
// WriteTMX, it streams and leaves the document unclosed if concepts fails.
func WriteTBX(w io.Writer, format TBXFormat, concepts func(yield func(TBXConcept) error) error) error {
	v3 := format == TBXv3
	if !v3 && format != TBXBasic {
		return models.Errorf(models.EINVALID, "format must be %s or %s", TBXBasic, TBXv3)
	}
	entry, langSet, termSec, root := "termEntry", "langSet", "tig", "martif"
	bw := bufio.NewWriterSize(w, 64<<10)
	if v3 {
		entry, langSet, termSec, root = "conceptEntry", "langSec", "termSec", "tbx"
		bw.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<?xml-model href="https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCA/TBXcoreStructV03_TBX-Basic_integrated.rng" type="application/xml" schematypens="http://relaxng.org/ns/structure/1.0"?>
<tbx type="TBX-Basic" style="dca" xml:lang="zh-Hans" xmlns="urn:iso:std:iso:30042:ed-2">
  <tbxHeader>
    <fileDesc>
      <sourceDesc><p>Yizhi termbase export</p></sourceDesc>
    </fileDesc>
  </tbxHeader>
  <text>
    <body>
`)
	} else {
		bw.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE martif SYSTEM "TBXBasiccoreStructV02.dtd">
<martif type="TBX-Basic" xml:lang="zh-Hans">
  <martifHeader>
    <fileDesc>
      <sourceDesc><p>Yizhi termbase export</p></sourceDesc>
    </fileDesc>
    <encodingDesc>
      <p type="XCSURI">TBXBasicXCSV02.xcs</p>
    </encodingDesc>
  </martifHeader>
  <text>
    <body>
`)
	}
	err := concepts(func(c TBXConcept) error {
		if c.ID != "" {
			fmt.Fprintf(bw, "      <%s id=\"%s\">\n", entry, escape(c.ID))
		} else {
			fmt.Fprintf(bw, "      <%s>\n", entry)
		}
		if c.Domain != "" {
			fmt.Fprintf(bw, "        <descrip type=\"subjectField\">%s</descrip>\n", escape(c.Domain))
		}
		if c.SourceRef != "" {
			fmt.Fprintf(bw, "        <admin type=\"source\">%s</admin>\n", escape(c.SourceRef))
		}
		for _, n := range c.Notes {
			fmt.Fprintf(bw, "        <note>%s</note>\n", escape(n))
		}
		for i := 0; i < len(c.Terms); {
			tag := c.Terms[i].Lang
			fmt.Fprintf(bw, "        <%s xml:lang=\"%s\">\n", langSet, escape(tag))
			for ; i < len(c.Terms) && c.Terms[i].Lang == tag; i++ {
				writeTBXTerm(bw, termSec, c.Terms[i])
			}
			fmt.Fprintf(bw, "        </%s>\n", langSet)
		}
		_, err := fmt.Fprintf(bw, "      </%s>\n", entry)
		return err
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(bw, "    </body>\n  </text>\n</%s>\n", root)
	return bw.Flush()
}

// writeTBXTerm writes one term section. The order (term, termNotes, then
// admin and note) is the one both dialects' schemas require.
func writeTBXTerm(bw *bufio.Writer, termSec string, t TBXTerm) {
	fmt.Fprintf(bw, "          <%s>\n            <term>%s</term>\n", termSec, escape(t.Text))
	status := map[string]string{
		models.TermApproved:   "preferredTerm-admn-sts",
		models.TermDeprecated: "deprecatedTerm-admn-sts",
		models.TermForbidden:  "deprecatedTerm-admn-sts",
	}[t.Status]
	if status != "" {
		fmt.Fprintf(bw, "            <termNote type=\"administrativeStatus\">%s</termNote>\n", status)
	}
	if t.Status == models.TermForbidden {
		fmt.Fprintf(bw, "            <termNote type=\"%s\">%s</termNote>\n", TBXStatusNote, models.TermForbidden)
	}
	if t.SourceRef != "" {
		fmt.Fprintf(bw, "            <admin type=\"source\">%s</admin>\n", escape(t.SourceRef))
	}
	for _, n := range t.Notes {
		fmt.Fprintf(bw, "            <note>%s</note>\n", escape(n))
	}
	fmt.Fprintf(bw, "          </%s>\n", termSec)
}
