package assist

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/encoding/ianaindex"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"yizhi/lang"
	"yizhi/models"
)

// TMX 1.4b (https://www.gala-global.org/tmx-14b) is how translation memories
// travel between CAT tools. Yizhi reads and writes it as a stream: a memory
// of a million pairs is hundreds of megabytes, so neither side ever holds a
// whole file.

// Props yizhi writes on each <tu> and reads back, so that an exported
// memory keeps where each pair came from.
const (
	PropCourt      = "x-yizhi-court"
	PropKind       = "x-yizhi-kind"
	PropDocument   = "x-yizhi-document"
	PropApprovedBy = "x-yizhi-approved-by"
	// The neighbours' hashes make a re-imported pair an in-context (101%)
	// match again.
	PropPrevHash = "x-yizhi-prev-hash"
	PropNextHash = "x-yizhi-next-hash"
)

// tmxTime is TMX's date format, ISO 8601 basic in UTC.
const tmxTime = "20060102T150405Z"

// TMXHeader is what WriteTMX puts in <header>. The fixed attributes
// (creationtool, segtype, o-tmf, adminlang, datatype) are always yizhi's.
type TMXHeader struct {
	SrcLang      string    // "" means zh-Hans
	CreationDate time.Time // zero means now
}

// TMXUnit is one translation unit (<tu>): the same sentence in several
// languages, with yizhi's provenance props.
type TMXUnit struct {
	ID       string // tuid
	SrcLang  string // canonical; "" when the file says *all*
	Variants []TMXVariant

	Court      string
	Kind       string
	DocumentID int64
	ApprovedBy int64
	PrevHash   string
	NextHash   string
	Created    time.Time // creationdate (changedate wins when both are there)

	Line int // line of the <tu> start tag, for errors about the unit
}

// TMXVariant is one <tuv>: a language and its segment text, inline markup
// removed.
type TMXVariant struct {
	Lang string // canonical
	Text string
}

// ReadTMX parses a TMX document from r and calls fn for each translation
// unit, in file order, without holding more than one unit in memory.
// Language codes go through canon (lang.Registry.Canonicalize), so ZH-CN
// becomes zh-Hans and ug-CN becomes ug.
//
// Malformed XML, an unsupported language or a malformed TMX structure is a
// *models.Error with code EINVALID whose Details carry "line". An error
// reading r (including http.MaxBytesError) is returned wrapped, so callers
// can tell a body over the limit from a bad file. An error from fn is
// returned as it is.
func ReadTMX(r io.Reader, canon func(string) (string, error), fn func(TMXUnit) error) error {
	x, err := newXMLReader(r)
	if err != nil {
		return err
	}
	root, err := x.root()
	if err != nil {
		return err
	}
	if root.Name.Local != "tmx" {
		return lineError(x.line(), "the root element is <%s>, not <tmx>: this is not a TMX file", root.Name.Local)
	}
	srcLang := ""
	for {
		tok, err := x.next()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "body":
				// Descend: its <tu> children come next.
			case "header":
				if srcLang, err = x.srcLang(t, canon); err != nil {
					return err
				}
				if err := x.skip(); err != nil {
					return err
				}
			case "tu":
				u, err := x.readTU(t, srcLang, canon)
				if err != nil {
					return err
				}
				if err := fn(u); err != nil {
					return err
				}
			default:
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

// srcLang reads the srclang attribute of <header> or <tu>. "*all*" means
// any variant may be the source; it is returned as "".
func (x *xmlReader) srcLang(t xml.StartElement, canon func(string) (string, error)) (string, error) {
	raw := attr(t, "", "srclang")
	if raw == "" || raw == "*all*" {
		return "", nil
	}
	return x.lang(raw, canon)
}

func (x *xmlReader) readTU(start xml.StartElement, headerSrc string, canon func(string) (string, error)) (TMXUnit, error) {
	u := TMXUnit{ID: attr(start, "", "tuid"), SrcLang: headerSrc, Line: x.line()}
	if attr(start, "", "srclang") != "" {
		src, err := x.srcLang(start, canon)
		if err != nil {
			return u, err
		}
		u.SrcLang = src
	}
	for _, name := range []string{"creationdate", "changedate"} {
		if raw := attr(start, "", name); raw != "" {
			t, err := time.Parse(tmxTime, raw)
			if err != nil {
				return u, lineError(u.Line, "%s %q is not a TMX date such as 20210615T083000Z", name, raw)
			}
			u.Created = t
		}
	}
	for {
		tok, err := x.next()
		if err != nil {
			return u, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "prop":
				if err := x.readProp(t, &u); err != nil {
					return u, err
				}
			case "tuv":
				v, err := x.readTUV(t, canon)
				if err != nil {
					return u, err
				}
				u.Variants = append(u.Variants, v)
			default: // note, and anything a newer TMX adds
				if err := x.skip(); err != nil {
					return u, err
				}
			}
		case xml.EndElement:
			return u, nil
		}
	}
}

func (x *xmlReader) readProp(t xml.StartElement, u *TMXUnit) error {
	line := x.line()
	value, err := x.text()
	if err != nil {
		return err
	}
	value = strings.TrimSpace(value)
	id := func() (int64, error) {
		n, err := strconv.ParseInt(value, 10, 64)
		if err != nil || n < 0 {
			return 0, lineError(line, "prop %s must be a whole number, not %q", attr(t, "", "type"), value)
		}
		return n, nil
	}
	switch attr(t, "", "type") {
	case PropCourt:
		u.Court = value
	case PropKind:
		u.Kind = value
	case PropDocument:
		u.DocumentID, err = id()
	case PropApprovedBy:
		u.ApprovedBy, err = id()
	case PropPrevHash:
		u.PrevHash = value
	case PropNextHash:
		u.NextHash = value
	}
	return err
}

func (x *xmlReader) readTUV(start xml.StartElement, canon func(string) (string, error)) (TMXVariant, error) {
	var v TMXVariant
	// TMX 1.4 says xml:lang; TMX 1.1 and some tools still write lang.
	raw := attr(start, xmlNamespace, "lang")
	if raw == "" {
		raw = attr(start, "", "lang")
	}
	if raw == "" {
		return v, lineError(x.line(), "<tuv> has no xml:lang")
	}
	var err error
	if v.Lang, err = x.lang(raw, canon); err != nil {
		return v, err
	}
	for {
		tok, err := x.next()
		if err != nil {
			return v, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local != "seg" {
				if err := x.skip(); err != nil { // prop, note
					return v, err
				}
				continue
			}
			if v.Text, err = x.text(); err != nil {
				return v, err
			}
		case xml.EndElement:
			return v, nil
		}
	}
}

// WriteTMX writes a TMX 1.4b document to w with one <tu> per unit that
// units yields. Nothing is buffered beyond a bufio.Writer, so an export
// streams; if units fails, WriteTMX returns its error without closing the
// document, so a truncated file never parses as a complete one.
func WriteTMX(w io.Writer, header TMXHeader, units func(yield func(TMXUnit) error) error) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	if header.SrcLang == "" {
		header.SrcLang = models.SourceLang
	}
	if header.CreationDate.IsZero() {
		header.CreationDate = time.Now()
	}
	fmt.Fprintf(bw, `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4">
  <header creationtool="yizhi" creationtoolversion="1" segtype="sentence" o-tmf="yizhi" adminlang="en" srclang="%s" datatype="plaintext" creationdate="%s"/>
  <body>
`, escape(header.SrcLang), header.CreationDate.UTC().Format(tmxTime))
	err := units(func(u TMXUnit) error {
		bw.WriteString("    <tu")
		if u.ID != "" {
			fmt.Fprintf(bw, ` tuid="%s"`, escape(u.ID))
		}
		if !u.Created.IsZero() {
			fmt.Fprintf(bw, ` creationdate="%s"`, u.Created.UTC().Format(tmxTime))
		}
		bw.WriteString(">\n")
		prop := func(name, value string) {
			if value != "" && value != "0" {
				fmt.Fprintf(bw, "      <prop type=\"%s\">%s</prop>\n", name, escape(value))
			}
		}
		prop(PropCourt, u.Court)
		prop(PropKind, u.Kind)
		prop(PropDocument, strconv.FormatInt(u.DocumentID, 10))
		prop(PropApprovedBy, strconv.FormatInt(u.ApprovedBy, 10))
		prop(PropPrevHash, u.PrevHash)
		prop(PropNextHash, u.NextHash)
		for _, v := range u.Variants {
			fmt.Fprintf(bw, "      <tuv xml:lang=\"%s\"><seg>%s</seg></tuv>\n", escape(v.Lang), escape(v.Text))
		}
		_, err := bw.WriteString("    </tu>\n")
		return err
	})
	if err != nil {
		return err
	}
	bw.WriteString("  </body>\n</tmx>\n")
	return bw.Flush()
}

// TMXUnitOf is the unit an exported TM entry becomes.
func TMXUnitOf(e models.TMEntry) TMXUnit {
	return TMXUnit{
		ID:      strconv.FormatInt(e.ID, 10),
		SrcLang: e.SourceLang,
		Variants: []TMXVariant{
			{Lang: e.SourceLang, Text: e.SourceText},
			{Lang: e.TargetLang, Text: e.TargetText},
		},
		Court: e.Court, Kind: e.Kind, DocumentID: e.DocumentID, ApprovedBy: e.ApprovedBy,
		PrevHash: e.PrevHash, NextHash: e.NextHash, Created: e.CreatedAt,
	}
}

// Entries turns a unit into TM entries: its zh-Hans variant is the source
// (whatever srclang says, since yizhi only ever looks up from Chinese, and a
// zh→ug pair serves that lookup whichever side a CAT tool started from)
// and each other non-empty variant a target. Texts are trimmed and
// NFC-normalized as yizhi stores them. A unit without a Chinese variant or
// without any other yields nothing.
func (u TMXUnit) Entries() []models.TMEntry {
	source := ""
	for _, v := range u.Variants {
		if v.Lang == models.SourceLang {
			source = lang.Normalize(models.SourceLang, strings.TrimSpace(v.Text))
			break
		}
	}
	if source == "" {
		return nil
	}
	var out []models.TMEntry
	for _, v := range u.Variants {
		if v.Lang == models.SourceLang {
			continue
		}
		target := lang.Normalize(v.Lang, strings.TrimSpace(v.Text))
		if target == "" {
			continue
		}
		out = append(out, models.TMEntry{
			SourceLang: models.SourceLang, TargetLang: v.Lang,
			SourceHash: models.SegmentHash(source), SourceText: source, TargetText: target,
			PrevHash: u.PrevHash, NextHash: u.NextHash,
			DocumentID: u.DocumentID, Court: u.Court, Kind: u.Kind, ApprovedBy: u.ApprovedBy,
			CreatedAt: u.Created,
		})
	}
	return out
}

// The XML plumbing below is shared by the TMX and TBX readers.

const xmlNamespace = "http://www.w3.org/XML/1998/namespace"

// xmlReader wraps an xml.Decoder with line numbers in every error and the
// token-level helpers both readers need.
type xmlReader struct {
	d *xml.Decoder
}

// newXMLReader prepares a decoder for r. UTF-16 files (older Trados exports
// TMX that way) are recognized by their byte-order mark and transcoded;
// other declared encodings are looked up in the IANA registry. UTF-8 is
// read as it is, so an invalid byte is an error rather than a silent U+FFFD.
func newXMLReader(r io.Reader) (*xmlReader, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, err := br.Peek(2)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("read XML: %w", err)
	}
	var in io.Reader = br
	utf16 := bytes.Equal(head, []byte{0xFF, 0xFE}) || bytes.Equal(head, []byte{0xFE, 0xFF})
	if utf16 {
		in = transform.NewReader(br, unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder())
	}
	d := xml.NewDecoder(in)
	d.CharsetReader = func(label string, input io.Reader) (io.Reader, error) {
		if utf16 && strings.HasPrefix(strings.ToLower(label), "utf-16") {
			return input, nil // already transcoded above
		}
		enc, err := ianaindex.IANA.Encoding(label)
		if err != nil || enc == nil {
			return nil, fmt.Errorf("unsupported encoding %q", label)
		}
		return enc.NewDecoder().Reader(input), nil
	}
	return &xmlReader{d: d}, nil
}

// line is the line the decoder has read up to: after a start tag, the
// line its '>' is on.
func (x *xmlReader) line() int {
	l, _ := x.d.InputPos()
	return l
}

// next returns the next token. io.EOF inside the root element is malformed
// XML like any other.
func (x *xmlReader) next() (xml.Token, error) {
	tok, err := x.d.Token()
	if err != nil {
		return nil, x.wrap(err)
	}
	return tok, nil
}

func (x *xmlReader) wrap(err error) error {
	var syntax *xml.SyntaxError
	switch {
	case errors.As(err, &syntax):
		return lineError(syntax.Line, "malformed XML: %s", syntax.Msg)
	case errors.Is(err, io.EOF):
		return lineError(x.line(), "malformed XML: the document ends before its root element closes")
	case strings.Contains(err.Error(), "unsupported encoding"):
		return lineError(x.line(), "%v", err)
	}
	return fmt.Errorf("read XML: %w", err)
}

// root returns the root element's start tag.
func (x *xmlReader) root() (xml.StartElement, error) {
	for {
		tok, err := x.d.Token()
		if errors.Is(err, io.EOF) {
			return xml.StartElement{}, lineError(x.line(), "the document is empty")
		}
		if err != nil {
			return xml.StartElement{}, x.wrap(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return t, nil
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return xml.StartElement{}, lineError(x.line(), "text before the root element: this is not XML")
			}
		}
	}
}

// end checks that nothing but comments, processing instructions and
// white space follow the root element; encoding/xml alone would accept a
// second root.
func (x *xmlReader) end() error {
	for {
		tok, err := x.d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return x.wrap(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return lineError(x.line(), "malformed XML: a second root element <%s>", t.Name.Local)
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return lineError(x.line(), "malformed XML: text after the root element")
			}
		}
	}
}

// skip consumes the rest of the element whose start tag was just read.
func (x *xmlReader) skip() error {
	if err := x.d.Skip(); err != nil {
		return x.wrap(err)
	}
	return nil
}

// inlineCodes are the TMX and TBX inline elements that hold the original
// document's formatting codes (an RTF \b, an HTML <b>), not text: their
// content is dropped with them. <hi> and anything unknown keep their text.
var inlineCodes = map[string]bool{"bpt": true, "ept": true, "it": true, "ph": true, "ut": true, "sc": true, "ec": true}

// text returns the character data of the element whose start tag was just
// read, up to its end tag, without markup.
func (x *xmlReader) text() (string, error) {
	var b strings.Builder
	depth := 1
	for depth > 0 {
		tok, err := x.next()
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.CharData:
			b.Write(t)
		case xml.StartElement:
			if inlineCodes[t.Name.Local] {
				if err := x.skip(); err != nil {
					return "", err
				}
				continue
			}
			depth++
		case xml.EndElement:
			depth--
		}
	}
	return b.String(), nil
}

// lang canonicalizes a language code from the file, naming the line when
// the registry does not know it.
func (x *xmlReader) lang(raw string, canon func(string) (string, error)) (string, error) {
	tag, err := canon(raw)
	if err == nil {
		return tag, nil
	}
	line := x.line()
	details := map[string]any{"line": line, "lang": raw}
	var e *models.Error
	if errors.As(err, &e) {
		if more, ok := e.Details.(map[string]any); ok {
			for k, v := range more {
				details[k] = v
			}
		}
		details["line"], details["lang"] = line, raw
		return "", (&models.Error{Code: models.EINVALID, Message: fmt.Sprintf("line %d: %s", line, e.Message)}).WithDetails(details)
	}
	return "", lineError(line, "language %q: %v", raw, err)
}

// attr returns the value of an attribute; space "" matches an attribute
// without a namespace.
func attr(t xml.StartElement, space, local string) string {
	for _, a := range t.Attr {
		if a.Name.Local == local && a.Name.Space == space {
			return strings.TrimSpace(a.Value)
		}
	}
	return ""
}

// lineError is the EINVALID error every reader returns for bad input: the
// message and Details both name the line.
func lineError(line int, format string, args ...any) error {
	return models.Errorf(models.EINVALID, "line %d: %s", line, fmt.Sprintf(format, args...)).
		WithDetails(map[string]any{"line": line})
}

// escape makes s safe as XML character data or a quoted attribute value.
// Characters XML cannot carry at all (most C0 controls) become U+FFFD.
func escape(s string) string {
	if !strings.ContainsAny(s, "<>&'\"\t\n\r") && isXMLSafe(s) {
		return s
	}
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

func isXMLSafe(s string) bool {
	for _, r := range s {
		if r < 0x20 || (r >= 0xD800 && r <= 0xDFFF) || r == 0xFFFE || r == 0xFFFF {
			return false
		}
	}
	return true
}
