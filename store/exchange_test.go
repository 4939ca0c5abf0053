package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"yizhi/models"
	"yizhi/store"
	"yizhi/store/storetest"
)

// termEditor is the person the tests' termbase and memory changes are
// audited as.
var termEditor = &models.User{ID: 3, Name: "术语编辑"}

func tmEntry(target, source, text string) models.TMEntry {
	return models.TMEntry{SourceLang: models.SourceLang, TargetLang: target, SourceText: source, TargetText: text,
		Court: "最高人民法院", Kind: models.KindJudgment}
}

func yieldAll[T any](items []T) func(yield func(T) error) error {
	return func(yield func(T) error) error {
		for _, it := range items {
			if err := yield(it); err != nil {
				return err
			}
		}
		return nil
	}
}

func exportAll(t *testing.T, s *store.Store, source, target string) []models.TMEntry {
	t.Helper()
	var out []models.TMEntry
	require.NoError(t, s.ExportTM(t.Context(), source, target, func(e models.TMEntry) error {
		out = append(out, e)
		return nil
	}))
	return out
}

func TestImportTMDeduplicates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		file := []models.TMEntry{
			tmEntry("ug", "本院认为", "سوت قارىشىچە"),
			tmEntry("ug", "驳回上诉", "ئەرزنى رەت قىلىش"),
			tmEntry("ug", "本院认为", "سوت قارىشىچە"),           // repeated in the same file
			tmEntry("ug", " 本院认为 ", "سوت قارىشىچە"),         // same source segment, as the hash sees it
			tmEntry("ug", "本院认为", "سوت مەھكىمىسى قارىشىچە"), // another translation: kept
			tmEntry("bo", "本院认为", "ཁྲིམས་ཁང་འདིས་ངོས་འཛིན་བྱས་པ།"),
			tmEntry("en", "本院认为", "The court holds"),
		}
		file[0].CreatedAt = time.Date(2021, 6, 15, 8, 30, 0, 0, time.UTC)
		n, err := s.ImportTM(ctx, yieldAll(file), termEditor)
		require.NoError(t, err)
		require.Equal(t, 5, n)

		// The same file again adds nothing.
		n, err = s.ImportTM(ctx, yieldAll(file), termEditor)
		require.NoError(t, err)
		require.Zero(t, n)
		require.EqualValues(t, 5, countRows(t, s, "tm_entries"))

		ug := exportAll(t, s, models.SourceLang, "ug")
		require.Len(t, ug, 3)
		require.Equal(t, "سوت قارىشىچە", ug[0].TargetText)
		require.Equal(t, models.SegmentHash("本院认为"), ug[0].SourceHash, "the hash is the store's, not the caller's")
		require.Equal(t, file[0].CreatedAt, ug[0].CreatedAt, "a date from the file is kept")
		require.False(t, ug[1].CreatedAt.IsZero())

		// Imported pairs are found by the lookup machine assist uses.
		got, err := s.TMExact(ctx, models.SourceLang, "ug", []string{models.SegmentHash("本院认为")})
		require.NoError(t, err)
		require.Len(t, got, 2)

		require.Len(t, exportAll(t, s, "", ""), 5)
		require.Len(t, exportAll(t, s, models.SourceLang, "en"), 1)
		require.Empty(t, exportAll(t, s, "en", ""))
	})
}

func TestImportTMIsAllOrNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		// The file breaks off after 1,200 good entries: nothing is kept.
		bad := errors.New("line 9000: malformed XML")
		n, err := s.ImportTM(t.Context(), func(yield func(models.TMEntry) error) error {
			for i := range 1200 {
				if err := yield(tmEntry("ug", fmt.Sprintf("第%d条", i), fmt.Sprintf("%d-ماددا", i))); err != nil {
					return err
				}
			}
			return bad
		}, termEditor)
		require.Same(t, bad, err)
		require.Zero(t, n)
		require.Zero(t, countRows(t, s, "tm_entries"))

		// The commit fails after its first batch is written: it is
		// rolled back.
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		entries := make([]models.TMEntry, 1500)
		for i := range entries {
			entries[i] = tmEntry("ug", fmt.Sprintf("第%d条", i), fmt.Sprintf("%d-ماددا", i))
		}
		var reports [][2]int
		_, err = s.ImportTMWithProgress(ctx, yieldAll(entries), func(checked, total int) {
			reports = append(reports, [2]int{checked, total})
			cancel()
		}, termEditor)
		require.ErrorIs(t, err, context.Canceled)
		require.Equal(t, [][2]int{{500, 1500}}, reports)
		require.Zero(t, countRows(t, s, "tm_entries"))

		// An entry without a source is refused before anything is written.
		_, err = s.ImportTM(t.Context(), yieldAll([]models.TMEntry{tmEntry("ug", "一", "بىر"), tmEntry("ug", " ", "ئىككى")}), termEditor)
		require.Equal(t, models.EINVALID, models.ErrorCode(err))
		require.Zero(t, countRows(t, s, "tm_entries"))
	})
}

func TestExportTMStreamsInBatches(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		entries := make([]models.TMEntry, 2345)
		for i := range entries {
			target := "ug"
			if i%5 == 0 {
				target = "kk-Arab"
			}
			entries[i] = tmEntry(target, fmt.Sprintf("第%d条", i), fmt.Sprintf("%d-ماددا", i))
		}
		var reports []int
		n, err := s.ImportTMWithProgress(t.Context(), yieldAll(entries), func(checked, total int) {
			require.Equal(t, 2345, total)
			reports = append(reports, checked)
		}, termEditor)
		require.NoError(t, err)
		require.Equal(t, 2345, n)
		require.Equal(t, []int{500, 1000, 1500, 2000, 2345}, reports)

		ug := exportAll(t, s, models.SourceLang, "ug")
		require.Len(t, ug, 2345-469)
		require.True(t, slices.IsSortedFunc(ug, func(a, b models.TMEntry) int { return int(a.ID - b.ID) }))
		require.Equal(t, "第1条", ug[0].SourceText)
		require.Equal(t, "第2344条", ug[len(ug)-1].SourceText)

		// The caller's error stops the export.
		stop := errors.New("client went away")
		seen := 0
		err = s.ExportTM(t.Context(), models.SourceLang, "", func(models.TMEntry) error {
			seen++
			if seen == 1500 {
				return stop
			}
			return nil
		})
		require.Same(t, stop, err)
		require.Equal(t, 1500, seen)
	})
}

func TestGlossaryCRUD(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		e := &models.GlossaryEntry{SourceLang: models.SourceLang, TargetLang: "en", Term: "河北省高级人民法院",
			Translation: "Higher People's Court of Hebei Province", Domain: "court names", SourceRef: "法〔2021〕184号"}
		require.NoError(t, s.CreateGlossaryEntry(ctx, e, termEditor))

		got, err := s.GlossaryEntryByID(ctx, e.ID)
		require.NoError(t, err)
		require.Equal(t, e, got)

		upd := *e
		upd.Translation = "The High People's Court of Hebei Province"
		upd.Notes = "法〔2021〕184号 replaced “Higher”."
		upd.CreatedAt = time.Time{} // a PUT does not carry it
		require.NoError(t, s.UpdateGlossaryEntry(ctx, &upd, termEditor))
		require.Equal(t, e.CreatedAt, upd.CreatedAt, "the creation time stays")
		require.Equal(t, models.TermApproved, upd.Status)
		got, err = s.GlossaryEntryByID(ctx, e.ID)
		require.NoError(t, err)
		require.Equal(t, &upd, got)

		missing := upd
		missing.ID = e.ID + 100
		requireCode(t, models.ENOTFOUND, s.UpdateGlossaryEntry(ctx, &missing, termEditor))
		requireCode(t, models.EINVALID, s.UpdateGlossaryEntry(ctx, &models.GlossaryEntry{ID: e.ID, SourceLang: "zh-Hans"}, termEditor))
		_, err = s.GlossaryEntryByID(ctx, e.ID+100)
		requireCode(t, models.ENOTFOUND, err)

		require.NoError(t, s.DeleteGlossaryEntry(ctx, e.ID, termEditor))
		requireCode(t, models.ENOTFOUND, s.DeleteGlossaryEntry(ctx, e.ID, termEditor))
		_, err = s.GlossaryEntryByID(ctx, e.ID)
		requireCode(t, models.ENOTFOUND, err)
	})
}

func TestSearchGlossary(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		add := func(target, term, translation, domain, status string) models.GlossaryEntry {
			e := models.GlossaryEntry{SourceLang: models.SourceLang, TargetLang: target, Term: term,
				Translation: translation, Domain: domain, Status: status}
			require.NoError(t, s.CreateGlossaryEntry(ctx, &e, termEditor))
			return e
		}
		spc := add("en", "最高人民法院", "The Supreme People's Court of the People's Republic of China", "court names", "approved")
		hebei := add("en", "河北省高级人民法院", "The High People's Court of Hebei Province", "court names", "approved")
		higher := add("en", "河北省高级人民法院", "Higher People's Court of Hebei Province", "court names", "forbidden")
		appeal := add("ug", "驳回上诉", "ئەرزنى رەت قىلىش", "procedure", "approved")
		ugCourt := add("ug", "高级人民法院", "ئالىي خەلق سوت مەھكىمىسى", "court names", "approved")

		search := func(f store.GlossarySearch) []models.GlossaryEntry {
			got, err := s.SearchGlossary(ctx, f)
			require.NoError(t, err)
			return got
		}
		require.Equal(t, []models.GlossaryEntry{spc, hebei, higher, appeal, ugCourt}, search(store.GlossarySearch{}))
		require.Equal(t, []models.GlossaryEntry{appeal, ugCourt},
			search(store.GlossarySearch{GlossaryFilter: store.GlossaryFilter{SourceLang: models.SourceLang, TargetLang: "ug"}}))
		require.Equal(t, []models.GlossaryEntry{appeal}, search(store.GlossarySearch{Domain: "procedure"}))
		require.Equal(t, []models.GlossaryEntry{higher}, search(store.GlossarySearch{Status: "forbidden"}))
		require.Equal(t, []models.GlossaryEntry{hebei, higher, ugCourt}, search(store.GlossarySearch{TermContains: "高级"}))
		require.Equal(t, []models.GlossaryEntry{ugCourt},
			search(store.GlossarySearch{TermContains: "高级", GlossaryFilter: store.GlossaryFilter{TargetLang: "ug"}}))
		require.Empty(t, search(store.GlossarySearch{TermContains: "%"}), "no wildcards")
		require.Equal(t, []models.GlossaryEntry{higher, ugCourt},
			search(store.GlossarySearch{TermContains: "高级", GlossaryFilter: store.GlossaryFilter{AfterID: hebei.ID}}))
		require.Equal(t, []models.GlossaryEntry{spc}, search(store.GlossarySearch{GlossaryFilter: store.GlossaryFilter{Limit: 1}}))
	})
}

func glossaryEntry(target, term, translation, domain, status string) models.GlossaryEntry {
	return models.GlossaryEntry{SourceLang: models.SourceLang, TargetLang: target, Term: term, Translation: translation,
		Domain: domain, Status: status, SourceRef: "法〔2021〕184号"}
}

func TestImportGlossaryMerges(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		existing := glossaryEntry("en", "河北省高级人民法院", "Higher People's Court of Hebei Province", "court names", "approved")
		require.NoError(t, s.CreateGlossaryEntry(ctx, &existing, termEditor))

		file := []models.GlossaryEntry{
			glossaryEntry("en", "河北省高级人民法院", "The High People's Court of Hebei Province", "court names", "approved"),
			glossaryEntry("en", "河北省高级人民法院", "Higher People's Court of Hebei Province", "court names", "forbidden"),
			glossaryEntry("en", "基层人民法院", "Primary People's Court", "court names", ""),
			glossaryEntry("bo", "基层人民法院", "གཞི་རིམ་མི་དམངས་ཁྲིམས་ཁང་", "court names", "approved"),
			glossaryEntry("en", "基层人民法院", "Primary People's Court", "court names", "approved"), // said twice
		}
		res, err := s.ImportGlossary(ctx, yieldAll(file), termEditor)
		require.NoError(t, err)
		require.Equal(t, store.GlossaryImportResult{Created: 3, Updated: 1}, res)

		got, err := s.GlossaryEntryByID(ctx, existing.ID)
		require.NoError(t, err)
		require.Equal(t, models.TermForbidden, got.Status, "the file's status wins")
		require.Equal(t, existing.CreatedAt, got.CreatedAt)

		res, err = s.ImportGlossary(ctx, yieldAll(file), termEditor)
		require.NoError(t, err)
		require.Equal(t, store.GlossaryImportResult{Unchanged: 4}, res)
		require.EqualValues(t, 4, countRows(t, s, "glossary_entries"))

		// A failing file changes nothing, not even the entries before
		// the failure.
		bad := errors.New("line 40: administrativeStatus \"maybe\"")
		_, err = s.ImportGlossary(ctx, func(yield func(models.GlossaryEntry) error) error {
			if err := yield(glossaryEntry("en", "最高人民法院", "The Supreme People's Court of the People's Republic of China", "court names", "approved")); err != nil {
				return err
			}
			if err := yield(glossaryEntry("en", "河北省高级人民法院", "Higher People's Court of Hebei Province", "court names", "approved")); err != nil {
				return err
			}
			return bad
		}, termEditor)
		require.Same(t, bad, err)
		require.EqualValues(t, 4, countRows(t, s, "glossary_entries"))
		got, err = s.GlossaryEntryByID(ctx, existing.ID)
		require.NoError(t, err)
		require.Equal(t, models.TermForbidden, got.Status)
	})
}

func TestExportGlossaryOrdersByTermAndDomain(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		// More than one page, with terms that repeat across domains and
		// languages, inserted out of order.
		var file []models.GlossaryEntry
		for i := range 1100 {
			term := fmt.Sprintf("术语%04d", (i*7919)%550)
			domain := []string{"", "civil", "criminal"}[i%3]
			target := []string{"en", "ug"}[i%2]
			file = append(file, glossaryEntry(target, term, fmt.Sprintf("term %d", i), domain, "approved"))
		}
		res, err := s.ImportGlossary(ctx, yieldAll(file), termEditor)
		require.NoError(t, err)
		require.Equal(t, 1100, res.Created)

		var all []models.GlossaryEntry
		require.NoError(t, s.ExportGlossary(ctx, models.SourceLang, "", func(e models.GlossaryEntry) error {
			all = append(all, e)
			return nil
		}))
		require.Len(t, all, 1100)
		require.True(t, slices.IsSortedFunc(all, func(a, b models.GlossaryEntry) int {
			if c := strings.Compare(a.Term, b.Term); c != 0 {
				return c
			}
			if c := strings.Compare(a.Domain, b.Domain); c != 0 {
				return c
			}
			return int(a.ID - b.ID)
		}))

		var ug int
		require.NoError(t, s.ExportGlossary(ctx, models.SourceLang, "ug", func(e models.GlossaryEntry) error {
			require.Equal(t, "ug", e.TargetLang)
			ug++
			return nil
		}))
		require.Equal(t, 550, ug)
	})
}

// auditOf returns the audit events whose action is or starts with action
// (see store.AuditFilter), oldest first.
func auditOf(t *testing.T, s *store.Store, action string) []models.AuditEvent {
	t.Helper()
	events, err := s.ListAudit(t.Context(), store.AuditFilter{Action: action, Limit: 500})
	require.NoError(t, err)
	return events
}

func requireChainOK(t *testing.T, s *store.Store) {
	t.Helper()
	v, err := s.VerifyAudit(t.Context())
	require.NoError(t, err)
	require.True(t, v.OK, "%+v", v)
}

// breakAuditHead removes the head of the audit chain, so that every append
// fails from then on: a change that must be audited cannot be written.
func breakAuditHead(t *testing.T, s *store.Store) {
	t.Helper()
	require.NoError(t, store.RawDB(s).Exec("DELETE FROM audit_head").Error)
}

func TestGlossaryChangesAreAudited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		admin := &models.User{ID: 1, Name: "admin"}
		e := &models.GlossaryEntry{SourceLang: models.SourceLang, TargetLang: "en", Term: "河北省高级人民法院",
			Translation: "Higher People's Court of Hebei Province", Domain: "court names", SourceRef: "法〔2021〕184号"}
		require.NoError(t, s.CreateGlossaryEntry(ctx, e, termEditor))

		upd := *e
		upd.Translation = "The High People's Court of Hebei Province"
		upd.Notes = "“Higher” is forbidden"
		require.NoError(t, s.UpdateGlossaryEntry(ctx, &upd, admin))

		// A PUT of what is stored changes nothing, and records nothing.
		same := upd
		same.UpdatedAt = time.Time{}
		require.NoError(t, s.UpdateGlossaryEntry(ctx, &same, admin))
		require.Equal(t, upd, same)

		// Failed changes are not audited.
		missing := upd
		missing.ID = e.ID + 100
		requireCode(t, models.ENOTFOUND, s.UpdateGlossaryEntry(ctx, &missing, admin))
		requireCode(t, models.ENOTFOUND, s.DeleteGlossaryEntry(ctx, e.ID+100, admin))
		requireCode(t, models.EINVALID, s.CreateGlossaryEntry(ctx, &models.GlossaryEntry{TargetLang: "en"}, admin))

		require.NoError(t, s.DeleteGlossaryEntry(ctx, e.ID, termEditor))

		events := auditOf(t, s, "glossary.")
		require.Len(t, events, 3)
		for i, want := range []struct {
			action string
			actor  *models.User
		}{{store.AuditGlossaryCreated, termEditor}, {store.AuditGlossaryUpdated, admin}, {store.AuditGlossaryDeleted, termEditor}} {
			require.Equal(t, want.action, events[i].Action)
			require.Equal(t, want.actor.ID, events[i].ActorID)
			require.Equal(t, want.actor.Name, events[i].Actor)
			require.Equal(t, "en", events[i].Lang)
			require.Zero(t, events[i].DocumentID)
		}
		var created models.GlossaryEntry
		require.NoError(t, json.Unmarshal([]byte(events[0].Details), &created))
		require.Equal(t, *e, created)
		require.NotContains(t, events[0].Details, `\u`, "details keep Chinese as is")
		require.JSONEq(t, fmt.Sprintf(`{"id":%d,"term":"河北省高级人民法院",`+
			`"before":{"translation":"Higher People's Court of Hebei Province","notes":""},`+
			`"after":{"translation":"The High People's Court of Hebei Province","notes":"“Higher” is forbidden"}}`, e.ID),
			events[1].Details)
		var deleted models.GlossaryEntry
		require.NoError(t, json.Unmarshal([]byte(events[2].Details), &deleted))
		require.Equal(t, upd, deleted, "the entry as it was when deleted")
		requireChainOK(t, s)
	})
}

func TestGlossaryChangesAreNotWrittenWithoutTheirAuditEvent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		e := glossaryEntry("en", "最高人民法院", "The Supreme People's Court", "court names", "approved")
		require.NoError(t, s.CreateGlossaryEntry(ctx, &e, termEditor))
		breakAuditHead(t, s)

		fresh := glossaryEntry("en", "基层人民法院", "Primary People's Court", "court names", "approved")
		require.Error(t, s.CreateGlossaryEntry(ctx, &fresh, termEditor))
		require.Zero(t, fresh.ID)
		upd := e
		upd.Translation = "The Supreme People's Court of the People's Republic of China"
		require.Error(t, s.UpdateGlossaryEntry(ctx, &upd, termEditor))
		require.Error(t, s.DeleteGlossaryEntry(ctx, e.ID, termEditor))
		_, err := s.ImportGlossary(ctx, yieldAll([]models.GlossaryEntry{fresh}), termEditor)
		require.Error(t, err)

		got, err := s.GlossaryEntryByID(ctx, e.ID)
		require.NoError(t, err)
		require.Equal(t, e, *got)
		require.EqualValues(t, 1, countRows(t, s, "glossary_entries"))
	})
}

func TestGlossaryImportIsAudited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		existing := glossaryEntry("en", "河北省高级人民法院", "Higher People's Court of Hebei Province", "court names", "approved")
		require.NoError(t, s.CreateGlossaryEntry(ctx, &existing, termEditor))
		file := []models.GlossaryEntry{
			glossaryEntry("ug", "驳回上诉", "ئەرزنى رەت قىلىش", "procedure", "approved"),
			glossaryEntry("en", "河北省高级人民法院", "Higher People's Court of Hebei Province", "court names", "forbidden"),
			glossaryEntry("bo", "基层人民法院", "གཞི་རིམ་མི་དམངས་ཁྲིམས་ཁང་", "court names", "approved"),
			glossaryEntry("en", "基层人民法院", "Primary People's Court", "court names", ""),
		}
		admin := &models.User{ID: 1, Name: "admin"}
		_, err := s.ImportGlossary(ctx, yieldAll(file), admin)
		require.NoError(t, err)

		// A file that fails halfway leaves no event.
		_, err = s.ImportGlossary(ctx, func(yield func(models.GlossaryEntry) error) error {
			if err := yield(glossaryEntry("en", "最高人民法院", "The Supreme People's Court", "", "")); err != nil {
				return err
			}
			return yield(glossaryEntry("en", "", "no term", "", ""))
		}, admin)
		requireCode(t, models.EINVALID, err)

		events := auditOf(t, s, store.AuditGlossaryImported)
		require.Len(t, events, 1, "one event for the whole import")
		require.Equal(t, admin.ID, events[0].ActorID)
		require.Equal(t, "admin", events[0].Actor)
		require.JSONEq(t, `{"created":3,"updated":1,"unchanged":0,"pairs":[`+
			`{"source_lang":"zh-Hans","target_lang":"bo"},{"source_lang":"zh-Hans","target_lang":"en"},{"source_lang":"zh-Hans","target_lang":"ug"}]}`,
			events[0].Details)
		require.Len(t, auditOf(t, s, "glossary."), 2, "the create and the import; the import's entries have no events of their own")
		requireChainOK(t, s)
	})
}

func TestTMImportIsAudited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		file := []models.TMEntry{
			tmEntry("ug", "本院认为", "سوت قارىشىچە"),
			tmEntry("ug", "驳回上诉", "ئەرزنى رەت قىلىش"),
			tmEntry("ug", "本院认为", "سوت قارىشىچە"), // a duplicate
			tmEntry("en", "本院认为", "The court holds"),
		}
		n, err := s.ImportTM(ctx, yieldAll(file), termEditor)
		require.NoError(t, err)
		require.Equal(t, 3, n)
		// The same file again adds nothing, and is still recorded.
		admin := &models.User{ID: 1, Name: "admin"}
		_, err = s.ImportTMWithProgress(ctx, yieldAll(file), nil, admin)
		require.NoError(t, err)

		events := auditOf(t, s, store.AuditTMImported)
		require.Len(t, events, 2)
		require.Equal(t, termEditor.ID, events[0].ActorID)
		require.Equal(t, termEditor.Name, events[0].Actor)
		const pairs = `"pairs":[{"source_lang":"zh-Hans","target_lang":"en"},{"source_lang":"zh-Hans","target_lang":"ug"}]`
		require.JSONEq(t, `{"entries":4,"imported":3,"skipped_duplicates":1,`+pairs+`}`, events[0].Details)
		require.Equal(t, "admin", events[1].Actor)
		require.JSONEq(t, `{"entries":4,"imported":0,"skipped_duplicates":4,`+pairs+`}`, events[1].Details)
		requireChainOK(t, s)
	})
}

func TestFailedTMImportIsNotAudited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		entries := make([]models.TMEntry, 1500)
		for i := range entries {
			entries[i] = tmEntry("ug", fmt.Sprintf("第%d条", i), fmt.Sprintf("%d-ماددا", i))
		}

		// A bad entry halfway through the file.
		bad := slices.Clone(entries)
		bad[750].TargetText = ""
		_, err := s.ImportTM(ctx, yieldAll(bad), termEditor)
		requireCode(t, models.EINVALID, err)

		// A commit that fails after its first batch is written.
		cancelled, cancel := context.WithCancel(ctx)
		defer cancel()
		_, err = s.ImportTMWithProgress(cancelled, yieldAll(entries), func(int, int) { cancel() }, termEditor)
		require.ErrorIs(t, err, context.Canceled)

		require.Zero(t, countRows(t, s, "tm_entries"))
		require.Empty(t, auditOf(t, s, store.AuditTMImported))
		requireChainOK(t, s)

		// Nor are entries written without their event.
		breakAuditHead(t, s)
		_, err = s.ImportTM(ctx, yieldAll(entries), termEditor)
		require.Error(t, err)
		require.Zero(t, countRows(t, s, "tm_entries"))
	})
}
