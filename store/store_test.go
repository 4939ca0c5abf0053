package store_test

import (
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"yizhi/models"
	"yizhi/store"
	"yizhi/store/storetest"
)

// Texts that break databases with a narrow charset or a folding collation.
const (
	extB      = "𠀀"                                               // U+20000, four bytes in UTF-8
	tibetan   = "བོད་སྐད་ ཁྲིམས་ཁང་།"                             // tsheg and shad
	uyghur    = "ئۇيغۇرچە سوت ئۇقتۇرۇشى"                          // Arabic script, right to left
	mongolian = "ᠮᠣᠩᠭᠣᠯ ᠬᠡᠯᠡ ᠶᠢᠨ\u202fᠬᠠᠭᠤᠯᠢ ᠬᠠ\u180bᠭᠠᠯᠭ\u180eᠠ" // NNBSP, FVS1 and MVS inside words
	// The MySQL driver writes arguments into the statement text itself
	// (interpolateParams): quotes and backslashes must survive its escaping.
	quoting = `律师 O'Brien 称“驳回” \' \\n "'; DROP TABLE documents; -- %_`
)

var multilingual = []string{extB, tibetan, uyghur, mongolian, quoting}

func sha(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// newDocument creates a document with two segments and a job per language.
func newDocument(t *testing.T, s *store.Store, externalID string, langs ...string) (*models.Document, []models.TranslationJob) {
	t.Helper()
	deadline := time.Now().Add(models.NormalWindow)
	doc := &models.Document{
		ExternalID: externalID,
		Court:      "最高人民法院",
		Kind:       models.KindJudgment,
		Priority:   models.PriorityNormal,
		SourceLang: models.SourceLang,
		Deadline:   deadline,
		IntakeHash: sha(externalID),
	}
	body := "（2024）最高法民终1号。本院认为，上诉理由不能成立。"
	src := &models.SourceVersion{Title: "判决书 " + externalID, Body: body, ContentHash: sha(body)}
	segs := []models.Segment{
		{Index: 0, Text: "（2024）最高法民终1号。", Hash: sha("（2024）最高法民终1号。")},
		{Index: 1, Text: "本院认为，上诉理由不能成立。", Hash: sha("本院认为，上诉理由不能成立。")},
	}
	var jobs []models.TranslationJob
	for _, l := range langs {
		jobs = append(jobs, models.TranslationJob{Lang: l, Deadline: deadline})
	}
	require.NoError(t, s.CreateDocument(t.Context(), doc, src, segs, jobs))
	return doc, jobs
}

func countRows(t *testing.T, s *store.Store, table string) int64 {
	t.Helper()
	var n int64
	require.NoError(t, store.RawDB(s).Table(table).Count(&n).Error)
	return n
}

func requireCode(t *testing.T, code string, err error) {
	t.Helper()
	require.Error(t, err)
	require.Equal(t, code, models.ErrorCode(err), "error: %v", err)
}

func TestOpenRejectsUnknownURL(t *testing.T) {
	for _, url := range []string{"", "postgres://localhost/yizhi", "sqlite:", "mysql://not a dsn"} {
		_, err := store.Open(t.Context(), url, nil)
		assert.Error(t, err, url)
	}
	_, err := store.Open(t.Context(), "postgres://u:secret@host/db", nil)
	require.ErrorContains(t, err, "sqlite:PATH")
	require.ErrorContains(t, err, "mysql://")
	require.NotContains(t, err.Error(), "secret")
}

func TestOpenSQLiteCreatesDirectory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a", "b", "yizhi.db")
	s, err := store.Open(t.Context(), "sqlite:"+path, nil)
	require.NoError(t, err)
	defer s.Close()
	require.Equal(t, "sqlite", s.Dialect())
	require.NoError(t, s.Migrate(t.Context()))
	require.FileExists(t, path)

	var mode string
	require.NoError(t, store.RawDB(s).Raw("PRAGMA journal_mode").Row().Scan(&mode))
	require.Equal(t, "wal", mode)
	var fk, timeout int
	require.NoError(t, store.RawDB(s).Raw("PRAGMA foreign_keys").Row().Scan(&fk))
	require.NoError(t, store.RawDB(s).Raw("PRAGMA busy_timeout").Row().Scan(&timeout))
	require.Equal(t, 1, fk)
	require.Equal(t, 10000, timeout)
}

func TestMySQLDSNForcesSettings(t *testing.T) {
	dsn, err := store.MySQLDSN("root:pw@tcp(db:3306)/yizhi?charset=latin1&loc=Local")
	require.NoError(t, err)
	require.NotContains(t, dsn, "latin1")
	cfg, err := mysql.ParseDSN(dsn)
	require.NoError(t, err)
	require.True(t, cfg.ParseTime)
	require.Equal(t, time.UTC, cfg.Loc)
	require.Equal(t, "utf8mb4_bin", cfg.Collation)
	require.Equal(t, "'+00:00'", cfg.Params["time_zone"])
	require.True(t, cfg.InterpolateParams)
	require.Contains(t, dsn, "charset=utf8mb4")
	require.True(t, strings.HasPrefix(dsn, "root:pw@tcp(db:3306)/yizhi?"), dsn)
}

func TestMigrate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		// Both processes migrate at every start.
		require.NoError(t, s.Migrate(t.Context()))
		require.NoError(t, s.Ping(t.Context()))
		if s.Dialect() != "mysql" {
			return
		}
		var tables []struct{ TableName, Engine, TableCollation string }
		require.NoError(t, store.RawDB(s).Raw(`SELECT TABLE_NAME AS table_name, ENGINE AS engine, TABLE_COLLATION AS table_collation
			FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()`).Scan(&tables).Error)
		require.Len(t, tables, len(models.AllModels())+2) // + audit_head, feed_head
		for _, tb := range tables {
			assert.Equal(t, "InnoDB", tb.Engine, tb.TableName)
			assert.Equal(t, "utf8mb4_bin", tb.TableCollation, tb.TableName)
		}
		var badColumns []string
		require.NoError(t, store.RawDB(s).Raw(`SELECT CONCAT(TABLE_NAME, '.', COLUMN_NAME) FROM information_schema.COLUMNS
			WHERE TABLE_SCHEMA = DATABASE() AND COLLATION_NAME IS NOT NULL AND COLLATION_NAME <> 'utf8mb4_bin'`).Scan(&badColumns).Error)
		assert.Empty(t, badColumns)
		var atType string
		require.NoError(t, store.RawDB(s).Raw(`SELECT COLUMN_TYPE FROM information_schema.COLUMNS
			WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'audit_events' AND COLUMN_NAME = 'at'`).Row().Scan(&atType))
		assert.Equal(t, "datetime(6)", atType)
	})
}

func TestMigrateFixesCollations(t *testing.T) {
	// A production database created with the server's default collation:
	// new tables and old ones must both end up utf8mb4_bin.
	s := storetest.Open(t, "mysql")
	db := store.RawDB(s)
	require.NoError(t, db.Exec("ALTER DATABASE CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci").Error)
	require.NoError(t, db.Exec("ALTER TABLE glossary_entries CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci").Error)
	require.NoError(t, db.Exec("DROP TABLE tm_entries").Error)
	require.NoError(t, s.Migrate(t.Context()))
	var bad []string
	require.NoError(t, db.Raw(`SELECT TABLE_NAME FROM information_schema.TABLES
		WHERE TABLE_SCHEMA = DATABASE() AND TABLE_COLLATION <> 'utf8mb4_bin'`).Scan(&bad).Error)
	require.Empty(t, bad)
	require.EqualValues(t, 0, countRows(t, s, "tm_entries"))
}

func TestMultilingualTextRoundTrips(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		for i, text := range multilingual {
			doc := &models.Document{
				ExternalID: "ext-" + text, Court: text, Kind: models.KindNews,
				Priority: models.PriorityHigh, SourceLang: models.SourceLang, IntakeHash: sha(text),
			}
			src := &models.SourceVersion{Title: text, Body: text + "\n" + text, ContentHash: sha(text)}
			segs := []models.Segment{{Index: 0, Text: text, Hash: sha(text)}}
			jobs := []models.TranslationJob{{Lang: "ug"}}
			require.NoError(t, s.CreateDocument(ctx, doc, src, segs, jobs))
			require.NoError(t, s.SaveDrafts(ctx, jobs[0].ID, []models.Draft{{SegmentIndex: 0, Text: text, Origin: models.OriginHuman}}))

			gotDoc, err := s.DocumentByExternalID(ctx, "ext-"+text)
			require.NoError(t, err, "case %d", i)
			gotSrc, err := s.SourceVersion(ctx, doc.ID, 1)
			require.NoError(t, err)
			gotSegs, err := s.Segments(ctx, doc.ID, 1)
			require.NoError(t, err)
			drafts, err := s.Drafts(ctx, jobs[0].ID)
			require.NoError(t, err)

			// Compare bytes, not strings-that-render-alike.
			assert.Equal(t, []byte(text), []byte(gotDoc.Court), "court %d", i)
			assert.Equal(t, []byte(text), []byte(gotSrc.Title), "title %d", i)
			assert.Equal(t, []byte(text+"\n"+text), []byte(gotSrc.Body), "body %d", i)
			assert.Equal(t, []byte(text), []byte(gotSegs[0].Text), "segment %d", i)
			assert.Equal(t, []byte(text), []byte(drafts[0].Text), "draft %d", i)
		}
	})
}

func TestComparisonsAreByteExact(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		// A case-folding or accent-folding collation would make each pair
		// one external_id and refuse the second document.
		withNNBSP := "ᠶᠢᠨ\u202fᠬᠠᠭᠤᠯᠢ"
		withSpace := "ᠶᠢᠨ ᠬᠠᠭᠤᠯᠢ"
		for _, pair := range [][2]string{{"case-a", "CASE-A"}, {withNNBSP, withSpace}, {"ᠬᠠ\u180bᠭᠠ", "ᠬᠠᠭᠠ"}, {"é", "e"}} {
			a, _ := newDocument(t, s, pair[0])
			b, _ := newDocument(t, s, pair[1])
			require.NotEqual(t, a.ID, b.ID)
			got, err := s.DocumentByExternalID(t.Context(), pair[1])
			require.NoError(t, err)
			require.Equal(t, b.ID, got.ID)
		}
	})
}

func TestTimesReadBackEqual(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		// Nanoseconds and a non-UTC zone: what comes back must still equal
		// the struct that went in.
		shanghai := time.FixedZone("CST", 8*3600)
		deadline := time.Date(2025, 3, 1, 17, 30, 0, 123456789, shanghai)
		doc := &models.Document{ExternalID: "times", Court: "c", Kind: models.KindLaw, Priority: models.PriorityLow,
			SourceLang: models.SourceLang, Deadline: deadline, IntakeHash: sha("times")}
		require.NoError(t, s.CreateDocument(t.Context(), doc, &models.SourceVersion{Title: "t", Body: "b", ContentHash: "h"}, nil, nil))
		require.True(t, doc.Deadline.Equal(deadline.Truncate(time.Microsecond)))
		require.Equal(t, time.UTC, doc.Deadline.Location())

		got, err := s.DocumentByID(t.Context(), doc.ID)
		require.NoError(t, err)
		require.Equal(t, doc, got)
	})
}

func TestOpenURLSharesTheDatabase(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			// Another process (the e2e worker) opens the same database by URL.
			s, url := storetest.OpenURL(t, dialect)
			other, err := store.Open(t.Context(), url, nil)
			require.NoError(t, err)
			defer other.Close()
			doc, _ := newDocument(t, s, "shared")
			got, err := other.DocumentByID(t.Context(), doc.ID)
			require.NoError(t, err)
			require.Equal(t, doc, got)
		})
	}
}
