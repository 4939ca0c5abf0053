package store_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"yizhi/models"
	"yizhi/store"
	"yizhi/store/storetest"
)

func TestTMExact(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		_, jobs := newDocument(t, s, "tm", "ug")
		entry := func(src, tgt, lang string, at time.Time) models.TMEntry {
			return models.TMEntry{SourceLang: models.SourceLang, TargetLang: lang, SourceHash: sha(src), SourceText: src, TargetText: tgt, CreatedAt: at}
		}
		t0 := time.Now().Add(-time.Hour)
		_, err := s.Publish(ctx, publication(jobs[0], 1, "a"), []models.TMEntry{
			entry("本院认为", "سوت قارىشىچە", "ug", t0),
			entry("本院认为", "سوت قارىشىچە (يېڭى)", "ug", t0.Add(time.Minute)),
			entry("驳回上诉", "ئەرزنى رەت قىلىش", "ug", t0),
			entry("本院认为", "The court holds", "en", t0),
		})
		require.NoError(t, err)

		got, err := s.TMExact(ctx, models.SourceLang, "ug", []string{sha("本院认为"), sha("没有"), sha("本院认为")})
		require.NoError(t, err)
		require.Len(t, got, 2)
		require.Equal(t, "سوت قارىشىچە (يېڭى)", got[0].TargetText) // newest first
		require.Equal(t, "سوت قارىشىچە", got[1].TargetText)

		got, err = s.TMExact(ctx, models.SourceLang, "en", []string{sha("本院认为"), sha("驳回上诉")})
		require.NoError(t, err)
		require.Len(t, got, 1)
		require.Equal(t, "The court holds", got[0].TargetText)

		got, err = s.TMExact(ctx, models.SourceLang, "ug", nil)
		require.NoError(t, err)
		require.Empty(t, got)

		// More hashes than one IN list takes.
		hashes := make([]string, 1203)
		for i := range hashes {
			hashes[i] = sha(fmt.Sprint(i))
		}
		hashes[1202] = sha("驳回上诉")
		got, err = s.TMExact(ctx, models.SourceLang, "ug", hashes)
		require.NoError(t, err)
		require.Len(t, got, 1)
		require.Equal(t, "ئەرزنى رەت قىلىش", got[0].TargetText)
	})
}

func TestGlossary(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		add := func(target, term, translation, status string) *models.GlossaryEntry {
			e := &models.GlossaryEntry{SourceLang: models.SourceLang, TargetLang: target, Term: term, Translation: translation,
				Status: status, SourceRef: "法〔2021〕184号"}
			require.NoError(t, s.CreateGlossaryEntry(ctx, e, termEditor))
			require.NotZero(t, e.ID)
			return e
		}
		court := add("ug", "人民法院", "خەلق سوت مەھكىمىسى", "")
		require.Equal(t, models.TermApproved, court.Status)
		judge := add("ug", "审判员", "سوتچى", models.TermApproved)
		old := add("ug", "法官", "قازى", models.TermDeprecated)
		bo := add("bo", "人民法院", "མི་དམངས་ཁྲིམས་ཁང་", models.TermApproved)
		requireCode(t, models.EINVALID, s.CreateGlossaryEntry(ctx, &models.GlossaryEntry{SourceLang: "zh-Hans", TargetLang: "ug"}, termEditor))

		pair, err := s.GlossaryForPair(ctx, models.SourceLang, "ug")
		require.NoError(t, err)
		require.Equal(t, []models.GlossaryEntry{*court, *judge, *old}, pair)

		page, err := s.ListGlossary(ctx, store.GlossaryFilter{Limit: 2})
		require.NoError(t, err)
		require.Equal(t, []models.GlossaryEntry{*court, *judge}, page)
		page, err = s.ListGlossary(ctx, store.GlossaryFilter{AfterID: judge.ID})
		require.NoError(t, err)
		require.Equal(t, []models.GlossaryEntry{*old, *bo}, page)
		page, err = s.ListGlossary(ctx, store.GlossaryFilter{TargetLang: "bo"})
		require.NoError(t, err)
		require.Equal(t, []models.GlossaryEntry{*bo}, page)
		page, err = s.ListGlossary(ctx, store.GlossaryFilter{SourceLang: "en"})
		require.NoError(t, err)
		require.Empty(t, page)
	})
}
