package assist

import (
	"container/heap"
	"encoding/binary"
	"encoding/hex"
	"math/bits"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"yizhi/models"
)

// Memory is the worker's in-memory translation-memory index. The worker
// loads it from the database at start, adds every pair it publishes, and
// with several workers catches up from the database by ID (id > LastID).
// Lookup and Add are safe for concurrent use.
//
// Layout, chosen so a million pairs fit in well under a gigabyte of heap
// and a lookup touches little of it:
//   - one partition per language pair ("zh-Hans>ug");
//   - a pair is a fixed-size record plus bytes in large shared chunks (its
//     number tokens and target), not a dozen small heap objects the garbage
//     collector must trace; a pair repeated with the same source and target
//     is stored once, under its newest entry ID;
//   - the normalized source is kept as uint16 rune codes (one code table
//     for the whole memory), and the source text is rebuilt from the codes
//     and the number tokens, so it is stored only when that would not give
//     it back (full-width letters, text that was not NFC);
//   - pairs whose normalized sources are equal (they differ only in
//     numbers) form a family: the family is posted once in the inverted
//     index and scored once; within a family, a newer pair whose target has
//     the same shape (its numbers aside) supersedes an older one, because
//     after number substitution both give the same suggestion;
//   - an inverted index from each character of the normalized source to
//     the ascending internal ids ([]uint32) of the families holding it,
//     split by length band;
//   - per family, 4 bytes of length and distinct-character count and a
//     256-bit character sketch, for bounds that need no posting list;
//   - 64-bit hashes for the lookups by source, normalized source, target
//     shape and source plus neighbours, instead of 64-character hex
//     strings.
//
// See Lookup for the search and fuzzy.go for the scoring.
type Memory struct {
	minScore int

	mu     sync.RWMutex
	parts  map[string]*tmPartition
	seen   idSet
	lastID int64
	count  int
	codes  map[rune]uint16
	runes  []rune // code → rune; runes[0] is unused

	// free holds scratch memory for lookups to reuse. Not a sync.Pool:
	// a pool is emptied at every garbage collection, and a lookup that
	// then allocates and zeroes its megabytes of scratch pays a
	// millisecond for it.
	freeMu sync.Mutex
	free   []*scratch
}

// MemoryOptions configures a Memory.
type MemoryOptions struct {
	// MinScore is the lowest score Lookup returns; 0 means 70, the
	// threshold translators are shown by default.
	MinScore int
}

// DefaultMinScore is the threshold when MemoryOptions leaves it 0.
const DefaultMinScore = 70

// Match is one TM suggestion for a segment.
type Match struct {
	EntryID int64
	Score   int    // 101 in context, 100 exact, else fuzzy 0–99
	Origin  string // models.OriginTMContext, OriginTMExact or OriginTMFuzzy
	Source  string // the TM entry's source
	Text    string // its target; for fuzzy matches with the query's numbers
	ed      int    // normalized edit distance, for ranking equal scores
}

// NewMemory returns an empty Memory.
func NewMemory(opts MemoryOptions) *Memory {
	if opts.MinScore <= 0 {
		opts.MinScore = DefaultMinScore
	}
	return &Memory{
		minScore: opts.MinScore,
		parts:    map[string]*tmPartition{},
		codes:    map[rune]uint16{},
		runes:    []rune{0},
	}
}

func pairKey(sourceLang, targetLang string) string { return sourceLang + ">" + targetLang }

// Add indexes entries. Re-adding an ID is a no-op, so a catch-up query
// that overlaps what a publish already added does no harm.
func (m *Memory) Add(entries ...models.TMEntry) {
	// Normalizing is the costly part of adding, and needs no lock.
	norms := make([]normSegment, len(entries))
	for i := range entries {
		norms[i] = normalizeSegment(entries[i].SourceLang, entries[i].SourceText)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	var codes []uint16
	for i := range entries {
		e := &entries[i]
		if !m.seen.add(e.ID) {
			continue
		}
		m.count++
		m.lastID = max(m.lastID, e.ID)
		key := pairKey(e.SourceLang, e.TargetLang)
		p := m.parts[key]
		if p == nil {
			p = newPartition(e.SourceLang)
			m.parts[key] = p
		}
		codes = m.encode(norms[i].runes, codes[:0], true)
		p.add(m, e, norms[i], codes)
	}
}

// LastID is the highest entry ID added.
func (m *Memory) LastID() int64 {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.lastID
}

// Len is the number of entries added.
func (m *Memory) Len() int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.count
}

// Rune codes. 0 is kept for runes the memory has never seen (they match
// nothing). If a memory ever holds more than 65,534 distinct characters,
// the rest share the last code: that can only make their scores too
// generous, never hide a match, and their sources are stored as written.
const (
	codeUnknown = 0
	codeMax     = 0xFFFF
)

// encode maps runes to codes, assigning new codes when adding.
func (m *Memory) encode(rs []rune, dst []uint16, assign bool) []uint16 {
	for _, r := range rs {
		c, ok := m.codes[r]
		if !ok {
			c = codeUnknown
			if assign {
				c = uint16(min(len(m.runes), codeMax))
				m.codes[r] = c
				if int(c) == len(m.runes) {
					m.runes = append(m.runes, r)
				}
			}
		}
		dst = append(dst, c)
	}
	return dst
}

// Lookup returns up to limit matches for one source segment, best first:
// in-context (101: the same source between the same neighbours, when prev
// or next is given), exact (100: the same source), then fuzzy (0–99, see
// fuzzy.go) at or above MinScore. prev and next are the hashes of the
// neighbouring segments (models.SegmentHash, as Neighbours returns them).
//
// There is one match per distinct target text, the best. Pairs whose
// sources differ only in numbers and whose targets differ only in numbers
// are one translation, and give one fuzzy match, from the newest entry.
// Equal scores rank the smaller edit distance first, then the newer
// entry. The fuzzy search is exact unless a lookup reaches its work
// budgets (see scanBudget); then it returns the best it found.
func (m *Memory) Lookup(sourceLang, targetLang, source, prev, next string, limit int) []Match {
	ms, _ := m.lookup(sourceLang, targetLang, source, prev, next, limit, false)
	return ms
}

// bruteForce answers like Lookup by scoring every pair of the language
// pair: the baseline the index is measured against.
func (m *Memory) bruteForce(sourceLang, targetLang, source, prev, next string, limit int) []Match {
	ms, _ := m.lookup(sourceLang, targetLang, source, prev, next, limit, true)
	return ms
}

// lookupStats says how much work a lookup did, for the benchmark.
type lookupStats struct {
	verified int // families whose edit distance was computed
	scanned  int // postings read
	touched  int // families counted
	lists    int // posting lists read
	levels   int // thresholds tried
	promoted int // candidates bucketed
	sketches int // candidates bounded by their sketch
}

func (m *Memory) lookup(sourceLang, targetLang, source, prev, next string, limit int, brute bool) ([]Match, lookupStats) {
	raw := strings.TrimSpace(source)
	if limit <= 0 || raw == "" {
		return nil, lookupStats{}
	}
	q := tmQuery{raw: raw, rawHash: hashString(raw), prev: contextHash(prev), next: contextHash(next)}
	q.hasCtx = prev != "" || next != ""
	q.norm = normalizeSegment(sourceLang, raw)
	q.normHash = hashRunes(q.norm.runes)

	m.mu.RLock()
	defer m.mu.RUnlock()
	p := m.parts[pairKey(sourceLang, targetLang)]
	if p == nil {
		return nil, lookupStats{}
	}
	s := m.getScratch(len(p.recs))
	defer m.putScratch(s)
	q.codes = m.encode(q.norm.runes, s.codes[:0], false)
	s.codes = q.codes

	c := collector{limit: limit, minScore: m.minScore}
	w := &work{m: m, p: p, q: &q, c: &c, s: s}
	w.exact()
	if m.minScore <= fuzzyCap && len(q.codes) > 0 && len(q.codes) <= maxIndexedLen {
		s.pat.prepare(q.codes, s.rows)
		if brute {
			w.scanAll()
		} else {
			w.fuzzy()
		}
		s.pat.release()
	}
	w.flush(0)
	st := s.stats
	for _, word := range s.seen {
		st.touched += bits.OnesCount64(word)
	}
	s.reset(st.touched)
	return c.result(), st
}

// tmQuery is a segment being looked up.
type tmQuery struct {
	raw        string
	rawHash    uint64
	prev, next uint64
	hasCtx     bool
	norm       normSegment
	normHash   uint64
	codes      []uint16
}

// collector keeps the best limit matches with distinct target texts.
type collector struct {
	limit, minScore int
	top             []Match // best first
}

// better is the ranking: score, then edit distance, then the newer entry.
func better(a, b *Match) bool {
	if a.Score != b.Score {
		return a.Score > b.Score
	}
	if a.ed != b.ed {
		return a.ed < b.ed
	}
	return a.EntryID > b.EntryID
}

// threshold is the lowest score that can still enter the result.
func (c *collector) threshold() int {
	if len(c.top) < c.limit {
		return c.minScore
	}
	return c.top[len(c.top)-1].Score
}

func (c *collector) offer(mt Match) {
	if mt.Score < c.minScore {
		return
	}
	for i := range c.top {
		if c.top[i].Text == mt.Text {
			if !better(&mt, &c.top[i]) {
				return
			}
			c.top = slices.Delete(c.top, i, i+1)
			break
		}
	}
	if len(c.top) == c.limit && !better(&mt, &c.top[len(c.top)-1]) {
		return
	}
	at := len(c.top)
	for i := range c.top {
		if better(&mt, &c.top[i]) {
			at = i
			break
		}
	}
	c.top = slices.Insert(c.top, at, mt)
	if len(c.top) > c.limit {
		c.top = c.top[:c.limit]
	}
}

func (c *collector) result() []Match {
	if len(c.top) == 0 {
		return nil
	}
	return c.top
}

// tmPartition is the memory of one language pair. Internal ids index recs.
type tmPartition struct {
	sourceLang string

	recs []tmRecord
	// lenDist is, per record, its normalized length << 16 | its number
	// of distinct characters: 4 bytes a record, so the array stays in
	// cache while a lookup bounds its candidates.
	lenDist []uint32
	sketch  []sketchBits // see sketchBits; read only for candidates that may make the result
	srcH    []uint32     // a hash of the source, to compare sources without rebuilding them

	blobs byteArena // per record: number tokens, source if not rebuildable, target
	norms codeArena

	// postings maps a rune code to the families holding it, split by
	// normalized length in bands of bandWidth runes: a lookup reads only
	// the bands its length window allows, which for a short segment made
	// of common characters (a date line) is a small part of the lists.
	postings map[uint16][]lengthBand
	byNorm   map[uint64]uint32 // normalized source → family id + 1
	byShape  map[uint64]uint32 // normalized source and target shape → newest id + 1
	byRaw    map[uint64]uint32 // source → newest id + 1, chained by sameRaw, for exact matches
	ctx      map[uint64]uint32 // source and neighbours → link + 1
	links    []ctxLink
	byLen    [][]uint32 // normalized length → family ids, for thresholds too low for the count filter

	keyBuf []uint32
}

// tmRecord is one distinct (source, target) pair.
type tmRecord struct {
	id                 int64 // the newest entry with this pair
	blobChunk, blobOff uint32
	normChunk, normOff uint32
	// sameNorm chains a family, + 1: from the family id (the first pair
	// with that normalized source, which holds the postings) through the
	// members no newer pair supersedes; famPrev links back.
	sameNorm uint32
	famPrev  uint32
	sameRaw  uint32 // the next older pair with the same source, + 1
	flags    uint8
}

const (
	recFamily     = 1 << iota // the family's id: in the postings
	recSuperseded             // a newer pair in the family has the same target shape
	recRawStored              // the source could not be rebuilt from its codes
)

// ctxLink records the neighbours one entry was approved between.
type ctxLink struct {
	id   int64
	rec  uint32
	next uint32 // next link with the same key, + 1
}

// maxIndexedLen bounds the sequences the fuzzy index takes: a "segment"
// of more than 4,000 characters is not a sentence anyone will find a
// fuzzy match for, and lengths stay well inside their 16 bits. Longer
// ones are still found exactly.
const maxIndexedLen = 4000

func newPartition(sourceLang string) *tmPartition {
	return &tmPartition{
		sourceLang: sourceLang,
		postings:   map[uint16][]lengthBand{},
		byNorm:     map[uint64]uint32{},
		byShape:    map[uint64]uint32{},
		byRaw:      map[uint64]uint32{},
		ctx:        map[uint64]uint32{},
	}
}

// blob is a record's bytes, parsed.
type blob struct {
	nums   []numToken
	raw    []byte // nil if rebuilt from codes
	target []byte
}

func (p *tmPartition) blob(id uint32, withNums bool) blob {
	r := &p.recs[id]
	b := p.blobs.chunks[r.blobChunk][r.blobOff:]
	var out blob
	n, k := binary.Uvarint(b)
	b = b[k:]
	for i := 0; i < int(n); i++ {
		kind := numKind(b[0])
		l, k := binary.Uvarint(b[1:])
		text := b[1+k : 1+k+int(l)]
		b = b[1+k+int(l):]
		if withNums {
			out.nums = append(out.nums, numToken{text: string(text), kind: kind, value: numValue(kind, string(text))})
		}
	}
	l, k := binary.Uvarint(b)
	if r.flags&recRawStored != 0 {
		out.raw = b[k : k+int(l)]
	}
	b = b[k+int(l):]
	l, k = binary.Uvarint(b)
	out.target = b[k : k+int(l)]
	return out
}

func (p *tmPartition) codes(id uint32) []uint16 {
	r := &p.recs[id]
	return p.norms.slice(r.normChunk, r.normOff, uint32(p.nlen(id)))
}

func (p *tmPartition) nlen(id uint32) int     { return int(p.lenDist[id] >> 16) }
func (p *tmPartition) distinct(id uint32) int { return int(p.lenDist[id] & 0xFFFF) }

// rebuild writes the source from the normalized codes, putting the number
// tokens back where the placeholders are.
func (p *tmPartition) rebuild(m *Memory, id uint32, dst []byte) []byte {
	r := &p.recs[id]
	b := p.blobs.chunks[r.blobChunk][r.blobOff:]
	_, k := binary.Uvarint(b)
	b = b[k:]
	return rebuildSource(m, p.codes(id), func() []byte {
		l, k := binary.Uvarint(b[1:])
		t := b[1+k : 1+k+int(l)]
		b = b[1+k+int(l):]
		return t
	}, dst)
}

func rebuildSource(m *Memory, codes []uint16, nextNum func() []byte, dst []byte) []byte {
	for _, c := range codes {
		ru := m.runes[c]
		if ru == numberMark || ru == caseMark {
			dst = append(dst, nextNum()...)
			continue
		}
		dst = utf8.AppendRune(dst, ru)
	}
	return dst
}

// sourceIs reports whether a record's source is raw, without building it
// when the hashes already differ.
func (p *tmPartition) sourceIs(m *Memory, id uint32, raw string, rawHash uint64, buf []byte) (bool, []byte) {
	if p.srcH[id] != uint32(rawHash) {
		return false, buf
	}
	if p.recs[id].flags&recRawStored != 0 {
		return string(p.blob(id, false).raw) == raw, buf
	}
	buf = p.rebuild(m, id, buf[:0])
	return string(buf) == raw, buf
}

func (p *tmPartition) add(m *Memory, e *models.TMEntry, norm normSegment, codes []uint16) {
	src := strings.TrimSpace(e.SourceText)
	tgt := e.TargetText
	normHash := hashRunes(norm.runes)
	shape := mix(normHash, hashString(targetShape(tgt)))
	srcHash := hashString(src)
	if r, ok := p.byShape[shape]; ok {
		b := p.blob(r-1, false)
		if string(b.target) == tgt {
			if same, _ := p.sourceIs(m, r-1, src, srcHash, nil); same {
				id := r - 1
				p.recs[id].id = max(p.recs[id].id, e.ID)
				p.link(e, srcHash, id)
				return
			}
		}
	}
	id := uint32(len(p.recs))
	n := len(codes)
	if n > maxIndexedLen {
		n = 0 // exact matches only
	}
	var rec tmRecord
	rec.id = e.ID
	if n > 0 {
		rec.normChunk, rec.normOff = p.norms.add(codes)
	}
	p.recs = append(p.recs, rec)
	p.lenDist = append(p.lenDist, uint32(n)<<16)
	p.sketch = append(p.sketch, sketchOf(codes[:n]))
	p.srcH = append(p.srcH, uint32(srcHash))

	// The blob: number tokens, the source unless the codes give it back,
	// the target.
	var buf []byte
	buf = binary.AppendUvarint(buf, uint64(len(norm.nums)))
	for _, t := range norm.nums {
		buf = append(buf, byte(t.kind))
		buf = binary.AppendUvarint(buf, uint64(len(t.text)))
		buf = append(buf, t.text...)
	}
	rebuilt := n > 0 && !slices.Contains(codes, codeMax)
	if rebuilt {
		k := 0
		rebuilt = string(rebuildSource(m, codes, func() []byte {
			k++
			return []byte(norm.nums[k-1].text)
		}, nil)) == src
	}
	if rebuilt {
		buf = binary.AppendUvarint(buf, 0)
	} else {
		p.recs[id].flags |= recRawStored
		buf = binary.AppendUvarint(buf, uint64(len(src)))
		buf = append(buf, src...)
	}
	buf = binary.AppendUvarint(buf, uint64(len(tgt)))
	buf = append(buf, tgt...)
	p.recs[id].blobChunk, p.recs[id].blobOff = p.blobs.add(buf)

	p.recs[id].sameRaw = p.byRaw[srcHash]
	p.byRaw[srcHash] = id + 1
	old, superseding := p.byShape[shape]
	p.byShape[shape] = id + 1
	if fam, ok := p.byNorm[normHash]; ok && slices.Equal(p.codes(fam-1), codes[:n]) && p.nlen(fam-1) == n {
		// Join the family after its id; a member this pair supersedes
		// leaves the chain (the family id stays, marked), so a family
		// of ten thousand sentences that differ only in dates is walked
		// in one step.
		f := fam - 1
		p.lenDist[id] = p.lenDist[f]
		p.chainAfter(f, id)
		if superseding {
			o := old - 1
			p.recs[o].flags |= recSuperseded
			if o != f {
				p.unchain(o)
			}
		}
		p.link(e, srcHash, id)
		return
	}
	// A new family (or, on a hash collision, an unchained one: it still
	// gets its own postings, and only exact lookups by hash miss it).
	p.recs[id].flags |= recFamily
	if _, taken := p.byNorm[normHash]; !taken {
		p.byNorm[normHash] = id + 1
	}
	if n > 0 {
		keys := p.keyBuf[:0]
		for i := 0; i < n; i++ {
			keys = append(keys, uint32(codes[i]))
		}
		slices.Sort(keys)
		keys = slices.Compact(keys)
		band := uint16(n / bandWidth)
		for _, k := range keys {
			p.post(uint16(k), band, id)
		}
		p.lenDist[id] |= uint32(len(keys))
		p.keyBuf = keys
		for len(p.byLen) <= n {
			p.byLen = append(p.byLen, nil)
		}
		p.byLen[n] = append(p.byLen[n], id)
	}
	p.link(e, srcHash, id)
}

// sketchBits is a family's characters, each hashed to one of 256 bits.
// A bit the query sets and the family does not is a query character the
// family lacks, and the other way round, so a sketch gives nearly the
// bound that counting every posting list would, for half a cache line
// instead of millions of postings.
const sketchWords = 4

type sketchBits [sketchWords]uint64

func sketchOf(codes []uint16) sketchBits {
	var sk sketchBits
	for _, c := range codes {
		h := (uint32(c) * 0x9E3779B1 >> 16) % (64 * sketchWords)
		sk[h/64] |= 1 << (h % 64)
	}
	return sk
}

// sketchMissing counts the bits a sets and b does not, and the other way
// round: lower bounds on the distinct characters of one text that the
// other lacks.
func sketchMissing(a, b *sketchBits) (ab, ba int) {
	for i := range sketchWords {
		ab += bits.OnesCount64(a[i] &^ b[i])
		ba += bits.OnesCount64(b[i] &^ a[i])
	}
	return ab, ba
}

// lengthBand is the families of one length band that hold a rune,
// ascending.
type lengthBand struct {
	band uint16
	ids  []uint32
}

const bandWidth = 4

func (p *tmPartition) post(code, band uint16, id uint32) {
	bands := p.postings[code]
	i, found := slices.BinarySearchFunc(bands, band, func(b lengthBand, v uint16) int { return int(b.band) - int(v) })
	if !found {
		bands = slices.Insert(bands, i, lengthBand{band: band})
		p.postings[code] = bands
	}
	bands[i].ids = append(bands[i].ids, id)
}

func (p *tmPartition) chainAfter(at, id uint32) {
	next := p.recs[at].sameNorm
	p.recs[id].sameNorm, p.recs[id].famPrev = next, at+1
	p.recs[at].sameNorm = id + 1
	if next != 0 {
		p.recs[next-1].famPrev = id + 1
	}
}

func (p *tmPartition) unchain(id uint32) {
	prev, next := p.recs[id].famPrev, p.recs[id].sameNorm
	p.recs[prev-1].sameNorm = next
	if next != 0 {
		p.recs[next-1].famPrev = prev
	}
	p.recs[id].sameNorm, p.recs[id].famPrev = 0, 0
}

// targetShape is a target with its numbers masked: case numbers whole,
// other digits by run. Two translations of one sentence that differ only
// in numbers have the same shape, and after substitution give the same
// suggestion.
func targetShape(t string) string {
	if strings.IndexFunc(t, func(r rune) bool { return isASCIIDigit(foldWidth(r)) }) < 0 {
		return t
	}
	rs := []rune(t)
	folded := make([]rune, len(rs))
	for i, r := range rs {
		folded[i] = foldWidth(r)
	}
	var b strings.Builder
	for i := 0; i < len(folded); {
		r := folded[i]
		if isCaseOpener(r) {
			if end, ok := caseNumberEnd(folded, i); ok {
				b.WriteRune(caseMark)
				i = end
				continue
			}
		}
		if isASCIIDigit(r) {
			b.WriteRune(numberMark)
			for i < len(folded) && isASCIIDigit(folded[i]) {
				i++
			}
			continue
		}
		b.WriteRune(rs[i])
		i++
	}
	return b.String()
}

// link remembers an entry's neighbours for in-context matches.
func (p *tmPartition) link(e *models.TMEntry, srcHash uint64, id uint32) {
	if e.PrevHash == "" && e.NextHash == "" {
		return
	}
	k := mix(mix(srcHash, contextHash(e.PrevHash)), contextHash(e.NextHash))
	p.links = append(p.links, ctxLink{id: e.ID, rec: id, next: p.ctx[k]})
	p.ctx[k] = uint32(len(p.links))
}

// work is one lookup in one partition.
type work struct {
	m *Memory
	p *tmPartition
	q *tmQuery
	c *collector
	s *scratch
}

// exact adds the in-context and exact matches, and the pairs that differ
// only in numbers (the query's family).
func (w *work) exact() {
	p, q, s := w.p, w.q, w.s
	if q.hasCtx {
		k := mix(mix(q.rawHash, q.prev), q.next)
		for l := p.ctx[k]; l != 0; l = p.links[l-1].next {
			link := &p.links[l-1]
			var same bool
			if same, s.buf = p.sourceIs(w.m, link.rec, q.raw, q.rawHash, s.buf); same {
				w.c.offer(Match{EntryID: link.id, Score: ScoreContext, Origin: models.OriginTMContext,
					Source: q.raw, Text: string(p.blob(link.rec, false).target)})
			}
		}
	}
	for r := p.byRaw[q.rawHash]; r != 0; r = p.recs[r-1].sameRaw {
		w.exactOnly(r - 1)
	}
	fam, ok := p.byNorm[q.normHash]
	if !ok {
		return
	}
	f := fam - 1
	if p.nlen(f) == 0 || !slices.Equal(p.codes(f), q.codes) {
		return // too long to index, or a hash collision
	}
	s.mark(f)
	w.family(f, 0)
}

// exactOnly offers a pair if its source is the query.
func (w *work) exactOnly(id uint32) {
	var same bool
	if same, w.s.buf = w.p.sourceIs(w.m, id, w.q.raw, w.q.rawHash, w.s.buf); same {
		w.c.offer(Match{EntryID: w.p.recs[id].id, Score: ScoreExact, Origin: models.OriginTMExact,
			Source: w.q.raw, Text: string(w.p.blob(id, false).target)})
	}
}

// family turns the current members of a family at normalized edit
// distance ed into fuzzy candidates, to be materialized when they can
// still make the result.
func (w *work) family(f uint32, ed int) {
	p := w.p
	pre := fuzzyCap
	if ed > 0 {
		pre = min(similarity(ed, len(w.q.codes), p.nlen(f)), fuzzyCap)
	}
	for r := f + 1; r != 0; r = p.recs[r-1].sameNorm {
		id := r - 1
		pm := pendingMatch{id: id, entry: p.recs[id].id, ed: int32(ed), pre: int16(pre)}
		if p.recs[id].flags&recSuperseded != 0 || w.dominated(pm) {
			continue
		}
		if ed == 0 {
			// The query's own family: a pair with the query's source is
			// an exact match, offered from byRaw.
			var same bool
			if same, w.s.buf = p.sourceIs(w.m, id, w.q.raw, w.q.rawHash, w.s.buf); same {
				continue
			}
		}
		heap.Push(&w.s.pending, pm)
	}
}

// dominated reports whether a pending match, even at its score before
// substitution, would rank below a full result's last.
func (w *work) dominated(pm pendingMatch) bool {
	c := w.c
	if len(c.top) < c.limit {
		return int(pm.pre) < c.minScore
	}
	opt := Match{Score: int(pm.pre), ed: int(pm.ed), EntryID: pm.entry}
	return !better(&opt, &c.top[len(c.top)-1])
}

// flush materializes the pending fuzzy matches that score at least floor,
// best first, while they can still enter the result: the number
// substitution is the expensive part of a match, so it is done only for
// the few that may be shown.
func (w *work) flush(floor int) {
	pend := &w.s.pending
	for pend.Len() > 0 {
		top := (*pend)[0]
		if int(top.pre) < floor {
			return
		}
		heap.Pop(pend)
		if w.dominated(top) {
			// The heap is in the result's order, and substituting can
			// only lower a score: nothing left can make the result.
			pend.clear()
			return
		}
		b := w.p.blob(top.id, true)
		var src string
		if b.raw != nil {
			src = string(b.raw)
		} else {
			w.s.buf = w.p.rebuild(w.m, top.id, w.s.buf[:0])
			src = string(w.s.buf)
		}
		text, missing := substituteNumbers(string(b.target), b.nums, w.q.norm.nums)
		w.c.offer(Match{EntryID: top.entry, Score: int(top.pre) - missing, Origin: models.OriginTMFuzzy,
			Source: src, Text: text, ed: int(top.ed)})
	}
}

// verifyFamily computes a family's distance and makes its members
// candidates if they can still make the result.
func (w *work) verifyFamily(f uint32) {
	w.s.mark(f)
	n, m := len(w.q.codes), w.p.nlen(f)
	bound := maxEdits(max(n, m), w.c.threshold())
	w.s.stats.verified++
	if ed := w.s.pat.distance(w.p.codes(f), bound); ed <= bound {
		w.family(f, ed)
	}
}

// Work budgets. In a TM full of template sentences, a 70% threshold
// makes most of a template's sentences candidates for a query from it;
// the filters settle nearly all of them without an edit distance, but a
// long, edited sentence whose fifth-best match is near 70 can still touch
// a hundred thousand. Past these budgets a lookup stops reading lists,
// bounding candidates by their sketches, or verifying, and returns the
// best it has found. Candidates go in order of promise (the rarest lists
// first, the highest counts first), so what is left out is the least
// likely to matter. At a million pairs (RunMemoryBench) the budgets are
// where the p99 falls under 5 ms for a recall of about 0.996 against the
// brute force: doubling them buys 0.002 of recall for a fifth more p99.
// Below a few thousand candidates, the common case, a lookup is exact.
const (
	scanBudget   = 300_000 // postings read
	sketchBudget = 7_000   // candidates bounded by their sketch
	verifyBudget = 1_500   // edit distances computed
)

// scanAll is the brute-force scorer: every family, the same distance, cut
// off only at the score the result can no longer take.
func (w *work) scanAll() {
	p, s := w.p, w.s
	for id := range p.recs {
		id := uint32(id)
		if p.recs[id].flags&recFamily == 0 || s.isVerified(id) || p.nlen(id) == 0 {
			continue
		}
		w.verifyFamily(id)
		if s.pending.Len() > 64 {
			w.flush(0)
		}
	}
}

// Fuzzy search: a count filter over the query's characters with prefix
// filtering, run at falling thresholds.
//
// A pair at edit distance ed from the query lacks at most ed of the
// query's distinct characters (an edit removes at most one), and needs
// m−n more edits if it is m−n longer; symmetrically for the pair's own
// characters. So a pair that can score θ shares nearly all of the
// query's characters, and one that has none of the query's p rarest
// characters is at least p edits away: reading the posting lists of the
// rarest few finds every candidate, and the lists of 人, 法, 院 are read
// only when the threshold is low enough to need them.
//
// Reading a list only counts, a byte per pair, so most pairs that share
// a few characters with the query cost no more than their count. A pair
// whose count allows the threshold becomes a candidate, bounded again by
// its sketch, and waits in a bucket by the best score it can reach.
// Candidates are verified (bit-parallel edit distance) best bucket first;
// the result's threshold, its limit-th score, rises as they are and
// prunes the rest.
//
// The threshold starts high (firstLevel): most segments in a court TM
// have near duplicates, and once limit matches score ≥ θ nothing below θ
// matters. If they do not, the search goes on 4 points lower, reading
// more lists; 8 or 12 lower when few or none were found, since the
// result's threshold will then end up low.
const firstLevel = 95

func (w *work) fuzzy() {
	p, q, c, s := w.p, w.q, w.c, w.s
	n := len(q.codes)
	keys := s.keys[:0]
	for _, code := range q.codes {
		// A rune the memory never saw has no list. Two such runes share
		// code 0; counting fewer query runes than there are only loosens
		// the bounds, which stays safe.
		keys = append(keys, uint32(code))
	}
	slices.Sort(keys)
	keys = slices.Compact(keys)
	s.keys = keys
	nb := len(keys)
	qsk := sketchOf(q.codes)
	mlo, mhi := lengthWindow(n, c.minScore)
	// A query rune's list is the bands of its postings inside the
	// length window (nil for runes nobody has), shortest list first.
	lists := s.lists[:0]
	parts := s.parts[:0]
	for _, k := range keys {
		l := runeList{from: len(parts)}
		bands := p.postings[uint16(k)]
		i, _ := slices.BinarySearchFunc(bands, mlo/bandWidth, func(b lengthBand, v uint16) int { return int(b.band) - int(v) })
		for ; i < len(bands) && bands[i].band <= mhi/bandWidth; i++ {
			parts = append(parts, bands[i].ids)
			l.total += len(bands[i].ids)
		}
		l.to = len(parts)
		lists = append(lists, l)
	}
	slices.SortFunc(lists, func(a, b runeList) int { return a.total - b.total })
	s.lists, s.parts = lists, parts
	// A count is a byte: lists past the first maxCounted are never read,
	// and count as possibly holding every candidate.
	readable := min(nb, maxCounted)

	added := 0 // lists [0, added) have been read
	lengthsScanned := false
	addList := func(l runeList) {
		s.stats.lists++
		s.stats.scanned += l.total
		cnt, seen := s.cnt, s.seen
		for _, part := range parts[l.from:l.to] {
			for _, id := range part {
				cnt[id]++
				seen[id/64] |= 1 << (id % 64)
			}
		}
	}

	// Candidates are bounded by their sketch in batches: each sketch is
	// a cache miss, and a tight loop over a batch lets the processor wait
	// for many at once.
	batch := s.batch[:0]
	var missing [promoteBatch][2]int
	flushBatch := func() {
		for i, id := range batch {
			missing[i][0], missing[i][1] = sketchMissing(&qsk, &p.sketch[id])
		}
		for i, id := range batch {
			m, dist := p.nlen(id), p.distinct(id)
			qx, xq := missing[i][0], missing[i][1]
			ed := max(m-n, n-m, qx+max(0, m-n), xq+max(0, n-m), 1)
			b := min(boundScore(n, m, nb, dist, int(s.cnt[id])+nb-added), similarity(ed, n, m))
			if b >= c.minScore {
				s.buckets[b] = append(s.buckets[b], bucketEntry{id: id, m: uint16(m), distinct: uint16(dist)})
				s.stats.promoted++
			}
		}
		s.stats.sketches += len(batch)
		batch = batch[:0]
	}
	// promote takes the waiting pairs whose counts allow theta: one that
	// lacks more of the characters read than theta allows at any length
	// cannot reach it. Pairs that share the most of the query's rarest
	// characters go first, and past the sketch budget the rest are left
	// out: those are the least likely to be near the query.
	promote := func(theta int) {
		if s.stats.sketches >= sketchBudget {
			return
		}
		lo, hi := lengthWindow(n, theta)
		slack := 0
		for m := int(lo); m <= int(hi); m++ {
			slack = max(slack, maxEdits(max(n, m), theta)-max(0, m-n))
		}
		// Families taken from the length lists have no count; when so
		// few lists are read that any family may qualify, need is 0.
		need := uint8(max(added-slack, 0))
		order := s.order[:0]
		var counts [maxCounted + 2]int
		for wi, word := range s.seen {
			word &^= s.done[wi]
			for word != 0 {
				bit := bits.TrailingZeros64(word)
				word &= word - 1
				if k := s.cnt[wi*64+bit]; k >= need {
					counts[k]++
					order = append(order, uint32(wi*64+bit))
				}
			}
		}
		s.order = order[:0] // keep the grown buffer
		// When more qualify than the sketch budget takes, only those with
		// the highest counts go on: a count is the number of the query's
		// rarest characters a pair has, the best cheap sign of a near
		// match (bounding more of them first only costs time). The
		// others keep waiting.
		cut := int(need)
		for k, have := maxCounted, 0; k > cut; k-- {
			if have += counts[k]; have >= sketchBudget-s.stats.sketches {
				cut = k
				break
			}
		}
		kept := order[:0]
		for _, id := range order {
			if int(s.cnt[id]) >= cut {
				s.done[id/64] |= 1 << (id % 64)
				kept = append(kept, id)
			}
		}
		order = kept
		// The count bound of each, once: most of a long query's pairs
		// drop out here, their length or counts ruling them out (the
		// length window is in the bound).
		bounds := slices.Grow(s.bounds[:0], len(order))[:0]
		kept = order[:0]
		var hist [fuzzyCap + 2]int
		for _, id := range order {
			ld := p.lenDist[id]
			b := boundScore(n, int(ld>>16), nb, int(ld&0xFFFF), int(s.cnt[id])+nb-added)
			if b < c.minScore {
				continue
			}
			kept = append(kept, id)
			bounds = append(bounds, uint8(b))
			hist[b]++
		}
		s.bounds = bounds
		order = kept
		if len(order) > sketchBudget-s.stats.sketches {
			// More than the budget takes: best count bound first.
			var at [fuzzyCap + 2]int
			for b, off := fuzzyCap, 0; b >= 0; b-- {
				at[b] = off
				off += hist[b]
			}
			sorted := slices.Grow(s.sorted[:0], len(order))[:len(order)]
			for i, id := range order {
				b := bounds[i]
				sorted[at[b]] = id
				at[b]++
			}
			s.sorted = sorted
			order = sorted
		}
		for _, id := range order {
			if s.stats.sketches+len(batch) >= sketchBudget {
				break
			}
			batch = append(batch, id)
			if len(batch) == promoteBatch {
				flushBatch()
			}
		}
		flushBatch()
	}
	// process verifies candidates best bound first, newest first within
	// a bound (the tie-break the result uses), down to floor or until
	// the result's threshold passes the bounds. A popped candidate is
	// checked against the lists read since it was bucketed, and goes
	// back lower if they rule its bound out. It reports whether the
	// verification budget ran out.
	process := func(floor int) bool {
		rest := nb - added
		for b := fuzzyCap; b >= floor; b-- {
			for len(s.buckets[b]) > 0 {
				w.flush(b)
				if b < c.threshold() {
					return false
				}
				if s.stats.verified >= verifyBudget {
					return true
				}
				last := len(s.buckets[b]) - 1
				e := s.buckets[b][last]
				s.buckets[b] = s.buckets[b][:last]
				if s.isVerified(e.id) {
					continue
				}
				if nbd := boundScore(n, int(e.m), nb, int(e.distinct), int(s.cnt[e.id])+rest); nbd < b {
					if nbd >= c.minScore {
						s.buckets[nbd] = append(s.buckets[nbd], e)
					}
					continue
				}
				w.verifyFamily(e.id)
			}
		}
		return false
	}

	lv := firstLevel
	for {
		lv = max(lv, c.minScore)
		s.stats.levels++
		// What is found already may fill the result and raise its
		// threshold, which shortens the prefix to read.
		if process(lv) {
			return
		}
		theta := max(lv, c.threshold())
		need := prefixNeeded(n, nb, theta)
		for added < min(need, readable) && (s.stats.scanned+lists[added].total <= scanBudget || added == 0) {
			addList(lists[added])
			added++
		}
		// A few lists more than the prefix needs: counting is cheap, and
		// every list counted rules out more pairs before their sketch.
		prefixCost := 0
		for _, l := range lists[:min(need, readable)] {
			prefixCost += l.total
		}
		for goal := extraRead * prefixCost; added < readable && s.stats.scanned+lists[added].total <= min(goal, scanBudget); {
			addList(lists[added])
			added++
		}
		if need > readable && !lengthsScanned && added == readable {
			// The count filter cannot rule out pairs that share none of
			// the characters read: take every family of a length that
			// could still score.
			lengthsScanned = true
			for m := int(mlo); m <= int(mhi) && m < len(p.byLen); m++ {
				for _, id := range p.byLen[m] {
					s.seen[id/64] |= 1 << (id % 64)
				}
			}
		}
		promote(theta)
		if process(theta) {
			return
		}
		w.flush(theta)
		if lv <= c.minScore || len(c.top) == c.limit && c.threshold() >= lv {
			return
		}
		found := 0
		for _, mt := range c.top {
			if mt.Score >= lv {
				found++
			}
		}
		switch {
		case found == 0:
			lv -= 12
		case found < (c.limit+1)/2:
			lv -= 8
		default:
			lv -= 4
		}
	}
}

// extraRead is how much more than the prefix needs a level reads, as a
// multiple of the prefix's postings. Counting a posting costs about a
// nanosecond and a sketch a cache miss; with four times the prefix read,
// the counts rule out most pairs before their sketch is looked at.
const extraRead = 4

// lengthWindow is the range of normalized lengths that can score minScore
// against a query of length n.
func lengthWindow(n, minScore int) (uint16, uint16) {
	lo := n
	for lo > 1 && n-(lo-1) <= maxEdits(n, minScore) {
		lo--
	}
	hi := n
	for hi < maxIndexedLen && hi+1-n <= maxEdits(hi+1, minScore) {
		hi++
	}
	return uint16(lo), uint16(hi)
}

// unseenScore is the best score a pair of length m can reach against a
// query of length n when it has none of p of the query's characters: it
// is then at least max(|m−n|, p + max(0, m−n), 1) edits away.
func unseenScore(n, m, p int) int {
	d := m - n
	if d < 0 {
		d = -d
	}
	ed := max(d, p+max(0, m-n), 1)
	return min(similarity(ed, n, m), fuzzyCap)
}

// prefixNeeded is how many of the rarest lists must be scanned so that a
// pair in none of them scores below theta, or nb+1 if scanning all of them
// is not enough.
func prefixNeeded(n, nb, theta int) int {
	lo, hi := lengthWindow(n, theta)
	excludes := func(p int) bool {
		for m := int(lo); m <= int(hi); m++ {
			if unseenScore(n, m, p) >= theta {
				return false
			}
		}
		return true
	}
	if !excludes(nb) {
		return nb + 1
	}
	// unseenScore falls as p grows: search for the first p that works.
	a, b := 0, nb
	for a < b {
		mid := (a + b) / 2
		if excludes(mid) {
			b = mid
		} else {
			a = mid + 1
		}
	}
	return a
}

// boundScore is the best score a pair of length m with sX distinct
// characters can reach if it has at most shared of the query's nb
// distinct characters: it lacks at least nb−shared of them, each an edit,
// plus the m−n insertions a longer pair needs; and symmetrically.
func boundScore(n, m, nb, sX, shared int) int {
	d := m - n
	if d < 0 {
		d = -d
	}
	a := nb - shared + max(0, m-n)
	b := sX - shared + max(0, n-m)
	ed := max(d, a, b, 1)
	return min(similarity(ed, n, m), fuzzyCap)
}

// runeList is one query rune's postings inside the length window:
// parts[from:to] of the scratch.
type runeList struct {
	from, to, total int
}

// scratch is the per-lookup working memory, pooled: a count byte per
// record and bitmaps over the records, reset through the seen bitmap.
type scratch struct {
	cnt      []uint8  // lists read holding the record
	seen     []uint64 // records counted (or to be considered)
	done     []uint64 // records promoted, ruled out or verified
	verified []uint64
	buckets  [fuzzyCap + 1][]bucketEntry
	pending  pendingHeap
	batch    []uint32
	order    []uint32
	sorted   []uint32
	bounds   []uint8
	keys     []uint32
	lists    []runeList
	parts    [][]uint32
	codes    []uint16
	rows     []uint16
	buf      []byte
	pat      pattern
	stats    lookupStats
}

const promoteBatch = 64

// maxCounted is how many lists a lookup may count in a byte.
const maxCounted = 250

// bucketEntry is a candidate waiting in a bucket, with what its count
// bound needs, so popping it reads no per-family memory.
type bucketEntry struct {
	id          uint32
	m, distinct uint16
}

// mark records that a family has been verified.
func (s *scratch) mark(id uint32) {
	w, b := id/64, uint64(1)<<(id%64)
	s.seen[w] |= b
	s.done[w] |= b
	s.verified[w] |= b
}

func (s *scratch) isVerified(id uint32) bool {
	return s.verified[id/64]&(1<<(id%64)) != 0
}

func (s *scratch) reset(touched int) {
	if touched > len(s.cnt)/16 {
		// Most words hold a touched record: clearing all is cheaper.
		clear(s.cnt)
		clear(s.seen)
		clear(s.done)
		clear(s.verified)
		s.resetRest()
		return
	}
	for wi, word := range s.seen {
		if word == 0 {
			continue
		}
		for word != 0 {
			s.cnt[wi*64+bits.TrailingZeros64(word)] = 0
			word &= word - 1
		}
		s.seen[wi], s.done[wi], s.verified[wi] = 0, 0, 0
	}
	s.resetRest()
}

func (s *scratch) resetRest() {
	s.lists = s.lists[:0]
	clear(s.parts) // drop references into the postings
	s.parts = s.parts[:0]
	for b := range s.buckets {
		s.buckets[b] = s.buckets[b][:0]
	}
	s.pending.clear()
	s.stats = lookupStats{}
}

func (m *Memory) getScratch(n int) *scratch {
	m.freeMu.Lock()
	var s *scratch
	if k := len(m.free); k > 0 {
		s, m.free = m.free[k-1], m.free[:k-1]
	}
	m.freeMu.Unlock()
	if s == nil {
		s = &scratch{rows: make([]uint16, codeMax+1)}
	}
	if len(s.cnt) < n {
		size := n + n/4
		words := (size + 63) / 64
		s.cnt = make([]uint8, words*64)
		s.seen = make([]uint64, words)
		s.done = make([]uint64, words)
		s.verified = make([]uint64, words)
	}
	return s
}

func (m *Memory) putScratch(s *scratch) {
	m.freeMu.Lock()
	m.free = append(m.free, s)
	m.freeMu.Unlock()
}

// pendingMatch is a verified fuzzy candidate not yet materialized.
type pendingMatch struct {
	id    uint32
	entry int64
	ed    int32
	pre   int16
}

// pendingHeap orders candidates as the result ranks them.
type pendingHeap []pendingMatch

func (h pendingHeap) Len() int { return len(h) }
func (h pendingHeap) Less(i, j int) bool {
	a, b := &h[i], &h[j]
	if a.pre != b.pre {
		return a.pre > b.pre
	}
	if a.ed != b.ed {
		return a.ed < b.ed
	}
	return a.entry > b.entry
}
func (h pendingHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *pendingHeap) Push(x any)   { *h = append(*h, x.(pendingMatch)) }
func (h *pendingHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
func (h *pendingHeap) clear() { *h = (*h)[:0] }

// idSet remembers the entry IDs added. IDs come from a database sequence,
// so they are dense: a bitmap per block of 65,536 IDs costs a bit per ID
// instead of the dozen bytes a map entry would.
type idSet struct {
	blocks map[int64]*[1024]uint64
}

// add reports whether id was new.
func (s *idSet) add(id int64) bool {
	if s.blocks == nil {
		s.blocks = map[int64]*[1024]uint64{}
	}
	blk := s.blocks[id>>16]
	if blk == nil {
		blk = new([1024]uint64)
		s.blocks[id>>16] = blk
	}
	bit := uint64(id) & 0xFFFF
	if blk[bit/64]&(1<<(bit%64)) != 0 {
		return false
	}
	blk[bit/64] |= 1 << (bit % 64)
	return true
}

// Hashes. FNV-1a is enough: every hash hit is confirmed by comparing text.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func hashString(s string) uint64 {
	h := uint64(fnvOffset)
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * fnvPrime
	}
	return mix(h, uint64(len(s)))
}

func hashRunes(rs []rune) uint64 {
	h := uint64(fnvOffset)
	for _, r := range rs {
		h = (h ^ uint64(r)) * fnvPrime
	}
	return mix(h, uint64(len(rs)))
}

// mix combines two hashes (the splitmix64 finalizer).
func mix(a, b uint64) uint64 {
	z := a + 0x9e3779b97f4a7c15*(b+1)
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// contextHash turns a neighbour's SegmentHash (64 hex digits) into the 64
// bits we keep of it; anything else is hashed. "" is 0: no neighbour.
func contextHash(h string) uint64 {
	if h == "" {
		return 0
	}
	if len(h) >= 16 {
		var b [8]byte
		if _, err := hex.Decode(b[:], []byte(h[:16])); err == nil {
			if v := binary.BigEndian.Uint64(b[:]); v != 0 {
				return v
			}
		}
	}
	return hashString(h) | 1
}

// byteArena stores bytes in large chunks.
type byteArena struct{ chunks [][]byte }

const arenaChunk = 4 << 20

func (a *byteArena) add(b []byte) (chunk, off uint32) {
	last := len(a.chunks) - 1
	if last < 0 || len(a.chunks[last])+len(b) > cap(a.chunks[last]) {
		a.chunks = append(a.chunks, make([]byte, 0, max(arenaChunk, len(b))))
		last++
	}
	off = uint32(len(a.chunks[last]))
	a.chunks[last] = append(a.chunks[last], b...)
	return uint32(last), off
}

// codeArena stores normalized sources in large chunks.
type codeArena struct{ chunks [][]uint16 }

const codeChunk = 1 << 20

func (a *codeArena) add(codes []uint16) (chunk, off uint32) {
	last := len(a.chunks) - 1
	if last < 0 || len(a.chunks[last])+len(codes) > cap(a.chunks[last]) {
		a.chunks = append(a.chunks, make([]uint16, 0, max(codeChunk, len(codes))))
		last++
	}
	off = uint32(len(a.chunks[last]))
	a.chunks[last] = append(a.chunks[last], codes...)
	return uint32(last), off
}

func (a *codeArena) slice(chunk, off, n uint32) []uint16 {
	return a.chunks[chunk][off : off+n]
}
