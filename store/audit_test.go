package store_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"yizhi/models"
	"yizhi/store"
	"yizhi/store/storetest"
)

func TestCanonicalAuditHash(t *testing.T) {
	// The format is a contract with every chain already stored: this
	// spells it out independently of the implementation.
	ev := models.AuditEvent{
		ID: 99, Key: "k", At: time.Date(2025, 1, 2, 3, 4, 5, 123456789, time.FixedZone("CST", 8*3600)),
		ActorID: 7, Actor: "审核员 <x>", Action: "translation.published", DocumentID: 3, Lang: "ug",
		Version: 2, ContentHash: "abc", Details: `{"a":1}`, PrevHash: strings.Repeat("0", 64), Hash: "ignored",
	}
	canonical := `{"action":"translation.published","actor":"审核员 <x>","actor_id":7,"at":"2025-01-01T19:04:05.123456Z",` +
		`"content_hash":"abc","details":"{\"a\":1}","document_id":3,"key":"k","lang":"ug","version":2}`
	require.Equal(t, sha(ev.PrevHash+"\n"+canonical), store.CanonicalAuditHash(ev))

	ev.ID, ev.Hash = 1, "other"
	require.Equal(t, sha(ev.PrevHash+"\n"+canonical), store.CanonicalAuditHash(ev))
	ev.PrevHash = sha("x")
	require.NotEqual(t, sha(strings.Repeat("0", 64)+"\n"+canonical), store.CanonicalAuditHash(ev))
}

func appendEvents(t *testing.T, s *store.Store, n int) []models.AuditEvent {
	t.Helper()
	cst := time.FixedZone("CST", 8*3600)
	var events []models.AuditEvent
	for i := range n {
		ev := models.AuditEvent{
			Key: fmt.Sprintf("ev-%d", i), At: time.Now().In(cst), ActorID: int64(i), Actor: "译员 " + uyghur,
			Action: "task.claimed", DocumentID: int64(1 + i%2), Lang: "ug", Version: i,
			Details: fmt.Sprintf(`{"round":%d,"note":%q}`, i, mongolian),
		}
		require.NoError(t, s.AppendAudit(t.Context(), &ev))
		events = append(events, ev)
	}
	return events
}

func TestAuditChain(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		v, err := s.VerifyAudit(ctx)
		require.NoError(t, err)
		require.Equal(t, store.AuditVerification{OK: true}, v)

		events := appendEvents(t, s, 5)
		require.Equal(t, strings.Repeat("0", 64), events[0].PrevHash)
		for i := 1; i < len(events); i++ {
			require.Equal(t, events[i-1].Hash, events[i].PrevHash)
		}

		trail, err := s.AuditTrail(ctx, 1)
		require.NoError(t, err)
		require.Equal(t, []models.AuditEvent{events[0], events[2], events[4]}, trail)
		for _, ev := range trail {
			// What was read back hashes to what was stored.
			require.Equal(t, ev.Hash, store.CanonicalAuditHash(ev))
		}

		v, err = s.VerifyAudit(ctx)
		require.NoError(t, err)
		require.Equal(t, store.AuditVerification{OK: true, Checked: 5}, v)

		require.NoError(t, store.RawDB(s).Exec("UPDATE audit_events SET action = 'x' WHERE id = ?", events[2].ID).Error)
		v, err = s.VerifyAudit(ctx)
		require.NoError(t, err)
		require.False(t, v.OK)
		require.Equal(t, events[2].ID, v.BrokenAt)
		require.Equal(t, 2, v.Checked)
		require.Contains(t, v.Reason, "hash")
	})
}

func TestAuditDetectsRemovedEvents(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		events := appendEvents(t, s, 4)

		require.NoError(t, store.RawDB(s).Exec("DELETE FROM audit_events WHERE id = ?", events[3].ID).Error)
		v, err := s.VerifyAudit(ctx)
		require.NoError(t, err)
		require.False(t, v.OK)
		require.Equal(t, events[3].ID, v.BrokenAt)

		require.NoError(t, store.RawDB(s).Exec("DELETE FROM audit_events WHERE id = ?", events[1].ID).Error)
		v, err = s.VerifyAudit(ctx)
		require.NoError(t, err)
		require.False(t, v.OK)
		require.Equal(t, events[2].ID, v.BrokenAt)
		require.Contains(t, v.Reason, "prev_hash")
	})
}

func TestAppendAuditIsIdempotent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		first := models.AuditEvent{Key: "publish:7:ug:1", Action: "translation.published", DocumentID: 7, Version: 1}
		require.NoError(t, s.AppendAudit(ctx, &first))

		retry := models.AuditEvent{Key: "publish:7:ug:1", Action: "translation.published", DocumentID: 7, Version: 1}
		require.NoError(t, s.AppendAudit(ctx, &retry))
		require.Equal(t, first, retry)
		require.EqualValues(t, 1, countRows(t, s, "audit_events"))

		// Without a key every append is its own event.
		a, b := models.AuditEvent{Action: "user.created"}, models.AuditEvent{Action: "user.created"}
		require.NoError(t, s.AppendAudit(ctx, &a))
		require.NoError(t, s.AppendAudit(ctx, &b))
		require.NotEqual(t, a.Key, b.Key)
		require.EqualValues(t, 3, countRows(t, s, "audit_events"))

		requireCode(t, models.EINVALID, s.AppendAudit(ctx, &models.AuditEvent{Key: "no action"}))
	})
}

func TestAppendAuditConcurrently(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		const writers, each = 8, 6
		errs := make(chan error, writers*each)
		var wg sync.WaitGroup
		for w := range writers {
			wg.Go(func() {
				for i := range each {
					// Writers pairwise share keys: retried activities
					// racing each other.
					ev := models.AuditEvent{Key: fmt.Sprintf("k-%d-%d", w/2, i), Action: "task.claimed", DocumentID: int64(w)}
					errs <- s.AppendAudit(t.Context(), &ev)
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			require.NoError(t, err)
		}
		require.EqualValues(t, writers/2*each, countRows(t, s, "audit_events"))
		v, err := s.VerifyAudit(t.Context())
		require.NoError(t, err)
		require.Equal(t, store.AuditVerification{OK: true, Checked: writers / 2 * each}, v)
	})
}

func TestProjectionsAppendAuditConcurrently(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		// Projections of different jobs and plain appends interleave on one
		// chain.
		var jobs []models.TranslationJob
		for i := range 4 {
			_, js := newDocument(t, s, fmt.Sprintf("doc-%d", i), "bo", "ug")
			jobs = append(jobs, js...)
		}
		// Creating the documents may have audited something of its own.
		before := countRows(t, s, "audit_events")
		errs := make(chan error, len(jobs)*5+10)
		var wg sync.WaitGroup
		for _, job := range jobs {
			wg.Go(func() {
				for rev := int64(1); rev <= 5; rev++ {
					_, err := s.ApplyProjection(t.Context(), models.Projection{
						JobID: job.ID, Revision: rev, JobState: models.JobTranslating, Round: 1,
						Audit: &models.AuditEvent{Key: fmt.Sprintf("job:%d:%d", job.ID, rev), Action: "projected", DocumentID: job.DocumentID},
					})
					errs <- err
				}
			})
		}
		wg.Go(func() {
			for i := range 10 {
				errs <- s.AppendAudit(t.Context(), &models.AuditEvent{Key: fmt.Sprint("plain-", i), Action: "feedback.received"})
			}
		})
		wg.Wait()
		close(errs)
		for err := range errs {
			require.NoError(t, err)
		}
		v, err := s.VerifyAudit(t.Context())
		require.NoError(t, err)
		require.Equal(t, store.AuditVerification{OK: true, Checked: int(before) + len(jobs)*5 + 10}, v)
	})
}

func TestListAuditFilters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		var ids []int64
		for i, ev := range []models.AuditEvent{
			{Action: "glossary.created"},
			{Action: "glossary.deleted"},
			{Action: "glossary", DocumentID: 7},
			{Action: "glossaryx.created"},
			{Action: "user_role.granted"},
			{Action: "userXrole.granted"}, // what LIKE 'user_role.%' would also match
			{Action: "task.claimed", DocumentID: 7},
			{Action: "glossary.updated", DocumentID: 7},
		} {
			ev.Key = fmt.Sprint("ev-", i)
			require.NoError(t, s.AppendAudit(ctx, &ev))
			ids = append(ids, ev.ID)
		}
		list := func(f store.AuditFilter) []int64 {
			t.Helper()
			events, err := s.ListAudit(ctx, f)
			require.NoError(t, err)
			out := []int64{}
			for _, ev := range events {
				out = append(out, ev.ID)
			}
			return out
		}
		require.Equal(t, []int64{ids[0], ids[1], ids[7]}, list(store.AuditFilter{Action: "glossary."}))
		require.Equal(t, []int64{ids[1]}, list(store.AuditFilter{Action: "glossary.deleted"}))
		require.Equal(t, []int64{ids[2]}, list(store.AuditFilter{Action: "glossary"}), "without a dot, the name is exact")
		require.Equal(t, []int64{ids[4]}, list(store.AuditFilter{Action: "user_role."}), "no wildcards")
		require.Equal(t, []int64{}, list(store.AuditFilter{Action: "gloss."}))
		require.Equal(t, []int64{ids[2], ids[6], ids[7]}, list(store.AuditFilter{DocumentID: 7}))
		require.Equal(t, []int64{ids[7]}, list(store.AuditFilter{DocumentID: 7, Action: "glossary."}))
		require.Equal(t, ids, list(store.AuditFilter{}))

		// Pages, oldest first.
		require.Equal(t, []int64{ids[0], ids[1]}, list(store.AuditFilter{Action: "glossary.", Limit: 2}))
		require.Equal(t, []int64{ids[7]}, list(store.AuditFilter{Action: "glossary.", Limit: 2, AfterID: ids[1]}))
	})
}
