package api

import (
	"mime"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"yizhi/lang"
	"yizhi/models"
)

// importDocument takes a legacy text file — GB18030, GBK or GB2312, as
// older court systems export them — with its metadata in query parameters
// (or Yizhi-* headers, percent-encoded). The body is decoded strictly:
// a byte sequence that is not a character is a 400 naming its offset, and
// nothing is stored. Without a title parameter, the first non-empty line
// is the title.
func (s *Server) importDocument(c *gin.Context) {
	mediaType, params, err := mime.ParseMediaType(c.GetHeader("Content-Type"))
	if err != nil || mediaType != "text/plain" {
		s.fail(c, models.Errorf(models.EINVALID,
			"an import is text/plain with a charset, e.g. Content-Type: text/plain; charset=gb18030"))
		return
	}
	charset := params["charset"]
	if charset == "" {
		s.fail(c, models.Errorf(models.EINVALID, "Content-Type names no charset; say charset=gb18030, gbk, gb2312 or utf-8"))
		return
	}
	raw, err := readBody(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	text, err := lang.DecodeLegacy(charset, raw)
	if err != nil {
		s.fail(c, err)
		return
	}
	req := createDocumentRequest{
		ExternalID: importParam(c, "external_id"),
		Court:      importParam(c, "court"),
		Kind:       importParam(c, "kind"),
		Title:      importParam(c, "title"),
		SourceLang: importParam(c, "source_lang"),
		Priority:   importParam(c, "priority"),
		Profile:    importParam(c, "profile"),
		Deadline:   importParam(c, "deadline"),
		Body:       text,
	}
	if targets := importParam(c, "targets"); targets != "" {
		req.Targets = strings.Split(targets, ",")
	}
	if req.Title == "" {
		req.Title, req.Body = splitTitle(text)
	}
	s.intake(c, req)
}

// importParam reads a metadata field from the query, or else from the
// header Yizhi-<Field> (external_id → Yizhi-External-Id), percent-decoded
// because header values cannot carry Chinese text as such.
func importParam(c *gin.Context, name string) string {
	if v, ok := c.GetQuery(name); ok {
		return v
	}
	header := "Yizhi-" + strings.ReplaceAll(name, "_", "-")
	v := c.GetHeader(header)
	if decoded, err := url.PathUnescape(v); err == nil {
		return decoded
	}
	return v
}

// splitTitle takes the first non-empty line as the title and the rest as
// the body.
func splitTitle(text string) (title, body string) {
	rest := text
	for rest != "" {
		line, after, _ := strings.Cut(rest, "\n")
		if strings.TrimSpace(line) != "" {
			return strings.TrimSpace(line), strings.TrimLeft(after, "\r\n")
		}
		rest = after
	}
	return "", ""
}
