package api

import (
	"context"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/sync/singleflight"

	"yizhi/models"
	"yizhi/store"
)

// portalCache keeps what GET /v1/published/{id} serves, per document, so a
// surge of readers does not reach the database. Every process that writes
// a publication, revision or withdrawal appends to the feed; each API
// process follows the feed's head (refresh) and drops the documents it
// names, so a worker publishing in another process, or another API
// replica, invalidates this one within one refresh interval. Changes made
// by this process are dropped at once.
type portalCache struct {
	store   *store.Store
	entries *lru.Cache[int64, *cachedDocument]
	loads   singleflight.Group

	// seq is the feed sequence the cache has caught up with.
	seq atomic.Int64
	// gen counts invalidations. A load that saw gen change while it read
	// the database may hold data from before the change, so it is served
	// but not kept.
	gen atomic.Uint64
	mu  sync.Mutex // serializes refresh

	hits, misses atomic.Uint64
}

// cachedDocument is a document as portals see it: its withdrawal state,
// its newest published version per language and its current source text
// for the fallback. Encoded responses are kept per language.
type cachedDocument struct {
	doc    models.Document
	source *models.SourceVersion
	latest map[string]*models.PublishedVersion
	langs  []string // the source language, then the published ones
	// encoded holds the answers encoded so far, one per language. A
	// document has a handful of languages, so a slice, replaced whole
	// when one is added, is quicker to search than a map and lets reads
	// take no lock.
	encoded atomic.Pointer[[]*encodedAnswer]
}

// answer is the encoded answer in lang, or nil if none is kept yet.
func (d *cachedDocument) answer(lang string) *encodedAnswer {
	if answers := d.encoded.Load(); answers != nil {
		for _, a := range *answers {
			if a.lang == lang {
				return a
			}
		}
	}
	return nil
}

// keep adds an answer. Two readers encoding the same language at once
// produce the same bytes, so whichever lands last is as good.
func (d *cachedDocument) keep(answer *encodedAnswer) {
	for {
		old := d.encoded.Load()
		var answers []*encodedAnswer
		if old != nil {
			answers = append(answers, *old...)
		}
		answers = append(answers, answer)
		if d.encoded.CompareAndSwap(old, &answers) {
			return
		}
	}
}

// maxInvalidations bounds how many documents one refresh drops one by one;
// past it the whole cache is dropped, which is cheaper than a huge query.
const maxInvalidations = 10_000

func newPortalCache(st *store.Store, size int) *portalCache {
	entries, err := lru.New[int64, *cachedDocument](size)
	if err != nil {
		panic("api: portal cache size must be positive: " + err.Error())
	}
	return &portalCache{store: st, entries: entries}
}

// get returns the document, from memory when it can.
func (c *portalCache) get(ctx context.Context, id int64) (*cachedDocument, error) {
	if d, ok := c.entries.Get(id); ok {
		c.hits.Add(1)
		return d, nil
	}
	c.misses.Add(1)
	// Concurrent misses of one document share one load.
	v, err, _ := c.loads.Do(strconv.FormatInt(id, 10), func() (any, error) {
		gen := c.gen.Load()
		d, err := loadPortalDocument(ctx, c.store, id)
		if err != nil {
			return nil, err
		}
		if c.gen.Load() == gen {
			c.entries.Add(id, d)
		}
		return d, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*cachedDocument), nil
}

func loadPortalDocument(ctx context.Context, st *store.Store, id int64) (*cachedDocument, error) {
	doc, err := st.DocumentByID(ctx, id)
	if err != nil {
		return nil, err
	}
	d := &cachedDocument{doc: *doc, latest: map[string]*models.PublishedVersion{}, langs: []string{doc.SourceLang}}
	if doc.Withdrawn() {
		return d, nil // nothing of it is served
	}
	if d.source, err = st.SourceVersion(ctx, doc.ID, doc.CurrentVersion); err != nil {
		return nil, err
	}
	versions, err := st.LatestPublished(ctx, doc.ID)
	if err != nil {
		return nil, err
	}
	for i := range versions {
		d.latest[versions[i].Lang] = &versions[i]
		d.langs = append(d.langs, versions[i].Lang)
	}
	return d, nil
}

// invalidate drops documents this process changed.
func (c *portalCache) invalidate(ids ...int64) {
	c.gen.Add(1)
	for _, id := range ids {
		c.entries.Remove(id)
	}
}

// refresh drops the documents the feed names since the last refresh.
func (c *portalCache) refresh(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	head, err := c.store.FeedHead(ctx)
	if err != nil {
		return err
	}
	from := c.seq.Load()
	if head == from {
		return nil
	}
	ids, more, err := c.store.ChangedDocuments(ctx, from, head, maxInvalidations)
	if err != nil {
		return err
	}
	c.gen.Add(1)
	if more {
		c.entries.Purge()
	} else {
		for _, id := range ids {
			c.entries.Remove(id)
		}
	}
	c.seq.Store(head)
	return nil
}

// start catches up with the feed's head without dropping anything, as the
// cache is empty.
func (c *portalCache) start(ctx context.Context) error {
	head, err := c.store.FeedHead(ctx)
	if err != nil {
		return err
	}
	c.seq.Store(head)
	return nil
}

// watch refreshes every interval until ctx ends. A failed refresh is
// retried at the next tick; until then entries may be stale, so after a
// failure the whole cache is dropped to bound that to one interval.
func (c *portalCache) watch(ctx context.Context, interval time.Duration, onError func(error)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := c.refresh(ctx); err != nil && ctx.Err() == nil {
				c.gen.Add(1)
				c.entries.Purge()
				onError(err)
			}
		}
	}
}

// register exposes the cache's counters to Prometheus.
func (c *portalCache) register(reg *prometheus.Registry) {
	reg.MustRegister(
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "yizhi_portal_cache_hits_total", Help: "Portal reads answered from memory.",
		}, func() float64 { return float64(c.hits.Load()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "yizhi_portal_cache_misses_total", Help: "Portal reads that loaded the document from the database.",
		}, func() float64 { return float64(c.misses.Load()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "yizhi_portal_cache_documents", Help: "Documents held by the portal cache.",
		}, func() float64 { return float64(c.entries.Len()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "yizhi_portal_cache_feed_seq", Help: "Feed sequence number the portal cache has caught up with.",
		}, func() float64 { return float64(c.seq.Load()) }),
	)
}
