package api

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"yizhi/assist"
	"yizhi/models"
)

// MaxImportBytes bounds a TMX or TBX upload. Imports stream, so the limit
// guards the disk the store stages them on rather than memory; a memory of
// a million sentence pairs is about 400 MiB of TMX. YIZHI_MAX_BODY_BYTES
// does not apply to these routes.
const MaxImportBytes = 512 << 20

// progressEvery is how many translation units pass between two NDJSON
// progress lines while a TMX file is parsed, and commitProgressEvery how
// many entries between two lines while it is committed.
const (
	progressEvery       = 1000
	commitProgressEvery = 5000
)

// Media types the import routes accept. Both formats are XML; the x- types
// are what CAT tools send.
var (
	tmxMediaTypes = []string{"application/x-tmx+xml", "application/tmx+xml", "application/xml", "text/xml"}
	tbxMediaTypes = []string{"application/x-tbx+xml", "application/tbx+xml", "application/xml", "text/xml"}
)

// importChain is the whole handler chain of an import route. The routes
// are registered before the global middleware so that this chain, with
// MaxImportBytes, replaces the global one and its JSON-sized body limit.
func (s *Server) importChain(h gin.HandlerFunc) []gin.HandlerFunc {
	return []gin.HandlerFunc{
		s.recoverPanics, s.metrics.observe, limitBody(MaxImportBytes),
		s.authenticate, s.allow(models.RoleEditor), h,
	}
}

// tmImportResult is the answer to a TM import. Entries are counted per
// target language: a unit with zh, ug and bo variants gives two.
type tmImportResult struct {
	Done              bool `json:"done,omitempty"` // only in the NDJSON stream
	Imported          int  `json:"imported"`
	SkippedDuplicates int  `json:"skipped_duplicates"`
	Units             int  `json:"units"`
	// SkippedUnits had no Chinese variant or nothing but one.
	SkippedUnits int `json:"skipped_units"`
}

// importTM merges a TMX file into the translation memory, all or nothing.
// The file is parsed as it arrives. A client that sends
// Accept: application/x-ndjson gets progress lines while it uploads (see
// importProgress); any other gets one JSON answer at the end.
func (s *Server) importTM(c *gin.Context) {
	if err := requireMediaType(c, "TMX", tmxMediaTypes); err != nil {
		s.fail(c, err)
		return
	}
	body := &countingReader{r: c.Request.Body}
	progress := s.newImportProgress(c)
	defer progress.closeBody()
	var res tmImportResult
	entries := 0
	parse := func(yield func(models.TMEntry) error) error {
		err := assist.ReadTMX(body, s.langs.Canonicalize, func(u assist.TMXUnit) error {
			res.Units++
			es := u.Entries()
			if len(es) == 0 {
				res.SkippedUnits++
			}
			for _, e := range es {
				// The columns' sizes: MySQL refuses a longer value, and
				// the whole import with it, as an internal error.
				if len(e.Court) > maxCourt || len(e.Kind) > 32 || len(e.PrevHash) > 64 || len(e.NextHash) > 64 {
					return lineError(u.Line, "props %s and %s are limited to %d and 32 bytes, %s and %s to 64",
						assist.PropCourt, assist.PropKind, maxCourt, assist.PropPrevHash, assist.PropNextHash)
				}
				entries++
				if err := yield(e); err != nil {
					return err
				}
			}
			if res.Units%progressEvery == 0 {
				progress.send(gin.H{"phase": "parsing", "units": res.Units, "bytes": body.n})
			}
			return nil
		})
		if err != nil {
			return body.requestError(err)
		}
		if res.Units%progressEvery != 0 {
			progress.send(gin.H{"phase": "parsing", "units": res.Units, "bytes": body.n})
		}
		progress.send(gin.H{"phase": "committing", "entries": entries})
		return nil
	}
	reported := 0
	imported, err := s.store.ImportTMWithProgress(c.Request.Context(), parse, func(checked, total int) {
		if checked-reported >= commitProgressEvery && checked < total {
			reported = checked
			progress.send(gin.H{"phase": "committing", "entries": total, "checked": checked})
		}
	}, currentUser(c))
	if err != nil {
		progress.fail(err)
		return
	}
	res.Imported, res.SkippedDuplicates = imported, entries-imported
	progress.finish(&res)
}

// exportTM streams the translation memory from Chinese into target_lang
// (every target language without it) as a TMX 1.4b file.
func (s *Server) exportTM(c *gin.Context) {
	target := ""
	if raw := c.Query("target_lang"); raw != "" {
		var err error
		if target, err = s.targetLanguage(raw); err != nil {
			s.fail(c, err)
			return
		}
	}
	ctx := c.Request.Context()
	s.streamFile(c, "application/x-tmx+xml", "yizhi-tm-"+cmp.Or(target, "all")+".tmx", func(w io.Writer) error {
		return assist.WriteTMX(w, assist.TMXHeader{}, func(yield func(assist.TMXUnit) error) error {
			return s.store.ExportTM(ctx, models.SourceLang, target, func(e models.TMEntry) error {
				return yield(assist.TMXUnitOf(e))
			})
		})
	})
}

// importGlossary merges a TBX file (TBX-Basic or TBX v3) into the
// termbase, all or nothing: an entry already there with the same term and
// translation takes the file's status, domain, source and notes.
func (s *Server) importGlossary(c *gin.Context) {
	if err := requireMediaType(c, "TBX", tbxMediaTypes); err != nil {
		s.fail(c, err)
		return
	}
	body := &countingReader{r: c.Request.Body}
	concepts, skipped := 0, 0
	parse := func(yield func(models.GlossaryEntry) error) error {
		err := assist.ReadTBX(body, s.langs.Canonicalize, func(concept assist.TBXConcept) error {
			concepts++
			es := concept.Entries()
			if len(es) == 0 {
				skipped++
			}
			for _, e := range es {
				if err := checkGlossaryEntry(&e); err != nil {
					return lineError(concept.Line, "%s", models.ErrorMessage(err))
				}
				if err := yield(e); err != nil {
					return err
				}
			}
			return nil
		})
		return body.requestError(err)
	}
	res, err := s.store.ImportGlossary(c.Request.Context(), parse, currentUser(c))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{
		"created": res.Created, "updated": res.Updated, "unchanged": res.Unchanged,
		"concepts": concepts, "skipped_concepts": skipped,
	})
}

// exportGlossary streams the termbase as TBX: format=tbx-basic (the
// default, which most CAT tools read) or tbx-v3. Without target_lang every
// target language is in the file, each concept holding all its languages.
func (s *Server) exportGlossary(c *gin.Context) {
	format := assist.TBXFormat(cmp.Or(c.Query("format"), string(assist.TBXBasic)))
	if format != assist.TBXBasic && format != assist.TBXv3 {
		s.fail(c, models.Errorf(models.EINVALID, "format must be %s or %s", assist.TBXBasic, assist.TBXv3))
		return
	}
	target := ""
	if raw := c.Query("target_lang"); raw != "" {
		var err error
		if target, err = s.targetLanguage(raw); err != nil {
			s.fail(c, err)
			return
		}
	}
	ctx := c.Request.Context()
	entries := func(yield func(models.GlossaryEntry) error) error {
		return s.store.ExportGlossary(ctx, models.SourceLang, target, yield)
	}
	s.streamFile(c, "application/x-tbx+xml", "yizhi-glossary-"+cmp.Or(target, "all")+".tbx", func(w io.Writer) error {
		return assist.WriteTBX(w, format, assist.GlossaryConcepts(entries))
	})
}

// streamFile answers with a file written by write. An error before any byte
// went out is an ordinary error answer; after that the status is sent, so
// the file is left unclosed (the writers never close a failed document)
// and the error is logged.
func (s *Server) streamFile(c *gin.Context, mediaType, filename string, write func(io.Writer) error) {
	c.Header("Content-Type", mediaType+"; charset=utf-8")
	c.Header("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": filename}))
	err := write(c.Writer)
	if err == nil {
		return
	}
	if !c.Writer.Written() {
		c.Writer.Header().Del("Content-Type")
		c.Writer.Header().Del("Content-Disposition")
		s.fail(c, err)
		return
	}
	s.log.Error("export failed after the response began; the file is truncated",
		"path", c.FullPath(), "err", err)
	c.Abort()
}

// requireMediaType refuses a body whose Content-Type is not one of types.
// The charset parameter is not consulted: an XML file declares its own
// encoding, and the reader follows that.
func requireMediaType(c *gin.Context, format string, types []string) error {
	mediaType, _, err := mime.ParseMediaType(c.GetHeader("Content-Type"))
	if err != nil || !contains(types, mediaType) {
		return models.Errorf(models.EINVALID, "send the %s file as the body with Content-Type %s", format, types[0]).
			WithDetails(map[string][]string{"content_types": types})
	}
	return nil
}

// countingReader counts the bytes of the request body read so far and
// remembers a read error, so that an import can tell a body that broke off
// or ran over the limit from a bad file.
type countingReader struct {
	r   io.Reader
	n   int64
	err error
}

func (r *countingReader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	r.n += int64(n)
	if err != nil && !errors.Is(err, io.EOF) {
		r.err = err
	}
	return n, err
}

// requestError maps an error that came from reading the body to the
// client's mistake it is; any other error is returned as it is.
func (r *countingReader) requestError(err error) error {
	if err == nil || r.err == nil || !errors.Is(err, r.err) {
		return err
	}
	var maxErr *http.MaxBytesError
	if errors.As(err, &maxErr) {
		return &models.Error{Code: models.ETOOLARGE, Message: "request body is too large",
			Details: map[string]int64{"limit_bytes": maxErr.Limit}}
	}
	return &models.Error{Code: models.EINVALID, Message: "could not read the request body", Err: err}
}

// lineError is an EINVALID error about one line of an uploaded file.
func lineError(line int, format string, args ...any) error {
	return models.Errorf(models.EINVALID, "line %d: %s", line, fmt.Sprintf(format, args...)).
		WithDetails(map[string]any{"line": line})
}

// importProgress is the NDJSON progress protocol of POST /v1/tm/import,
// for a client that sends Accept: application/x-ndjson. The answer is
// 200 with Content-Type application/x-ndjson, one JSON object per line,
// each flushed as it is written:
//
//	{"phase":"parsing","units":N,"bytes":B}       every 1000 units and at the end of the file
//	{"phase":"committing","entries":E}            parsing is done; the transaction begins
//	{"phase":"committing","entries":E,"checked":C} every 5000 entries committed
//	{"done":true,"imported":N,"skipped_duplicates":M,"units":U,"skipped_units":S}
//
// or, instead of the done line, {"error":{"code","message","details"}},
// after which nothing was committed. An error found before the first line
// (a malformed file on line 3, a body over the limit) is an ordinary
// 4xx answer, as without NDJSON. Without the Accept header nothing streams,
// and the answer is the done object without "done", or an error.
type importProgress struct {
	s       *Server
	c       *gin.Context
	enabled bool
	started bool
}

func (s *Server) newImportProgress(c *gin.Context) *importProgress {
	return &importProgress{s: s, c: c, enabled: acceptsMediaType(c.GetHeader("Accept"), "application/x-ndjson")}
}

func (p *importProgress) send(v any) {
	if !p.enabled {
		return
	}
	if !p.started {
		p.started = true
		// HTTP/1 servers otherwise drain the request body before the
		// first byte of the answer goes out: the progress of an upload
		// would arrive after it.
		_ = http.NewResponseController(p.c.Writer).EnableFullDuplex()
		h := p.c.Writer.Header()
		h.Set("Content-Type", "application/x-ndjson")
		h.Set("Cache-Control", "no-store")
		h.Set("X-Accel-Buffering", "no") // nginx would hold the lines back
		p.c.Status(http.StatusOK)
	}
	line, err := json.Marshal(v)
	if err != nil {
		p.s.log.Error("encode import progress", "err", err)
		return
	}
	p.c.Writer.Write(append(line, '\n'))
	p.c.Writer.Flush()
}

// closeBody ends the request body before the handler returns. In full
// duplex the server leaves an unread body to Close after the handler, and
// a Close that reaches its end then races the server's read of the next
// request and panics (golang/go#68560); closed here, it reads at most
// 256 KiB and the connection is dropped if more is left.
func (p *importProgress) closeBody() {
	if p.started {
		_ = p.c.Request.Body.Close()
	}
}

func (p *importProgress) finish(res *tmImportResult) {
	if !p.started {
		p.c.JSON(http.StatusOK, res)
		return
	}
	res.Done = true
	p.send(res)
}

func (p *importProgress) fail(err error) {
	if !p.started {
		p.s.fail(p.c, err)
		return
	}
	p.send(p.s.errorBodyOf(p.c, err))
}

// errorBodyOf is what fail would answer for err, for an error that must go
// into a stream whose status is already sent.
func (s *Server) errorBodyOf(c *gin.Context, err error) errorBody {
	code := models.ErrorCode(err)
	status, ok := statusOf[code]
	if !ok {
		status, code = http.StatusInternalServerError, models.EINTERNAL
	}
	body := errorBody{Error: errorDetail{Code: code, Message: models.ErrorMessage(err)}}
	var e *models.Error
	if errors.As(err, &e) {
		body.Error.Details = e.Details
	}
	if status >= http.StatusInternalServerError {
		s.log.Error("request failed", "method", c.Request.Method, "path", c.FullPath(), "err", err)
		if code == models.EINTERNAL {
			body.Error.Message, body.Error.Details = "internal error", nil
		}
	}
	return body
}

// acceptsMediaType reports whether an Accept header lists mediaType with a
// non-zero quality.
func acceptsMediaType(accept, mediaType string) bool {
	for _, part := range strings.Split(accept, ",") {
		mt, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err == nil && mt == mediaType && params["q"] != "0" && params["q"] != "0.0" && params["q"] != "0.000" {
			return true
		}
	}
	return false
}
